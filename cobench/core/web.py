"""What every page shares: signed-in pages, forms submitted to one service, htmx, conflicts.

A page is a function decorated with `page`; it parses the request, calls one
service through `submit` (or one restricted query) and renders. Domain errors
become pages and form messages here and nowhere else. The project a page is about
comes from `cobench.tenancy.access.project_for`, its frame from `project_context`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from cobench.core.errors import (
    CobenchError,
    Conflict,
    InvalidInput,
    NotFound,
    ReauthenticationFailed,
    StaleVersion,
)

# refusals a user answers by correcting the form; NotFound and Forbidden become error pages
FORM_ERRORS = (InvalidInput, Conflict, StaleVersion, ReauthenticationFailed)


def page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A signed-in page: NotFound is a 404, any other refusal left unhandled its own error page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.detail) from exc
        except CobenchError as exc:
            return render(request, "web/error.html", {"error": exc}, status=exc.status)

    return wrapper


def attach(form: forms.Form, exc: CobenchError) -> None:
    """Put a refusal on `form`: per-field messages beside their inputs, the rest on top."""
    all_placed = True
    for name, messages in exc.errors.items():
        for message in messages:
            if name in form.fields:
                form.add_error(name, message)
            else:
                all_placed = False
                form.add_error(None, f"{name.replace('_', ' ').capitalize()}: {message}")
    if not (isinstance(exc, InvalidInput) and exc.errors and all_placed):
        form.add_error(None, exc.detail)


@dataclass(frozen=True)
class Outcome:
    """What became of a submitted form: whether the service did it, its result, the status.

    `status` is what to render the form page with when it was not done: 200 for a
    GET, 422 for invalid input, else the refusal's own status.
    """

    done: bool
    result: Any = None
    status: int = 200


def submit(request: HttpRequest, form: forms.Form, action: Callable[[dict], Any]) -> Outcome:
    """On a POST with a valid `form`, call `action(form.cleaned_data)`, the one service call.

    A refusal the user can correct (FORM_ERRORS) goes onto the form via `attach`;
    other refusals propagate to `page`. Nothing is done unless the request is a POST.
    """
    if request.method != "POST":
        return Outcome(done=False)
    if not form.is_valid():
        return Outcome(done=False, status=422)
    try:
        result = action(form.cleaned_data)
    except FORM_ERRORS as exc:
        attach(form, exc)
        return Outcome(done=False, status=exc.status)
    return Outcome(done=True, result=result)


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request: the page answers with its partial template."""
    return request.headers.get("HX-Request") == "true"


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST, even an empty one (an empty QueryDict is falsy), else None."""
    return request.POST if request.method == "POST" else None


def rebased(form: forms.Form, exc: StaleVersion, *, field: str = "version", **kwargs: Any) -> Any:
    """The user's input again, now based on the stored version, with the conflict on top.

    Nothing typed is lost; saving again is a deliberate choice to write over the
    version they have now been shown. `field` is the form's hidden version input.
    """
    data = cast(QueryDict, form.data).copy()  # bound to request.POST by every page
    data[field] = str(exc.current)
    again = type(form)(data, **kwargs)
    again.is_valid()
    attach(again, exc)
    return again
