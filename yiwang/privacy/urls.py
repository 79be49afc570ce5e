from django.urls import path

from yiwang.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.requests_page, name="requests"),
    path("export.json", views.export, name="export"),
    path("parties/<int:pk>/correct/", views.correct, name="correct"),
]
