from django.urls import path

from yiwang.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.intake, name="intake"),
    path("court/", views.court_queue, name="court_queue"),
    path("court/delegations/new/", views.court_delegation, name="court_delegation"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<slug:name>/", views.act, name="act"),
    path("<int:pk>/acceptance-notice.pdf", views.acceptance_notice, name="acceptance_notice"),
    path("<int:pk>/not-accepted-notice.pdf", views.not_accepted_notice, name="not_accepted_notice"),
    path("<int:pk>/agreement.pdf", views.agreement, name="agreement"),
]
