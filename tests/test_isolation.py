"""Nobody sees what is not theirs, through any door.

Every API operation (from the OpenAPI schema) and every web URL (from the URL
resolver) is enumerated; each object parameter is filled with an object of the
CDK2 project, and an outsider and a member of another project must get the same
404 they get for an id that does not exist, with nothing of CDK2 in the answer.
A new route is covered without a new test; a route with a parameter this file
does not know fails until the parameter is declared in OBJECTS.
"""

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cobench.api.urls import api as ninja_api
from cobench.charters.services import revise_charter
from cobench.compounds.services import update_lot
from cobench.concerns.services import comment_on_concern, raise_concern
from cobench.meetings.services import update_meeting
from cobench.notifications.kinds import Kind
from cobench.notifications.services import notify
from cobench.status.services import start_status
from cobench.tenancy.models import ProjectMember, UserSession
from cobench.tenancy.services import create_api_token

from .assays.objects import cdk2_assays
from .assays.series_objects import cdk2_series
from .compound_requests.objects import cdk2_requests
from .compounds.objects import ROSCOVITINE, cdk2_compounds
from .conftest import ApiClient, World
from .meetings.objects import cdk2_meetings

# How to find, in the world, the CDK2 object each URL parameter names.
OBJECTS: dict[str, Callable[[World, dict[str, Any]], Any]] = {
    "project_id": lambda w, o: w.project.id,
    "version_id": lambda w, o: o["version"].id,
    "other_id": lambda w, o: o["version"].id,
    "member_id": lambda w, o: o["member"].id,
    "partner_id": lambda w, o: o["partner"].id,
    "token_id": lambda w, o: o["token"].id,
    "session_id": lambda w, o: o["session"].id,
    "notification_id": lambda w, o: o["notification"].id,
    "concern_id": lambda w, o: o["concern"].id,
    "series_id": lambda w, o: o["series"].id,
    "meeting_id": lambda w, o: o["meeting"].id,
    "item_id": lambda w, o: o["action_item"].id,
    "file_id": lambda w, o: o["meeting_file"].id,
    "target_type": lambda w, o: "tenancy.project",
    "target_id": lambda w, o: w.project.id,
    "document_id": lambda w, o: o["status"].document_id,
    "version_number": lambda w, o: o["status"].number,
    "compound_request_id": lambda w, o: o["compound_request"].id,
    "compound_id": lambda w, o: o["compound"].id,
    "lot_id": lambda w, o: o["lot"].id,
    "lot_file_id": lambda w, o: o["lot_file"].id,
    "shipment_id": lambda w, o: o["shipment"].id,
    "import_id": lambda w, o: o["compound_import"].id,
    "chemical_series_id": lambda w, o: o["chemical_series"].id,
    "assay_id": lambda w, o: o["assay"].id,
    "result_id": lambda w, o: o["result"].id,
    "assay_file_id": lambda w, o: o["assay_file"].id,
    "result_import_id": lambda w, o: o["result_import"].id,
}
# Pages the sponsor lead may see but not open (403): who opens them instead (URL name → persona).
OWNERS: dict[str, str] = {"status-edit": "partner_lead"}
# URL prefixes that are not project data: Django's admin (staff only) and the API (below);
# the calendar feed opens with its secret token, not a session (tests/meetings/test_calendar.py).
NOT_WEB = ("admin/", "api/", "static/", "calendar/feed/")


@pytest.fixture
def cdk2(world: World) -> dict[str, Any]:
    """The CDK2 objects an intruder will try to reach, and what would betray them."""
    version = revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        content=world.charter(),
        reason="Kickoff",
        base_number=0,
    )
    token, _ = create_api_token(actor=world.sponsor_lead, name="alice's laptop")
    Client(REMOTE_ADDR="192.0.2.44").post(
        "/login/", {"username": "alice", "password": world.password}
    )
    status = start_status(
        actor=world.partner_lead,
        project=world.project,
        sections={"progress": "Twelve analogues made", "asks": "Send the CDK1 counterscreen"},
    )
    (notification,) = notify(
        kind=Kind.STATUS_STALE,
        recipients=[world.sponsor_lead],
        about=None,
        project=world.project,
        title="CDK2 inhibitors: Northbridge's status is stale",
    )
    concern = raise_concern(
        actor=world.partner_scientist,
        project=world.project,
        title="Hinge NH stability worry",
        description="Tar again at 80 C.",
        category="technical",
        severity="high",
        confidential=True,
    )
    comment_on_concern(actor=world.partner_scientist, concern=concern, body="Seen twice now")
    objects = {
        "version": version,
        "concern": concern,
        "member": ProjectMember.objects.get(user=world.partner_scientist),
        "partner": world.project.partners.get(),
        "token": token,
        "session": UserSession.objects.get(user=world.sponsor_lead),
        "status": status,
        "notification": notification,
    }
    meetings = cdk2_meetings(world)
    objects |= meetings
    requests = cdk2_requests(world)
    objects |= requests
    registry = cdk2_compounds(world)
    objects |= registry
    chemical_series = cdk2_series(world)
    objects |= chemical_series
    assays = cdk2_assays(world, registry["compound"].registry_id)
    objects |= assays
    # canaries in the minutes and a lot's notes, written by Northbridge's people
    update_meeting(
        actor=world.partner_lead,
        meeting=meetings["meeting"],
        expected_version=None,
        minutes="Canary minutes: palladium black again",
    )
    update_lot(
        actor=world.partner_scientist,
        lot=registry["lot"],
        expected_version=registry["lot"].version,
        notes="Canary lot note: racemised at C3",
    )
    # what a rival partner on CDK2 must not see: Northbridge's work and the sponsor's with it
    objects["walled_markers"] = [
        *meetings["markers"],
        *assays["markers"],
        *requests["markers"],
        *registry["markers"],
        "alice's laptop",
        "192.0.2.44",
        "Twelve analogues made",
        "Hinge NH stability worry",
        "Seen twice now",
        "Canary minutes: palladium black again",
        "Canary lot note: racemised at C3",
        str(concern.id),
        str(objects["member"].id),
        str(objects["partner"].id),
    ]
    objects["markers"] = [
        *objects["walled_markers"],
        *chemical_series["markers"],
        "PRJ-CDK2",
        "CDK2 inhibitors",
        str(world.project.id),
        str(version.id),
        "Hinge binders",
    ]
    return objects


# Parameters naming what every member of the project sees, a rival partner's people too.
PROJECT_WIDE = {"project_id", "version_id", "other_id", "target_type", "target_id"}
PROJECT_WIDE |= {"chemical_series_id"}


def _intruder(request: Any, world: World, name: str) -> tuple[Any, str]:
    """The intruder `name` and the markers they must not see: an outsider and a member of
    another project see nothing of CDK2; a rival partner on CDK2 (another CRO) sees the
    project and its charter, nothing of Northbridge's work."""
    if name == "rival":
        return request.getfixturevalue("rival"), "walled_markers"
    return getattr(world, name), "markers"


def _walled(names: list[str], markers: str) -> bool:
    """Whether a route with parameters `names` is one the intruder must get a 404 from."""
    return bool(names) and (markers == "markers" or not set(names) <= PROJECT_WIDE)


def _example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A minimal valid value for an OpenAPI schema (required fields only)."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[1]], components)
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return _example(options[0], components)
    if "allOf" in schema:
        return _example(schema["allOf"][0], components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: _example(props[k], components) for k in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    fmt = schema.get("format")
    if fmt == "uuid":
        return str(uuid.uuid4())
    if fmt == "date":
        return "2026-01-01"
    if fmt == "date-time":
        return "2026-01-01T00:00:00Z"
    return "x" * max(1, schema.get("minLength", 1))


def api_operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    schema = ninja_api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _fill(path: str, values: dict[str, Any]) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", str(value))
    return path


def _params(template: str, names: list[str], world: World, objects: dict) -> dict[str, Any]:
    unknown = [n for n in names if n not in OBJECTS]
    assert not unknown, f"{template}: declare {unknown} in OBJECTS of tests/test_isolation.py"
    return {n: OBJECTS[n](world, objects) for n in names}


def every_get(
    world: World, objects: dict[str, Any], api_client: ApiClient, web_client: Client
) -> Iterator[tuple[str, Any]]:
    """(where, response) for every GET operation of the API (each export format) and every
    page (and its CSV and Excel variants), named with `objects`."""
    for template, method, operation in api_operations():
        if method != "get":
            continue
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
        path = _fill(template, _params(template, names, world, objects))
        variants = [path]
        if "format" in {p["name"] for p in operation.get("parameters", [])}:
            variants = [f"{path}?format={f}" for f in ("csv", "sdf", "xlsx", "json")]
        for variant in variants:
            yield f"GET {variant}", api_client.get(variant)
    for route, names, name in web_routes():
        path = _web_path(route, _params(route, names, world, objects))
        for variant in (path, f"{path}?format=csv", f"{path}?format=xlsx"):
            yield f"page {name} ({variant})", web_client.get(variant)


def _assert_hidden(response, markers: list[str], where: str) -> None:
    # the caller's own URL may be echoed back (problem details' "instance"): that tells nothing
    body = response.content.decode(errors="replace").replace(response.request["PATH_INFO"], "")
    leaked = [m for m in markers if m in body]
    assert not leaked, f"{where} shows {leaked} to an intruder"


def _send(client: ApiClient, method: str, path: str, content: dict, components: dict) -> Any:
    """Call an operation with a minimal valid body: JSON, or a multipart form with files."""
    if "multipart/form-data" in content:
        form = _example(content["multipart/form-data"]["schema"], components)
        files = {k: SimpleUploadedFile(f"{k}.txt", b"x", "text/plain") for k in form}
        return client.client.post(path, files, headers=client.headers)
    body = None
    if "application/json" in content:
        body = _example(content["application/json"]["schema"], components)
    return client.request(method, path, body)


INTRUDERS = ["outsider", "other_member", "rival"]


@pytest.fixture
def rival(world: World, cdk2: dict[str, Any]) -> Any:
    """A scientist of a second partner organization on CDK2, which sees only its own."""
    from .test_walls import rival_of

    return rival_of(world)


@pytest.mark.parametrize("intruder", INTRUDERS)
def test_api_answers_404_for_every_object_that_is_not_yours(world, cdk2, intruder, request):
    person, markers = _intruder(request, world, intruder)
    client = ApiClient(person)
    owner = ApiClient(world.sponsor_lead)
    components = ninja_api.get_openapi_schema()["components"]["schemas"]
    checked = 0
    for template, method, operation in api_operations():
        params = operation.get("parameters", [])
        path_names = [p["name"] for p in params if p["in"] == "path"]
        query = {
            p["name"]: _example(p["schema"], components)
            for p in params
            if p["in"] == "query" and p.get("required")
        }
        content = operation.get("requestBody", {}).get("content", {})
        where = f"{method.upper()} {template}"
        values = _params(template, path_names, world, cdk2)
        path = _fill(template, values)
        if not _walled(path_names, markers):
            if method == "get":
                _assert_hidden(client.get(path), cdk2[markers], where)
            continue
        if query:
            path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        response = _send(client, method, path, content, components)
        ids = [
            p["name"] for p in params if p["in"] == "path" and p["schema"].get("format") == "uuid"
        ]
        nowhere = _fill(template, values | {n: uuid.uuid4() for n in ids})
        missing = _send(
            client, method, nowhere + path[len(_fill(template, values)) :], content, components
        )
        assert response.status_code == 404, f"{where} gave {response.status_code} to {intruder}"
        assert response.json()["detail"] == missing.json()["detail"], where
        _assert_hidden(response, cdk2[markers], where)
        if method == "get":
            assert owner.get(path).status_code == 200, f"{where}: the owner must see it"
        checked += 1
    assert checked >= 15


def web_routes() -> Iterator[tuple[str, list[str], str]]:
    """Every web URL as (route template, parameter names, name)."""

    def walk(patterns, prefix: str) -> Iterator[tuple[str, list[str], str]]:
        for p in patterns:
            route = prefix + str(p.pattern)
            if route.startswith(NOT_WEB):
                continue
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                yield route, list(p.pattern.converters), p.name or route

    yield from walk(get_resolver().url_patterns, "")


def _web_path(route: str, values: dict[str, Any]) -> str:
    import re

    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
    return "/" + path.lstrip("^").rstrip("$")


@pytest.mark.parametrize("intruder", INTRUDERS)
def test_web_answers_404_for_every_page_that_is_not_yours(world, cdk2, intruder, request):
    person, markers = _intruder(request, world, intruder)
    client, owner = Client(), Client()
    client.force_login(person)
    owner.force_login(world.sponsor_lead)
    checked = 0
    for route, names, name in web_routes():
        values = _params(route, names, world, cdk2)
        path = _web_path(route, values)
        if not _walled(names, markers):
            _assert_hidden(client.get(path), cdk2[markers], name)
            continue
        nowhere = _web_path(
            route, {n: uuid.uuid4() for n in names} | {"target_type": values.get("target_type")}
        )
        for method in ("get", "post"):
            response, missing = getattr(client, method)(path), getattr(client, method)(nowhere)
            assert response.status_code == missing.status_code, f"{method} {name} tells it exists"
            if method == "get":
                assert response.status_code == 404, f"GET {name} gave {response.status_code}"
                opener = owner
                if name in OWNERS:
                    opener = Client()
                    opener.force_login(getattr(world, OWNERS[name]))
                assert opener.get(path).status_code == 200, f"GET {name}: the owner must see it"
            _assert_hidden(response, cdk2[markers], name)
        checked += 1
    assert checked >= 1


# The other side: the project's own people open every page -------------------------------

MEMBERS = ["sponsor_lead", "sponsor_scientist", "partner_lead", "partner_scientist"]
MEMBERS += ["executive", "auditor"]


def _with_history(cdk2: dict[str, Any]) -> Iterator[Any]:
    """Each CDK2 object whose kind keeps a history page (the audit trail of that object)."""
    from django.db.models import Model

    from cobench.core.querysets import ProjectScopedQuerySet

    for value in cdk2.values():
        if isinstance(value, Model) and isinstance(
            type(value)._default_manager.all(), ProjectScopedQuerySet
        ):
            yield value


@pytest.mark.parametrize("member", MEMBERS)
def test_every_member_opens_every_page_without_a_server_error(world, cdk2, member):
    """Every page with CDK2's objects, and the history of each kind of object, as each of
    the project's roles: a page may be refused (403) or not theirs (someone else's token:
    404), never a server error. The sponsor lead opens them all (above)."""
    client = Client()
    client.force_login(getattr(world, member))
    opened = 0
    for route, names, name in web_routes():
        path = _web_path(route, _params(route, names, world, cdk2))
        response = client.get(path)
        assert response.status_code < 500, f"GET {name} as {member}"
        opened += response.status_code == 200
    for target in _with_history(cdk2):
        path = f"/history/{target._meta.label_lower}/{target.pk}/"
        assert client.get(path).status_code in (200, 404), f"GET {path} as {member}"
    assert opened >= 40


# A confidential concern's raiser, through every door -----------------------------------

CONFIDENTIAL_VIEWERS = ["sponsor_lead", "sponsor_scientist", "executive"]


def _concern_story(world: World, raiser: Any, confidential: bool) -> Any:
    """A concern, a comment by its raiser, an answer, and the raiser reopening it."""
    from cobench.concerns import services as concerns

    c = concerns.raise_concern(
        actor=raiser,
        project=world.project,
        title="Kilo lab shortcut",
        description="Quench without a shield.",
        category="safety",
        severity="critical",
        confidential=confidential,
    )
    concerns.comment_on_concern(actor=raiser, concern=c, body="Seen it twice")
    concerns.acknowledge_concern(actor=world.sponsor_lead, concern=c)
    concerns.resolve_concern(actor=world.sponsor_lead, concern=c, resolution="Shield fitted")
    concerns.reopen_concern(actor=raiser, concern=c, reason="Still not used")
    return c


@pytest.mark.parametrize("viewer", CONFIDENTIAL_VIEWERS)
def test_a_confidential_raiser_is_named_on_no_route_to_the_other_side_or_executives(
    world, cdk2, viewer
):
    """Every GET route of the API and the web, as the other organization and an executive:
    a confidential concern adds no mention of its raiser anywhere (members lists name
    everyone, so the count of mentions is compared with the same page before it, and a
    concern's own pages with those of a twin concern raised openly by someone else)."""
    import re

    raiser = re.compile(r"\bpete\b", re.I)
    user = getattr(world, viewer)
    api_client, web_client = ApiClient(user), Client()
    web_client.force_login(user)

    def paths(objects: dict[str, Any]) -> list[tuple[str, Any, bool]]:
        """(path, client, names a concern) for every GET route."""
        found = []
        for template, method, operation in api_operations():
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            if method == "get":
                path = _fill(template, _params(template, names, world, objects))
                found.append((path, api_client, "concern_id" in names))
        for route, names, _ in web_routes():
            found.append(
                (
                    _web_path(route, _params(route, names, world, objects)),
                    web_client,
                    "concern_id" in names,
                )
            )
        concern = objects["concern"].id
        found += [
            (f"/api/v1/audit/concerns.concern/{concern}", api_client, True),
            (f"/history/concerns.concern/{concern}/", web_client, True),
            (f"/api/v1/projects/{world.project.id}/audit?page_size=500", api_client, False),
        ]
        return found

    def mentions(path: str, client: Any) -> int:
        return len(raiser.findall(client.get(path).content.decode(errors="replace")))

    twin = _concern_story(world, world.sponsor_scientist, confidential=False)
    before = {p: mentions(p, c) for p, c, about_concern in paths(cdk2) if not about_concern}
    secret = _concern_story(world, world.partner_scientist, confidential=True)
    checked = 0
    for path, client, about_concern in paths(cdk2 | {"concern": secret}):
        if about_concern:
            baseline = mentions(path.replace(str(secret.id), str(twin.id)), client)
        else:
            baseline = before[path]
        assert mentions(path, client) <= baseline, f"{path} names the raiser to {viewer}"
        checked += 1
    assert checked >= 20


# Structure search: the routes that take a structure rather than an id ---------------------

SEARCHES = [
    ("exact", ROSCOVITINE),
    ("similarity", ROSCOVITINE),
    ("substructure", "*"),
    ("substructure", "NCc1ccccc1"),
]


@pytest.mark.parametrize("intruder", INTRUDERS)
def test_structure_search_never_finds_another_projects_compound(world, cdk2, intruder, request):
    """CDK2's roscovitine, searched for by an outsider, by a member of KRAS (same sponsor,
    same registry) and by a rival partner on CDK2 that sees only its own compounds, through
    the API and the page, in every mode: never found."""
    from urllib.parse import urlencode

    person, markers = _intruder(request, world, intruder)
    marker = cdk2["compound"].registry_id
    owner, client = ApiClient(world.sponsor_lead), ApiClient(person)
    web = Client()
    web.force_login(person)
    for mode, query in SEARCHES:
        params = {"mode": mode, "query": query, "top": 1000}
        assert marker in owner.request("post", "/api/v1/search", params).content.decode()
        for response in (
            client.request("post", "/api/v1/search", params),
            client.get("/api/v1/search?" + urlencode(params)),
            web.get("/search/?" + urlencode(params)),
        ):
            assert response.status_code == 200, (mode, response.status_code)
            _assert_hidden(response, cdk2[markers], f"search {mode} {query}")


# Sharing rules: a binned value and a hidden assay, through every door a partner has ------

MARKER = "123.456789"  # nM: one decimal only in structure pictures, so no accidental match
# every way the number could be written: as entered, rounded, in µM, as a pIC50 (6.908485)
MARKER_FORMS = [
    "123.456789",
    "123.4568",
    "123.457",
    "123.46",
    "0.123456789",
    "0.1234568",
    "0.123457",
    "0.12346",
    "1.23456789e-07",
    "1.235e-07",
    "6.908485",
    "6.9085",
    "6.908",
]
HIDDEN_ASSAY = "Zymurgy hidden counterscreen"


def _readable(response) -> str:
    """A response as text: an Excel file's sheets unzipped."""
    import io
    import zipfile

    body = response.content
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return "".join(book.read(n).decode(errors="replace") for n in book.namelist())
    return body.decode(errors="replace")


@pytest.mark.parametrize("viewer", ["partner_lead", "partner_scientist"])
def test_a_binned_value_and_a_hidden_assay_reach_no_partner_door(world, cdk2, viewer):
    """A result with a marker value in an assay binned for the partner, and an assay hidden
    from it: every API GET operation (exports in every format) and every page, as the
    partner's people, never shows the number in any form nor the hidden assay's name;
    the sponsor's people see both."""
    from cobench.assays import sharing

    from .assays.objects import new_assay, new_result
    from .compounds.objects import register

    binned = cdk2["assay"]
    marked = register(world, "Cc1ccc(Nc2nccc(-c3cccnc3)n2)cc1").compound
    new_result(world, binned, value=MARKER, registry_id=marked.registry_id)
    hidden = new_assay(world, name=HIDDEN_ASSAY)
    new_result(world, hidden, value="55.5", registry_id=marked.registry_id)
    sharing.set_rule(
        actor=world.sponsor_lead,
        assay=binned,
        partner=world.partner,
        mode="binned",
        bins=[{"upper": 1000, "label": "potent"}, {"upper": None, "label": "weak"}],
        reason="Bands only",
    )
    secrets = [*MARKER_FORMS, HIDDEN_ASSAY, str(hidden.id)]
    user = getattr(world, viewer)
    api_client, web_client = ApiClient(user), Client()
    web_client.force_login(user)
    sponsor = ApiClient(world.sponsor_scientist)
    sar = f"/api/v1/projects/{world.project.id}/sar"
    for path in (sar, f"/api/v1/assays/{binned.id}/results"):
        assert MARKER in sponsor.get(path).content.decode(), f"the sponsor sees it at {path}"
    assert HIDDEN_ASSAY in sponsor.get(sar).content.decode()

    def leaked(response) -> list[str]:
        text = _readable(response)
        return [s for s in secrets if s in text]

    checked = 0
    for where, response in every_get(world, cdk2, api_client, web_client):
        assert not leaked(response), f"{where} shows {leaked(response)} to {viewer}"
        checked += 1
    assert checked >= 50
