from django.urls import path, re_path

from yiwang.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.home, name="home"),
    re_path(r"^(?P<code>[0-9]{2,12})/$", views.dashboard, name="dashboard"),
    re_path(r"^(?P<code>[0-9]{2,12})/meeting/$", views.meeting, name="meeting"),
    re_path(r"^(?P<code>[0-9]{2,12})/(?P<key>[a-z]+)\.xlsx$", views.export_table, name="export"),
    re_path(r"^(?P<code>[0-9]{2,12})/(?P<key>[a-z]+)\.xlsx/job$", views.export_table_job, name="export_job"),
    re_path(r"^(?P<code>[0-9]{2,12})/month/(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})\.pdf$", views.month_report,
            name="month_report"),
]
