from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "demo_password": _(
            "The demo password cannot be used on a production server. Ask an administrator to set your password."
        ),
    }

    def clean(self):
        if self.cleaned_data.get("password") == settings.DEMO_PASSWORD and not settings.DEBUG:
            raise forms.ValidationError(self.error_messages["demo_password"], code="demo_password")
        return super().clean()


class CodeForm(forms.Form):
    """A one-time code: six digits from the authenticator app, or a recovery code."""

    code = forms.CharField(label=_("One-time code"), max_length=20, widget=forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}))


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60,
                           help_text=_("Which system will use it, e.g. the bank's batch system."))
