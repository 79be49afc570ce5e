"""The user's own security pages: two-factor enrolment and verification, and their API tokens."""

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.accounts import actions, twofactor
from yiwang.accounts.forms import CodeForm, TokenForm
from yiwang.core.errors import InputError


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return "/home/"


@login_required
def security(request):
    """Two-factor status and the user's API tokens; a new token's key is shown here once."""
    new_key = None
    form = TokenForm()
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                _token, new_key = actions.do_issue_token(request.user, form.cleaned_data["name"])
                form = TokenForm()
            except InputError as error:
                for message in error.message_dict.get("name", []):
                    form.add_error("name", message)
    return render(request, "accounts/security.html", {
        "form": form,
        "new_key": new_key,
        "tokens": request.user.api_tokens.all(),
        "enrolled": twofactor.has_device(request.user),
        "required": twofactor.needs_two_factor(request.user),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def revoke_token(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk)  # someone else's token: 404
    actions.do_revoke_token(token, by=request.user)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:security")


@login_required
def two_factor_enrol(request):
    """Set up an authenticator app: a QR code, then a code from the app; the recovery codes are shown
    once. Replacing an enrolled device needs a session already verified with it."""
    if twofactor.has_device(request.user) and not twofactor.is_verified(request.user):
        return redirect("accounts:two_factor_verify")
    device = actions.do_start_enrolment(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = actions.do_confirm_enrolment(request.user, device, form.cleaned_data["code"])
        except InputError as error:
            form.add_error("code", error.message_dict["code"][0])
        else:
            from django_otp import login as otp_login

            device.refresh_from_db()
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
    qr = segno.make(device.config_url, error="m")
    return render(request, "accounts/two_factor_enrol.html", {
        "form": form,
        # segno writes the SVG markup itself (no user input in it): inline, so no data: URL is needed.
        "qr_svg": mark_safe(qr.svg_inline(scale=4, omitsize=False)),  # noqa: S308
        "secret": b32encode(device.bin_key).decode(),
        "next": _next_url(request),
        "required": twofactor.needs_two_factor(request.user),
    }, status=400 if form.errors else 200)


@login_required
def two_factor_verify(request):
    """The second step of signing in: a code from the app or one recovery code (used up)."""
    from django_otp import login as otp_login

    from yiwang.audit.actions import record

    if not twofactor.has_device(request.user):
        return redirect("accounts:two_factor_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify_code(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            record(request.user, "auth.two_factor_verified", request.user, device=device.__class__.__name__)
            return redirect(_next_url(request))
        record(request.user, "auth.two_factor_failed", request.user)
        form.add_error("code", _("Wrong or used code. Try the code the app shows now, or an unused recovery code."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)},
                  status=400 if form.errors else 200)
