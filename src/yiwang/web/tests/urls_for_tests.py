"""The real URLs plus views that fail on purpose, so the error handlers and the message
rendering can be driven through the full middleware stack."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from yiwang import urls as project_urls


def boom(request: HttpRequest) -> HttpResponse:
    raise ValueError("a bug")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("tampered")


def with_messages(request: HttpRequest) -> HttpResponse:
    messages.success(request, "Saved.")
    messages.error(request, "Not saved.")
    return render(request, "web/about.html")


urlpatterns = [
    path("test-errors/boom/", boom),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/suspicious/", suspicious),
    path("test-errors/messages/", with_messages),
    *project_urls.urlpatterns,
]

handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
