"""Request-wide middleware: a request id and client address for logs and audit, and the
guards every JSON API shares (body size, rate limit, ``Idempotency-Key``)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

import structlog
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation

from yiwang.core import errors
from yiwang.core.models import IdempotencyRecord
from yiwang.core.ratelimit import parse_rate, rate_limit_hit

API_PREFIXES = ("/api/",)


@dataclass(frozen=True)
class RequestMeta:
    request_id: str
    ip: str
    user_agent: str


current_request: ContextVar[RequestMeta | None] = ContextVar("current_request", default=None)


def client_ip(request: HttpRequest) -> str:
    """The caller's address; ``X-Forwarded-For`` is trusted only behind a configured proxy."""
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex
        meta = RequestMeta(
            request_id=request_id,
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", "")[:300],
        )
        token = current_request.set(meta)
        structlog.contextvars.bind_contextvars(request_id=request_id, path=request.path)
        try:
            response = self.get_response(request)
        finally:
            structlog.contextvars.clear_contextvars()
            current_request.reset(token)
        response["X-Request-Id"] = request_id
        return response


def error_response(error: errors.ApiError) -> JsonResponse:
    response = JsonResponse(
        error.payload(), status=error.status, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in error.headers.items():
        response[name] = value
    return response


def caller_scope(request: HttpRequest) -> str:
    """A stable digest of who is calling: bearer token, session, or address."""
    auth = request.headers.get("Authorization", "")
    if auth:
        basis = "auth:" + auth
    elif request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        basis = "session:" + request.COOKIES[settings.SESSION_COOKIE_NAME]
    else:
        basis = "ip:" + client_ip(request)
    return hashlib.sha256(basis.encode()).hexdigest()


class ApiGuardMiddleware:
    """Runs after locale and auth middleware so messages are in the caller's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIXES):
            return self.get_response(request)
        translation.activate(translation.get_language_from_request(request))
        try:
            self._check_size(request)
            self._check_rate(request)
            key = request.headers.get("Idempotency-Key", "")
            if request.method == "POST" and key:
                return self._idempotent(request, key)
        except errors.ApiError as error:
            return error_response(error)
        return self.get_response(request)

    def _check_size(self, request: HttpRequest) -> None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # A file upload (multipart) may be as large as an upload may be; JSON stays small.
        multipart = request.content_type == "multipart/form-data"
        limit = settings.API_MAX_UPLOAD_BYTES if multipart else settings.API_MAX_BODY_BYTES
        if length > limit:
            raise errors.ApiError(
                status=413,
                code="request_too_large",
                message=errors.MSG_TOO_LARGE,
                details={"max_bytes": limit},
            )

    def _check_rate(self, request: HttpRequest) -> None:
        limit, window = parse_rate(settings.API_RATE_LIMIT)
        result = rate_limit_hit(key="api:" + caller_scope(request), limit=limit, window=window)
        if not result.allowed:
            raise errors.ApiError(
                status=429,
                code="rate_limited",
                message=errors.MSG_RATE_LIMITED,
                details={"retry_after": result.retry_after},
                headers={"Retry-After": str(result.retry_after)},
            )

    def _idempotent(self, request: HttpRequest, key: str) -> HttpResponse:
        scope = caller_scope(request)
        body = request.body  # size already checked
        fingerprint = hashlib.sha256(b"\n".join([request.path.encode(), body])).hexdigest()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    scope=scope, key=key[:255], fingerprint=fingerprint
                )
        except IntegrityError:
            return self._replay(scope=scope, key=key[:255], fingerprint=fingerprint)
        response = self.get_response(request)
        if response.status_code >= 500 or response.streaming:
            record.delete()  # a failure may be retried with the same key
            return response
        record.status_code = response.status_code
        record.content_type = response.get("Content-Type", "")
        record.body = response.content
        record.save(update_fields=["status_code", "content_type", "body"])
        return response

    def _replay(self, *, scope: str, key: str, fingerprint: str) -> HttpResponse:
        record = IdempotencyRecord.objects.get(scope=scope, key=key)
        if record.fingerprint != fingerprint:
            raise errors.ApiError(
                status=422, code="idempotency_key_reused", message=errors.MSG_IDEMPOTENCY_CONFLICT
            )
        if not record.completed:
            raise errors.ApiError(
                status=409,
                code="idempotency_in_progress",
                message=errors.MSG_IDEMPOTENCY_IN_PROGRESS,
            )
        response = HttpResponse(
            bytes(record.body or b""),
            status=record.status_code,
            content_type=record.content_type or "application/json",
        )
        response["Idempotent-Replayed"] = "true"
        return response
