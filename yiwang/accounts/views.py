from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from yiwang.accounts import twofactor
from yiwang.accounts.forms import LoginForm
from yiwang.admin import can_open_admin
from yiwang.areas.models import Centre, Organisation, Team, Window
from yiwang.core import registry
from yiwang.core.scope import get_grants, user_can


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        # A password alone does not finish signing in for whom two-factor applies: on to the code.
        url = super().get_success_url()
        if twofactor.must_verify(self.request.user, url):
            step = "accounts:two_factor_verify" if twofactor.has_device(self.request.user) else "accounts:two_factor_enrol"
            return f"{reverse(step)}?{urlencode({'next': url})}"
        return url


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
    """The home page is the reader's work: the tiles the apps contribute for what the reader's grants
    open (a grid worker's visits of the week, a mediator's cases, a unit's dispatched problems, a
    leader's figures), first; master data counts only for those who keep or route by it
    (masterdata.view); the API documentation only for roles that use the API (api.use)."""
    user = request.user
    counts = None
    if user_can(user, "masterdata.view"):
        counts = {
            "centres": Centre.objects.visible_to(user).count(),
            "windows": Window.objects.visible_to(user).count(),
            "teams": Team.objects.visible_to(user).count(),
            "organisations": Organisation.objects.visible_to(user).count(),
        }
    links = {
        "admin": can_open_admin(user),
        "audit": user_can(user, "audit.view"),
        "api_docs": user_can(user, "api.use"),
    }
    return render(
        request,
        "accounts/home.html",
        {
            "grants": get_grants(user),
            "counts": counts,
            "links": links if any(links.values()) else None,
            "tiles": get_home_tiles(user),
        },
    )
