from django.urls import path

from yiwang.cobuild import views

app_name = "cobuild"
urlpatterns = [
    path("", views.demand_list, name="demand_list"),
    path("demands/new/", views.demand_new, name="demand_new"),
    path("demands/<int:pk>/", views.demand_detail, name="demand_detail"),
    path("demands/<int:pk>/<slug:step>/", views.demand_step, name="demand_step"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("resources/", views.resource_list, name="resource_list"),
    path("resources/new/", views.resource_new, name="resource_new"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("venture/<int:pk>/results/", views.venture_results, name="venture_results"),
    path("rate/<str:code>/", views.rate_page, name="rate"),
    path("rate/<str:code>/qr.svg", views.rate_qr, name="rate_qr"),
    path("records/", views.records, name="records"),
]
