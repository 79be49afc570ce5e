from django.contrib.auth import views as auth_views
from django.urls import path

from yiwang.accounts import views, views_security

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("security/", views_security.security, name="security"),
    path("tokens/<int:pk>/revoke/", views_security.revoke_token, name="revoke_token"),
    path("two-factor/enrol/", views_security.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/verify/", views_security.two_factor_verify, name="two_factor_verify"),
]
