"""Every answer carries the browser-side defences: a Content-Security-Policy that runs only
cobench's own scripts and lets nothing frame it, a Permissions-Policy switching off devices, and
no caching of what a signed-in person sees or of the API."""

import pytest
from django.test import Client

from .conftest import ApiClient
from .test_isolation import cdk2, every_get  # noqa: F401  the CDK2 objects every route is named with

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


def test_every_page_and_api_answer_carries_the_policies(world, cdk2):  # noqa: F811
    web = Client()
    web.force_login(world.sponsor_lead)
    pages = 0
    for where, response in every_get(world, cdk2, ApiClient(world.sponsor_lead), web):
        assert "camera=()" in response["Permissions-Policy"], where
        assert response["X-Frame-Options"] == "DENY", where
        if where.startswith("GET /api/"):
            assert "no-store" in response["Cache-Control"], where
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        csp = _directives(response)
        assert csp["script-src"] == ["'self'"], where
        assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"], where
        assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"], where
        assert "no-store" in response["Cache-Control"], where
        pages += 1
    assert pages >= 40


def test_inline_styles_only_where_the_structure_editor_is(web, world):
    with_editor = web(world.sponsor_lead).get(f"/projects/{world.project.id}/requests/new/")
    without = web(world.sponsor_lead).get(f"/projects/{world.project.id}/")
    assert _directives(with_editor)["style-src"] == ["'self'", "'unsafe-inline'"]
    assert _directives(without)["style-src"] == ["'self'"]
    assert _directives(with_editor)["script-src"] == ["'self'"]


def test_the_login_page_is_under_the_policy_too(web):
    response = web(None).get("/login/")
    assert _directives(response)["script-src"] == ["'self'"]
    assert "microphone=()" in response["Permissions-Policy"]


def test_pictures_keep_their_inline_styling_as_svg_attributes(web, world):
    from .compounds.objects import register

    compound = register(world, "c1ccncc1O").compound
    page = web(world.sponsor_lead).get(f"/projects/{world.project.id}/compounds/{compound.id}/")
    body = page.content.decode()
    assert "<svg" in body and 'stroke="#000000"' in body
    assert " style=" not in body
