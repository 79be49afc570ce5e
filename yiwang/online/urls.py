app_name = "online"
urlpatterns = []
