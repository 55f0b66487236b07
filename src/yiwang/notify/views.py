"""Pages: the inbox, one message, and the development SMS inbox."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yiwang.notify import selectors, services
from yiwang.notify.forms import DevSmsFilterForm

PAGE_SIZE = 20


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    messages = selectors.messages_for_user(user=request.user)
    page = Paginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page": page})


@login_required
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    """Opening a message is reading it."""
    message = services.message_mark_read(user=request.user, message_id=message_id)
    return render(request, "notify/message.html", {"message": message})


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.message_mark_all_read(user=request.user)
    return redirect("notify:inbox")


def dev_sms(request: HttpRequest) -> HttpResponse:
    """The SMS the console backend "sent" — the demo's way to read login codes. Open to
    anyone (you read it before you can log in), so it exists only with SHOW_DEV_CODES."""
    if not settings.SHOW_DEV_CODES:
        raise Http404
    form = DevSmsFilterForm(request.GET or None)
    phone = form.cleaned_data["phone"] if form.is_bound and form.is_valid() else ""
    invalid = form.is_bound and not form.is_valid()
    sms = [] if invalid else selectors.dev_sms_recent(phone=phone)
    return render(request, "notify/dev_sms.html", {"form": form, "sms_list": sms, "phone": phone})
