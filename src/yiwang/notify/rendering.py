"""Bilingual message templates: ``notify/messages/<code>/{subject,body,sms}.txt``.

One template serves both languages: it is rendered with ``translation.override(language)``
and its text is inside ``{% translate %}`` / ``{% blocktranslate %}``. Rendering happens when
a message is sent, so the recipient reads it in the language they had chosen then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation import gettext_lazy as _

TEMPLATE_CODE = re.compile(r"^[a-z0-9_]{1,64}$")
MSG_UNKNOWN_TEMPLATE = _("There is no message template called “%(template)s”.")


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    sms: str


def message_language(language: str | None) -> str:
    """One of the site's languages; anything else falls back to the default."""
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def _render(path: str, context: dict[str, Any]) -> str:
    return get_template(path).render(context).strip()


def message_render(*, template: str, context: dict[str, Any], language: str) -> Rendered:
    """Render a template's subject, body and SMS text in ``language``.

    ``sms.txt`` is optional: without it an SMS carries the body.
    """
    if not TEMPLATE_CODE.match(template):
        raise ValidationError(
            MSG_UNKNOWN_TEMPLATE, code="unknown_template", params={"template": template}
        )
    base = f"notify/messages/{template}"
    with translation.override(message_language(language)):
        try:
            subject = " ".join(_render(f"{base}/subject.txt", context).split())
            body = _render(f"{base}/body.txt", context)
        except TemplateDoesNotExist:
            raise ValidationError(
                MSG_UNKNOWN_TEMPLATE, code="unknown_template", params={"template": template}
            ) from None
        try:
            sms = " ".join(_render(f"{base}/sms.txt", context).split())
        except TemplateDoesNotExist:
            sms = body
    return Rendered(subject=subject, body=body, sms=sms)
