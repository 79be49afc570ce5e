from django.urls import path

from yiwang.maritime import views

app_name = "maritime"

urlpatterns = [
    path("", views.morning, name="morning"),
    path("zones.svg", views.zones_svg, name="zones_svg"),
    path("vessels/", views.vessel_list, name="vessel_list"),
    path("vessels/new/", views.vessel_new, name="vessel_new"),
    path("vessels/import/", views.vessel_import, name="vessel_import"),
    path("vessels/<int:pk>/", views.vessel_detail, name="vessel_detail"),
    path("vessels/<int:pk>/edit/", views.vessel_edit, name="vessel_edit"),
    path("intake/", views.intake, name="intake"),
    path("cases/<int:pk>/details/", views.record_details, name="record_details"),
    path("cases/<int:pk>/<str:step>/", views.record_step, name="record_step"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
]
