"""How the web door answers domain errors: the one place that maps them to pages and forms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
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
