app_name = "grids"
urlpatterns = []
