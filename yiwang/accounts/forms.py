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
