"""Errors as RFC 9457 problem details, with per-field messages."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from cobench.core.errors import CobenchError, NotFound, TooManyFailures

PROBLEM_TYPE = "https://cobench.dev/problems/"
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    title: str,
    detail: str,
    errors: dict[str, list[str]] | None = None,
    slug: str | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + (slug or title.lower().replace(" ", "-")),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


def _field(loc: tuple[Any, ...]) -> str:
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and len(parts) > 1:
            parts.pop(0)  # the body parameter's own name
    return ".".join(str(p) for p in parts) or "body"


def install(api: NinjaAPI) -> None:
    """Route every error the API can raise through `problem`."""

    @api.exception_handler(CobenchError)
    def domain_error(request: HttpRequest, exc: CobenchError) -> HttpResponse:
        response = problem(
            api, request, status=exc.status, title=exc.title, detail=exc.detail, errors=exc.errors
        )
        if isinstance(exc, TooManyFailures):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for err in exc.errors:
            errors.setdefault(_field(tuple(err.get("loc", ()))), []).append(
                str(err.get("msg", "Invalid value.")).removeprefix("Value error, ")
            )
        return problem(
            api,
            request,
            status=422,
            title="Invalid input",
            detail="Some fields are missing or invalid.",
            errors=errors,
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = problem(
            api,
            request,
            status=401,
            title="Unauthorized",
            detail="Sign in, or send a valid personal API token as "
            "'Authorization: Bearer <token>'; the token may be unknown, "
            "expired or revoked.",
        )
        response["WWW-Authenticate"] = 'Bearer realm="cobench"'
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return domain_error(request, NotFound())

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(api, request, status=exc.status_code, title="Error", detail=str(exc))
