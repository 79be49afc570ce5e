from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.forms import LoginForm
from yiwang.admin import can_open_admin
from yiwang.areas.models import Centre, Organisation, Team, Window
from yiwang.core import registry
from yiwang.core.scope import get_grants, user_can


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        from yiwang.audit.actions import record

        response = super().form_valid(form)
        record(self.request.user, "auth.password_changed", self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


def root(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return redirect("home")


def get_home_tiles(user) -> list[dict]:
    """The tiles the other apps put on the home page (core.registry.home_tiles), in the registry's order,
    leaving out those with nothing for this user."""
    tiles = []
    for tile in registry.home_tiles:
        context = tile.context(user)
        if context is not None:
            tiles.append({"name": tile.name, "template": tile.template, "context": context})
    return tiles


@login_required
def home(request):
    """The staff home page: who you are, where you work and what you can open."""
    user = request.user
    counts = {
        "centres": Centre.objects.visible_to(user).count(),
        "windows": Window.objects.visible_to(user).count(),
        "teams": Team.objects.visible_to(user).count(),
        "organisations": Organisation.objects.visible_to(user).count(),
    }
    return render(
        request,
        "accounts/home.html",
        {
            "grants": get_grants(user),
            "counts": counts,
            "can_admin": can_open_admin(user),
            "can_audit": user_can(user, "audit.view"),
            "tiles": get_home_tiles(user),
        },
    )
