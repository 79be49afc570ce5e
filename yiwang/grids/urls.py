from django.urls import path, re_path

from yiwang.grids import open311, views

app_name = "grids"
urlpatterns = [
    path("grids/", views.home, name="home"),
    path("grids/board/<str:code>/", views.board, name="board"),
    path("grids/board/<str:code>/figures/", views.figures, name="figures"),
    path("grids/board/<str:code>/month/<int:year>-<int:month>/", views.month_report_page, name="month"),
    re_path(r"^grids/board/(?P<code>[0-9G]+)/month/(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})\.(?P<fmt>pdf|xlsx)$",
            views.month_report, name="month_export"),
    path("grids/visits/new/", views.visit_new, name="visit_new"),
    path("grids/visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("grids/tasks/", views.task_list, name="task_list"),
    path("grids/problems/", views.problem_list, name="problem_list"),
    path("grids/problems/new/", views.problem_new, name="problem_new"),
    path("grids/problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("grids/problems/<int:pk>/<slug:step>/", views.problem_step, name="problem_step"),
    path("grids/photos/<int:pk>/", views.photo, name="photo"),
    re_path(r"^open311/v2/services(?:\.(?P<fmt>json|xml))?$", open311.services, name="open311_services"),
    re_path(r"^open311/v2/services/(?P<code>[^/.]+)(?:\.(?P<fmt>json|xml))?$", open311.service_definition,
            name="open311_service"),
    re_path(r"^open311/v2/requests(?:\.(?P<fmt>json|xml))?$", open311.requests, name="open311_requests"),
    re_path(r"^open311/v2/requests/(?P<request_id>[^/.]+)(?:\.(?P<fmt>json|xml))?$", open311.request_detail,
            name="open311_request"),
    re_path(r"^open311/v2/tokens/(?P<token>[^/.]+)(?:\.(?P<fmt>json|xml))?$", open311.token, name="open311_token"),
    re_path(r"^open311/v2/discovery(?:\.(?P<fmt>json|xml))?$", open311.discovery, name="open311_discovery"),
]
