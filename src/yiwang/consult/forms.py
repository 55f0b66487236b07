"""Page forms: shapes only (lengths, required); the rules live in the services, whose errors
``errors_apply`` puts next to the right field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yiwang.consult.services.questions import BODY_MAX, TITLE_MAX

MSG_CONFIRM_NONE = _("Tick the box to say that none of the answers above answers your question.")


def _input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "yw-input", **attrs})


def _area(rows: int = 6, **attrs: Any) -> forms.Textarea:
    return forms.Textarea(attrs={"class": "yw-textarea", "rows": rows, **attrs})


def errors_apply(form: forms.Form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form's fields (or the form itself)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class AskForm(forms.Form):
    title = forms.CharField(
        label=_("Question in a few words"),
        max_length=TITLE_MAX,
        strip=True,
        help_text=_("For example: 开饭店要办什么证 or which documents do I need"),
        widget=_input(autocomplete="off"),
    )
    body = forms.CharField(
        label=_("Your question in full"),
        max_length=BODY_MAX,
        help_text=_(
            "Say what you want to do and what you have already tried. Do not write "
            "your ID number: the department can see who you are."
        ),
        widget=_area(),
    )
    item = forms.CharField(required=False, widget=forms.HiddenInput)
    submit_token = forms.UUIDField(widget=forms.HiddenInput)
    none_answered = forms.BooleanField(
        label=_("None of the answers above answers my question"), required=False
    )


class FollowUpForm(forms.Form):
    body = forms.CharField(
        label=_("Ask a follow-up question"), max_length=BODY_MAX, widget=_area(rows=4)
    )


class AnswerForm(forms.Form):
    body = forms.CharField(label=_("Answer"), max_length=BODY_MAX, widget=_area(rows=8))


class TransferForm(forms.Form):
    to_department = forms.TypedChoiceField(
        label=_("Send to"),
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "yw-select"}),
    )
    reason = forms.CharField(label=_("Why it belongs there"), max_length=500, widget=_area(rows=3))


class PublishForm(forms.Form):
    title_zh = forms.CharField(
        label=_("Public question (Chinese)"), max_length=200, widget=_input()
    )
    body_zh = forms.CharField(label=_("Public answer (Chinese)"), max_length=4000, widget=_area())
    title_en = forms.CharField(
        label=_("Public question (English)"), max_length=200, required=False, widget=_input()
    )
    body_en = forms.CharField(
        label=_("Public answer (English)"), max_length=4000, required=False, widget=_area()
    )


class FaqForm(PublishForm):
    implementation = forms.TypedChoiceField(
        label=_("Service"), coerce=int, widget=forms.Select(attrs={"class": "yw-select"})
    )
    publish = forms.BooleanField(label=_("Publish it now"), required=False)

    field_order = ["implementation", "title_zh", "body_zh", "title_en", "body_en", "publish"]


class HotlineForm(forms.Form):
    caller_phone = forms.CharField(
        label=_("Caller's mobile phone"),
        max_length=20,
        widget=_input(inputmode="tel", autocomplete="off"),
    )
    caller_name = forms.CharField(
        label=_("Caller's name"), max_length=50, required=False, widget=_input(autocomplete="off")
    )
    item = forms.ChoiceField(
        label=_("Service asked about"),
        required=False,
        widget=forms.Select(attrs={"class": "yw-select"}),
    )
    title = forms.CharField(
        label=_("Question in a few words"), max_length=TITLE_MAX, widget=_input(autocomplete="off")
    )
    body = forms.CharField(label=_("What the caller asked"), max_length=BODY_MAX, widget=_area())
    submit_token = forms.UUIDField(widget=forms.HiddenInput)


class UnmaskForm(forms.Form):
    purpose = forms.CharField(
        label=_("Why you need the full name and phone"), max_length=200, widget=_input()
    )
