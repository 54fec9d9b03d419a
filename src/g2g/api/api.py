"""The JSON API (django-ninja): version 1, mounted at /api/v1/, OpenAPI at /api/v1/openapi.json.

Token authentication only (no sessions, so no CSRF to consider). Every error is JSON of one
shape, `Error`: `detail`, and `errors` by field for input that cannot be used.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as RequestValidationError

from g2g.plans.services import StaleUpdateError

from . import endpoints, feeds
from .auth import ApiTokenAuth


class Api(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """Operation ids are the endpoint functions' names: list_actions, write_update …"""
        return operation.view_func.__name__


api = Api(
    title="Getting to Good API",
    version="1",
    description=(
        "Read an authority's improvement programme (plans, actions with current ratings, "
        "progress updates, measures and their values, inspections) and write progress updates "
        "and measure values, with the same permissions as the pages. Authenticate with a "
        "personal API token: `Authorization: Bearer <key>` (make one under API tokens)."
    ),
    urls_namespace="api-v1",
    auth=ApiTokenAuth(),
    docs_url=None,  # ninja's docs page loads its scripts from a CDN: not served
)
api.add_router("", endpoints.router)
api.add_router("", feeds.router)


def _error(request, status: int, detail: str, errors=(), **extra) -> HttpResponse:
    body = {"detail": detail, "errors": [{"field": f, "message": m} for f, m in errors], **extra}
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, "Give a valid API token: Authorization: Bearer <key>")
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "Your role does not allow this")


@api.exception_handler(RequestValidationError)
def invalid_request(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    errors = [
        (".".join(str(part) for part in error.get("loc", ())), str(error.get("msg", "")))
        for error in exc.errors
    ]
    return _error(request, 422, "The request cannot be used: see errors", errors)


@api.exception_handler(DjangoValidationError)
def invalid_content(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return _error(request, 422, "Nothing was written: see errors", _field_errors(exc))


@api.exception_handler(StaleUpdateError)
def stale_update(request: HttpRequest, exc: StaleUpdateError) -> HttpResponse:
    current = exc.current.version if exc.current is not None else None
    return _error(request, 409, exc.messages[0], current_version=current)


def _field_errors(exc: DjangoValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            ("" if field == "__all__" else f"body.{field}", message)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [("", message) for message in exc.messages]
