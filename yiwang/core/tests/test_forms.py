"""A refusal lands on a page's form once, the same way in every app."""

from django import forms

from yiwang.core import errors
from yiwang.core.forms import add_refusal_to_form


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False)
    phone = forms.CharField(required=False)


def _form():
    form = ReasonForm({"reason": "", "phone": ""})
    assert form.is_valid()
    return form


def test_a_message_per_field_goes_under_its_field_and_the_rest_above_the_form():
    form = _form()
    left = add_refusal_to_form(form, errors.InputError({"reason": "Say why.", "elsewhere": "Hm."}))
    assert form.errors["reason"] == ["Say why."]
    assert form.non_field_errors() == ["Hm."] and left == {"elsewhere": ["Hm."]}


def test_an_action_field_may_be_mapped_to_the_forms_own_name():
    form = _form()
    add_refusal_to_form(form, errors.InputError({"applicants[0].phone": "Bad."}), fields={"applicants[0].phone": "phone"})
    assert form.errors["phone"] == ["Bad."]


def test_a_refusal_without_fields_goes_above_the_form():
    form = _form()
    add_refusal_to_form(form, errors.StaleVersion("Changed meanwhile."))
    assert form.non_field_errors() == ["Changed meanwhile."]
