from django.urls import path

from yiwang.cobuild import views
from yiwang.cobuild.views import projects, registry, venture

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
    path("projects/new/", projects.project_new, name="project_new"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/<slug:step>/", projects.project_step, name="project_step"),
    path("pairings/", registry.pairing_list, name="pairing_list"),
    path("pairings/new/", registry.pairing_new, name="pairing_new"),
    path("pairings/<int:pk>/", registry.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/record/", registry.pairing_record, name="pairing_record"),
    path("pairings/<int:pk>/renew/", registry.pairing_renew, name="pairing_renew"),
    path("organisations/", registry.social_list, name="social_list"),
    path("organisations/new/", registry.social_new, name="social_new"),
    path("organisations/<int:pk>/", registry.social_detail, name="social_detail"),
    path("titles/", registry.title_list, name="title_list"),
    path("elders/", registry.council_list, name="council_list"),
    path("elders/<int:pk>/", registry.council_detail, name="council_detail"),
    path("venture/", venture.call_list, name="call_list"),
    path("venture/new/", venture.call_new, name="call_new"),
    path("venture/<int:pk>/", venture.call_detail, name="call_detail"),
    path("venture/<int:pk>/apply/", venture.call_apply, name="call_apply"),
    path("venture/<int:pk>/results/", views.venture_results, name="venture_results"),
    path("venture/<int:pk>/<slug:step>/", venture.call_step, name="call_step"),
    path("venture/applications/<int:pk>/", venture.application_detail, name="application_detail"),
    path("venture/applications/<int:pk>/<slug:step>/", venture.application_step, name="application_step"),
    path("rate/<str:code>/", views.rate_page, name="rate"),
    path("rate/<str:code>/qr.svg", views.rate_qr, name="rate_qr"),
    path("records/", views.records, name="records"),
]
