from django.urls import path

from yiwang.triage import views

app_name = "triage"
urlpatterns = [
    path("mediators/", views.mediator_list, name="mediator_list"),
    path("mediators/<int:pk>/", views.mediator_detail, name="mediator_detail"),
    path("mediators/<int:pk>/conflicts/", views.conflict_add, name="conflict_add"),
    path("conflicts/<int:pk>/remove/", views.conflict_remove, name="conflict_remove"),
    path("cases/<int:pk>/languages/", views.case_languages, name="case_languages"),
]
