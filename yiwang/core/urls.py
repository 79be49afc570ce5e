from django.urls import path

from yiwang.core import views

app_name = "core"
urlpatterns = [
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/result", views.job_result, name="job_result"),
]
