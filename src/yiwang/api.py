"""``/api/v1/``: the citizen and staff JSON API (django-ninja, OpenAPI 3.1).

Each app contributes one router from its ``api.py``; this module only assembles them and
maps every error to the one shape ``{"code", "message", "details"}``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from yiwang.accounts.api import router as accounts_router
from yiwang.accounts.api_auth import api_auth
from yiwang.applications.api import router as applications_router
from yiwang.audit.api import router as audit_router
from yiwang.catalog.api import router as catalog_router
from yiwang.certificates.api import router as certificates_router
from yiwang.consult.api import router as consult_router
from yiwang.core import errors
from yiwang.core.middleware import error_response
from yiwang.delivery.api import router as delivery_router
from yiwang.halls.api import router as halls_router
from yiwang.notify.api import router as notify_router
from yiwang.regions.api import router as regions_router
from yiwang.reviews.api import router as reviews_router

api = NinjaAPI(
    title="Yiwang API",
    version="1",
    description=(
        "一网通办 citizen and staff API. Authenticate with the web session (send the CSRF token) "
        "or `Authorization: Bearer <token>`. Every error is `{code, message, details}` in the "
        "request's language (`Accept-Language: zh-hans` or `en`). Every POST honours "
        "`Idempotency-Key`."
    ),
    auth=api_auth,
    urls_namespace="api-v1",
    docs_url="/docs",
)

api.add_router("/", accounts_router)
api.add_router("/regions", regions_router)
api.add_router("/audit", audit_router)
api.add_router("/catalog", catalog_router)
api.add_router("/messages", notify_router)
api.add_router("/halls", halls_router)
api.add_router("/certificates", certificates_router)
api.add_router("/applications", applications_router)
api.add_router("/delivery", delivery_router)
api.add_router("/consult", consult_router)
api.add_router("/reviews", reviews_router)


@api.exception_handler(errors.ApiError)
def _api_error(request: HttpRequest, exc: errors.ApiError) -> HttpResponse:
    return error_response(exc)


@api.exception_handler(ValidationError)
def _domain_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(
        errors.ApiError(
            status=422,
            code=errors.validation_error_code(exc),
            message=errors.MSG_INVALID_INPUT if hasattr(exc, "error_dict") else exc.messages[0],
            details=errors.validation_details(exc),
        )
    )


@api.exception_handler(NinjaValidationError)
def _shape_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    malformed = any(
        e.get("type") == "json_invalid" or "JSON" in str(e.get("msg", "")) for e in exc.errors
    )
    if malformed:
        return error_response(
            errors.ApiError(status=400, code="malformed_json", message=errors.MSG_MALFORMED_JSON)
        )
    details = [
        {"loc": list(e.get("loc", [])), "type": e.get("type"), "msg": e.get("msg")}
        for e in exc.errors
    ]
    return error_response(
        errors.ApiError(
            status=422, code="invalid_input", message=errors.MSG_INVALID_INPUT, details=details
        )
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        errors.ApiError(status=401, code="unauthenticated", message=errors.MSG_UNAUTHENTICATED)
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(
        errors.ApiError(status=403, code="forbidden", message=errors.MSG_FORBIDDEN)
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(
        errors.ApiError(status=404, code="not_found", message=errors.MSG_NOT_FOUND)
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja turns a body it cannot parse into HttpError(400) caused by the parser's ValueError
    # (json.JSONDecodeError and UnicodeDecodeError are both ValueErrors).
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        error = errors.ApiError(
            status=400, code="malformed_json", message=errors.MSG_MALFORMED_JSON
        )
    else:
        code, message = HTTP_ERRORS.get(exc.status_code, ("http_error", errors.MSG_INVALID_INPUT))
        error = errors.ApiError(status=exc.status_code, code=code, message=message)
    return error_response(error)


HTTP_ERRORS = {
    401: ("unauthenticated", errors.MSG_UNAUTHENTICATED),
    403: ("forbidden", errors.MSG_FORBIDDEN),
    404: ("not_found", errors.MSG_NOT_FOUND),
    429: ("rate_limited", errors.MSG_RATE_LIMITED),
}
