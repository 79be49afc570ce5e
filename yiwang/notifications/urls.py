from django.urls import path

from yiwang.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:pk>/", views.open_item, name="open"),
    path("notifications/read-all/", views.read_all, name="read_all"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("notifications/follow/<int:pk>/", views.follow_case, name="follow_case"),
    path("status/", views.status_lookup, name="status"),
]
