from django.urls import path

from yiwang.areas import views

app_name = "areas"
urlpatterns = [
    path("centres/", views.centre_list, name="centre_list"),
    path("centres/<int:pk>/", views.centre_detail, name="centre_detail"),
    path("teams/", views.team_list, name="team_list"),
    path("organisations/", views.organisation_list, name="organisation_list"),
]
