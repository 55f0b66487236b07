"""Error pages in the visitor's language. 403 and 404 use the full layout; 400 and 500 use
the minimal one, which needs no request context, no database and no session — those are the
moments when any of them may be what broke.

Wired in ``yiwang/urls.py`` (handler400/403/404/500) and ``settings.CSRF_FAILURE_VIEW``."""

from __future__ import annotations

import structlog
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template
from django.utils.translation import gettext as _

log = structlog.get_logger(__name__)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    content = get_template("web/errors/400.html").render()
    return HttpResponse(content, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        content = get_template("web/errors/500.html").render()
    except Exception:  # the error page itself must never raise
        log.exception("error_page.render_failed")
        content = _("Sorry, there is a problem with the service. Please try again later.")
        return HttpResponseServerError(content, content_type="text/plain; charset=utf-8")
    return HttpResponseServerError(content)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # The reason is for operators (cookies blocked, bad origin); visitors get plain advice.
    log.warning("csrf.failure", reason=reason)
    return render(request, "web/errors/403_csrf.html", status=403)
