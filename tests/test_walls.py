"""Partner walls: on a project with several partners, each partner's people see their own
organization's work and what the sponsor shares, never another partner's.

Every model holding project data declares its wall (`cobench.core.querysets`); a model
that does not fails here, so a new app cannot forget it. The doors themselves are
walked by tests/test_isolation.py (the rival intruder).
"""

import io
import re
from datetime import date

import pytest
from django.apps import apps
from django.core.management import CommandError

from cobench.core.querysets import ProjectScopedQuerySet
from cobench.tenancy import services as tenancy

from .compounds.objects import register
from .conftest import World
from .factories import OrganizationFactory, UserFactory
from .test_isolation import cdk2  # noqa: F401  the CDK2 objects every route is named with


def test_every_model_of_project_data_declares_its_wall():
    undeclared = []
    for model in apps.get_models():
        rows = model._default_manager.all()
        if not isinstance(rows, ProjectScopedQuerySet):
            continue
        declared = hasattr(rows, "wall") or type(rows).scope is not ProjectScopedQuerySet.scope
        if not declared:
            undeclared.append(model._meta.label)
    assert not undeclared, f"declare `wall` on the querysets of {undeclared}"


def rival_of(world: World, username: str = "rita", name: str = "Ravenna Synthesis") -> object:
    """A second partner organization on CDK2 with one scientist, `username`."""
    organization = OrganizationFactory(name=name, time_zone="Europe/Rome")
    person = UserFactory(username=username, organization=organization)
    tenancy.add_partner(
        actor=world.sponsor_lead,
        project=world.project,
        organization=organization,
        start_date=date(2026, 2, 1),
    )
    tenancy.add_member(
        actor=world.sponsor_lead, project=world.project, username=username, role="partner_lead"
    )
    return person


@pytest.fixture
def rival(world: World):
    return rival_of(world)


def test_a_new_partner_sees_only_its_own_compounds_until_the_sponsor_shares(world, rival, api):
    from cobench.compounds.models import Compound

    theirs = register(world, "CCO")  # made by Northbridge
    client = api(rival)
    listed = client.get(f"/api/v1/projects/{world.project.id}/compounds").json()
    assert theirs.compound.registry_id not in str(listed)
    assert not Compound.objects.visible_to(rival).exists()
    partner = world.project.partners.get(organization__name="Ravenna Synthesis")
    tenancy.share_compounds(
        actor=world.sponsor_lead, partner=partner, compounds="all", reason="Second source"
    )
    listed = client.get(f"/api/v1/projects/{world.project.id}/compounds").json()
    assert theirs.compound.registry_id in str(listed)


def _rival_partner(world: World):
    return world.project.partners.get(organization__name="Ravenna Synthesis")


def test_shared_by_series_a_partner_sees_that_series_and_its_own_through_every_search(
    world, rival, api
):
    from cobench.assays.sar import series as chem_series
    from cobench.compounds import services as compounds

    tagged, other = register(world, "c1ccncc1").compound, register(world, "CCCCO").compound
    picked = chem_series.create_series(
        actor=world.sponsor_lead, project=world.project, name="Pyridines", core=""
    )
    chem_series.tag_compound(actor=world.sponsor_lead, series=picked, compound=tagged)
    own = compounds.register_structure(actor=rival, project=world.project, structure="CCN").compound
    tenancy.share_compounds(
        actor=world.sponsor_lead,
        partner=_rival_partner(world),
        compounds="series",
        series=[picked],
        reason="Pyridines only",
    )
    client = api(rival)
    listed = client.get(f"/api/v1/projects/{world.project.id}/compounds").json()
    assert {c["registry_id"] for c in listed["items"]} == {tagged.registry_id, own.registry_id}
    assert listed["count"] == 2
    for mode, query in [("substructure", "*"), ("similarity", "CCCCO"), ("exact", "CCCCO")]:
        found = client.post("/api/v1/search", {"mode": mode, "query": query, "top": 100}).json()
        ids = {h["registry_id"] for h in found["hits"]}
        assert other.registry_id not in ids, mode
        if mode == "substructure":
            assert ids == {tagged.registry_id, own.registry_id}
    everything = api(world.sponsor_lead).post(
        "/api/v1/search", {"mode": "substructure", "query": "*", "top": 100}
    )
    assert other.registry_id in everything.content.decode()


def test_an_open_consortium_lets_partners_see_each_other_and_is_audited(world, rival, api):
    from cobench.audit.models import AuditEvent
    from cobench.status.services import start_status

    document = start_status(
        actor=world.partner_lead, project=world.project, sections={"progress": "Route B works"}
    ).document
    client = api(rival)
    assert client.get(f"/api/v1/status-documents/{document.id}").status_code == 404
    opened = api(world.sponsor_lead).put(
        f"/api/v1/projects/{world.project.id}/consortium",
        {"open_consortium": True, "reason": "Joint programme from March"},
    )
    assert opened.status_code == 200 and opened.json()["open_consortium"] is True
    assert client.get(f"/api/v1/status-documents/{document.id}").status_code == 200
    event = AuditEvent.objects.get(event="project.consortium_changed")
    assert event.reason == "Joint programme from March"
    assert event.changes == {"open_consortium": [False, True]}
    api(world.sponsor_lead).put(
        f"/api/v1/projects/{world.project.id}/consortium",
        {"open_consortium": False, "reason": "Back to separate work"},
    )
    assert client.get(f"/api/v1/status-documents/{document.id}").status_code == 404


def test_sharing_refuses_bad_input_and_changes_nothing(world, rival, api):
    from cobench.assays.sar import series as chem_series

    partner = _rival_partner(world)
    path = f"/api/v1/partners/{partner.id}/compounds"
    elsewhere = chem_series.create_series(
        actor=world.other_lead, project=world.other_project, name="KRAS cores", core=""
    )
    sponsor = api(world.sponsor_lead)
    bad = [
        ({"compounds": "everything", "reason": "x"}, 422),
        ({"compounds": "all"}, 422),
        ({"compounds": "all", "reason": "   "}, 422),
        ({"compounds": "series", "reason": "no series named"}, 422),
        ({"compounds": "series", "series_ids": [str(elsewhere.id)], "reason": "x"}, 422),
        ({"compounds": "series", "series_ids": ["not-a-uuid"], "reason": "x"}, 422),
        ({"compounds": ["all"], "reason": "x"}, 422),
    ]
    for body, status in bad:
        assert sponsor.put(path, {**body, "version": 1}).status_code == status, body
    assert sponsor.put(path, {"compounds": "all", "reason": "x"}).status_code == 428
    as_partner = api(world.partner_lead).put(
        path, {"compounds": "all", "reason": "x", "version": 1}
    )
    assert as_partner.status_code == 404  # another partner's partnership does not exist for it
    other_partner = world.other_project.partners.get()
    assert (
        sponsor.put(
            f"/api/v1/partners/{other_partner.id}/compounds",
            {"compounds": "all", "reason": "x", "version": 1},
        ).status_code
        == 404
    )
    partner.refresh_from_db()
    assert (partner.compounds, partner.version) == ("own", 1)


def test_a_partner_is_not_told_of_another_partners_work(world, rival):
    from cobench.compound_requests import services as requests
    from cobench.concerns import services as concerns
    from cobench.notifications.models import Notification

    requests.create_request(
        actor=world.sponsor_lead,
        project=world.project,
        structure="c1ccccc1O",
        rationale="Phenol probe for Northbridge",
        partner=world.partner,
    )
    concerns.raise_concern(
        actor=world.partner_lead,
        project=world.project,
        title="Late deliveries of reagents",
        description="Two weeks behind.",
        category="timeline",
        severity="medium",
    )
    assert Notification.objects.filter(recipient=world.partner_lead).exists()
    told = Notification.objects.filter(recipient=rival)
    assert not told.filter(title__icontains="Phenol").exists()
    assert not told.filter(body__icontains="Northbridge").exists()
    assert not told.filter(title__icontains="Late deliveries").exists()


def test_the_sponsor_sets_what_a_partner_sees_from_the_page_and_the_command_line(world, rival, web):
    from django.core.management import call_command

    partner = _rival_partner(world)
    client = web(world.sponsor_lead)
    page = f"/projects/{world.project.id}/partners/{partner.id}/sharing/"
    assert client.get(page).status_code == 200
    refused = client.post(page, {"compounds": "all", "version": partner.version})
    assert refused.status_code == 422 and "Why?" in refused.content.decode()
    saved = client.post(page, {"compounds": "all", "reason": "Second source", "version": 1})
    assert saved.status_code == 302
    partner.refresh_from_db()
    assert partner.compounds == "all"
    listing = client.get(f"/projects/{world.project.id}/partners/").content.decode()
    assert "All of the project" in listing and "Partner walls" in listing
    assert web(rival).get(page).status_code == 403

    out = io.StringIO()
    call_command(
        "project",
        "share-compounds",
        "Ravenna Synthesis",
        "--as=alice",
        "--project=PRJ-CDK2",
        "--compounds=own",
        "--reason=Back to its own compounds",
        stdout=out,
    )
    assert "Ravenna Synthesis: Only its own" in out.getvalue()
    with pytest.raises(CommandError, match="Say why"):
        call_command("project", "consortium", "on", "--as=alice", "--project=PRJ-CDK2", stdout=out)
    with pytest.raises(CommandError, match="No partner"):
        call_command(
            "project",
            "share-compounds",
            "Kestrel Labs",
            "--as=alice",
            "--project=PRJ-CDK2",
            "--compounds=all",
            "--reason=x",
        )


# Blinded sharing: coded samples ------------------------------------------------------------

# a structure no other test object has: its SMILES, InChIKey and molfile must not reach a
# partner the sponsor shares its compounds with blinded
CANARY = "O=C(Nc1ccc(C(F)(F)F)cc1)c1cc2ccccc2s1"


def _share_blinded(world: World, compounds: str = "all") -> object:
    return tenancy.share_compounds(
        actor=world.sponsor_lead,
        partner=_rival_partner(world),
        compounds=compounds,
        blinded=True,
        reason="Coded samples for the biology",
    )


@pytest.fixture
def blinded(world, rival):
    """Ravenna shared every compound blinded; the sponsor's canary compound with a lot
    shipped to Ravenna, a value in an assay Ravenna sees in full, a request to Ravenna
    naming it as evidence, tagged in a series; and a compound Ravenna made itself."""
    from cobench.assays import sharing
    from cobench.assays.sar import series as chem_series
    from cobench.compound_requests import services as requests
    from cobench.compounds import services as compounds

    from .assays.objects import new_assay, new_result

    made = compounds.register_structure(
        actor=world.sponsor_lead, project=world.project, structure=CANARY
    )
    canary = made.compound
    shipment = compounds.send_lot(
        actor=world.sponsor_lead,
        lot=made.lot,
        to_org=_rival_partner(world).organization,
        carrier="World Courier",
    )
    assay = new_assay(world, name="Ravenna cell panel")
    new_result(world, assay, value="42.5", registry_id=canary.registry_id)
    sharing.set_rule(
        actor=world.sponsor_lead,
        assay=assay,
        partner=_rival_partner(world).organization,
        mode="full",
        reason="Their panel",
    )
    found = chem_series.create_series(
        actor=world.sponsor_lead, project=world.project, name="Benzothiophenes", core=""
    )
    chem_series.tag_compound(actor=world.sponsor_lead, series=found, compound=canary)
    asked = requests.create_request(
        actor=world.sponsor_lead,
        project=world.project,
        structure="c1ccc2[nH]ccc2c1",
        partner=_rival_partner(world).organization,
        rationale="Indole analogue of the benzothiophene",
        evidence=[canary],
    )
    own = compounds.register_structure(
        actor=rival, project=world.project, structure="CCOc1ccc(NC(=O)C2CC2)cc1"
    ).compound
    _share_blinded(world)
    others = "".join(type(canary).objects.exclude(pk=canary.pk).values_list("molblock", flat=True))
    atom_lines = [line for line in canary.molblock.splitlines()[4:] if line.strip()]
    molfile_line = next(line for line in atom_lines if line not in others)
    return {
        "canary": canary,
        "lot": made.lot,
        "shipment": shipment,
        "series": found,
        "request": asked,
        "own": own,
        "secrets": [canary.smiles, canary.inchikey, molfile_line, canary.formula],
    }


def test_a_blinded_partner_sees_coded_samples_through_every_door(
    world,
    cdk2,  # noqa: F811  first: it names the one partner there is
    rival,
    blinded,
):
    """Every API GET operation (exports in every format) and every page, as the blinded
    partner, named with the canary's objects: its SMILES, InChIKey, a line of its molfile
    and its formula never appear; its registry id does, on the compound list."""
    from django.test import Client

    from .conftest import ApiClient
    from .test_isolation import _readable, every_get

    canary = blinded["canary"]
    objects = {
        **cdk2,
        "compound": canary,
        "lot": blinded["lot"],
        "shipment": blinded["shipment"],
        "compound_request": blinded["request"],
        "chemical_series": blinded["series"],
        "partner": _rival_partner(world),
    }
    secrets = blinded["secrets"]
    client, web_client = ApiClient(rival), Client()
    web_client.force_login(rival)

    def leaked(response) -> list[str]:
        text = _readable(response)
        return [s for s in secrets if s in text]

    checked = 0
    for where, response in every_get(world, objects, client, web_client):
        assert not leaked(response), f"{where} shows {leaked(response)}"
        checked += 1
    for kind, target in [("compounds.compound", canary), ("compounds.lot", blinded["lot"])]:
        for path in (f"/history/{kind}/{target.pk}/", f"/api/v1/audit/{kind}/{target.pk}"):
            response = web_client.get(path) if path.startswith("/h") else client.get(path)
            assert response.status_code == 200 and not leaked(response), path
    assert checked >= 50

    project = world.project.id
    listed = client.get(f"/api/v1/projects/{project}/compounds").json()["items"]
    shown = {c["registry_id"]: c for c in listed}
    assert shown[canary.registry_id]["coded"] is True
    assert shown[canary.registry_id]["properties"] is None
    page = web_client.get(f"/projects/{project}/compounds/").content.decode()
    assert canary.registry_id in page and "coded" in page
    sar = client.get(f"/api/v1/projects/{project}/sar").json()
    assert any(r["registry_id"] == canary.registry_id and r["coded"] for r in sar["rows"])
    assert "42.5" in str(sar["rows"])  # its shared value is shown
    picture = f"/projects/{project}/sar/pictures/{canary.pk}.svg"
    assert web_client.get(picture).status_code == 404
    sponsor = ApiClient(world.sponsor_lead)
    assert canary.smiles in sponsor.get(f"/api/v1/compounds/{canary.pk}").content.decode()
    assert canary.smiles in sponsor.get(f"/api/v1/projects/{project}/sar").content.decode()


def test_structure_search_never_finds_a_coded_sample_for_a_blinded_partner(
    world, rival, blinded, api
):
    canary, own = blinded["canary"], blinded["own"]
    client = api(rival)
    for mode in ("exact", "similarity", "substructure"):
        found = client.post("/api/v1/search", {"mode": mode, "query": canary.smiles}).json()
        assert {h["registry_id"] for h in found["hits"]} <= {own.registry_id}, mode
        assert canary.registry_id not in str(found) and canary.smiles not in str(found)
    wide = client.post("/api/v1/search", {"mode": "substructure", "query": "*", "top": 100})
    assert {h["registry_id"] for h in wide.json()["hits"]} == {own.registry_id}
    sponsor = api(world.sponsor_lead).post(
        "/api/v1/search", {"mode": "exact", "query": canary.smiles}
    )
    assert [h["registry_id"] for h in sponsor.json()["hits"]] == [canary.registry_id]


def test_a_blinded_partner_keeps_the_structures_of_what_it_made_or_was_asked_for(
    world, rival, blinded, api
):
    from cobench.compounds.querysets import coded_for

    own, canary = blinded["own"], blinded["canary"]
    client = api(rival)
    mine = client.get(f"/api/v1/compounds/{own.pk}").json()
    assert mine["smiles"] == own.smiles and mine["coded"] is False
    assert mine["properties"]["formula"] == own.formula
    coded = client.get(f"/api/v1/compounds/{canary.pk}").json()
    assert coded["coded"] is True and coded["smiles"] == "" and coded["molblock"] == ""
    assert coded["lots"] and coded["lots"][0]["structure"] == ""
    assert coded_for(rival, [own.pk, canary.pk]) == {canary.pk}
    assert coded_for(world.sponsor_lead, [own.pk, canary.pk]) == set()
    assert coded_for(world.partner_lead, [own.pk, canary.pk]) == set()
    found = client.post("/api/v1/search", {"mode": "exact", "query": own.smiles}).json()
    assert [h["registry_id"] for h in found["hits"]] == [own.registry_id]
    # Northbridge, shared the same compounds openly, sees the canary's structure
    tenancy.share_compounds(
        actor=world.sponsor_lead,
        partner=world.project.partners.get(organization=world.partner),
        compounds="all",
        reason="Open to Northbridge",
    )
    open_ = api(world.partner_lead).get(f"/api/v1/compounds/{canary.pk}").json()
    assert open_["smiles"] == canary.smiles and open_["coded"] is False


def test_blinded_sharing_is_audited_refuses_bad_input_and_is_set_from_the_page_and_cli(
    world, rival, api, web
):
    from django.core.management import call_command

    from cobench.audit.models import AuditEvent

    partner = _rival_partner(world)
    path = f"/api/v1/partners/{partner.id}/compounds"
    sponsor = api(world.sponsor_lead)
    bad = sponsor.put(
        path, {"compounds": "all", "blinded": "sometimes", "reason": "x", "version": 1}
    )
    assert bad.status_code == 422
    partner.refresh_from_db()
    assert (partner.blinded, partner.version) == (False, 1)
    done = sponsor.put(path, {"compounds": "all", "blinded": True, "reason": "Coded", "version": 1})
    assert done.status_code == 200 and done.json()["blinded"] is True
    event = AuditEvent.objects.filter(event="partner.compounds_shared").latest("seq")
    assert event.changes["blinded"] == [False, True] and event.reason == "Coded"
    listing = web(world.sponsor_lead).get(f"/projects/{world.project.id}/partners/")
    assert 'class="badge"' in listing.content.decode() and "blinded" in listing.content.decode()

    page = f"/projects/{world.project.id}/partners/{partner.id}/sharing/"
    client = web(world.sponsor_lead)
    assert 'name="blinded"' in client.get(page).content.decode()
    saved = client.post(page, {"compounds": "all", "reason": "Open again", "version": 2})
    assert saved.status_code == 302
    partner.refresh_from_db()
    assert (partner.blinded, partner.version) == (False, 3)
    saved = client.post(
        page, {"compounds": "all", "blinded": "on", "reason": "Coded again", "version": 3}
    )
    assert saved.status_code == 302
    partner.refresh_from_db()
    assert partner.blinded is True

    out = io.StringIO()
    args = ["project", "share-compounds", "Ravenna Synthesis", "--as=alice"]
    args += ["--project=PRJ-CDK2", "--compounds=all", "--reason=Plain again"]
    call_command(*args, stdout=out)
    assert "Ravenna Synthesis: All of the project's compounds\n" in out.getvalue()
    call_command(*args[:-1], "--blinded", "--reason=Coded samples", stdout=out)
    assert "Ravenna Synthesis: All of the project's compounds, blinded" in out.getvalue()
    partner.refresh_from_db()
    assert partner.blinded is True


def test_the_sponsor_lead_opens_the_walls_from_the_partners_page(world, rival, web):
    page = f"/projects/{world.project.id}/consortium/"
    client = web(world.sponsor_lead)
    refused = client.post(page, {"open_consortium": "on"})
    assert refused.status_code == 422
    world.project.refresh_from_db()
    assert world.project.open_consortium is False
    assert client.post(page, {"open_consortium": "on", "reason": "Joint work"}).status_code == 302
    world.project.refresh_from_db()
    assert world.project.open_consortium is True
    assert web(world.partner_lead).post(page, {"reason": "x"}).status_code == 403
    assert web(world.outsider).post(page, {"reason": "x"}).status_code == 404


# Preview as partner --------------------------------------------------------------------------


def test_the_sponsor_previews_a_partners_home_compounds_and_requests(world, rival, web):
    """Each page as the partner sees it: only its own rows; the sponsor's controls stay."""
    from cobench.compound_requests import services as requests
    from cobench.compounds import services as compounds

    northbridge = register(world, "CCO").compound  # Northbridge's; Ravenna sees its own only
    rivals = compounds.register_structure(
        actor=rival, project=world.project, structure="CCCCO"
    ).compound
    requests.create_request(
        actor=world.sponsor_lead,
        project=world.project,
        structure="c1ccccc1O",
        rationale="For Northbridge",
        partner=world.partner,
        title="Phenol probe",
    )
    requests.create_request(
        actor=world.sponsor_lead,
        project=world.project,
        structure="c1ccccc1N",
        rationale="For Ravenna",
        partner=_rival_partner(world).organization,
        title="Aniline probe",
    )
    client = web(world.sponsor_lead)
    ravenna = _rival_partner(world).organization_id
    base = f"/projects/{world.project.id}"

    own = client.get(f"{base}/compounds/").content.decode()
    assert northbridge.registry_id in own and rivals.registry_id in own
    assert "Preview as partner" in own
    seen = client.get(f"{base}/compounds/?as_partner={ravenna}").content.decode()
    assert rivals.registry_id in seen and northbridge.registry_id not in seen
    assert "as Ravenna Synthesis sees it" in seen and "Register a compound" in seen

    board = _rows(client.get(f"{base}/requests/?as_partner={ravenna}"))
    assert "Aniline probe" in board and "Phenol probe" not in board
    assert world.partner.name not in board  # not even in the partner filter
    assert world.partner.name not in web(rival).get(f"{base}/requests/").content.decode()
    own_board = client.get(f"{base}/requests/").content.decode()
    assert "Aniline probe" in own_board and "Phenol probe" in own_board

    home = _rows(client.get(f"{base}/?as_partner={ravenna}"))
    assert "Ravenna Synthesis" in home and world.partner.name not in home
    assert world.partner.name in client.get(f"{base}/").content.decode()


def _rows(response) -> str:
    """A page without its preview control (which names every partner)."""
    return re.sub(
        r'<form method="get" class="preview-as.*?</form>', "", response.content.decode(), flags=re.S
    )


def test_a_blinded_partners_preview_shows_coded_samples(world, rival, blinded, web):
    client = web(world.sponsor_lead)
    ravenna = _rival_partner(world).organization_id
    base = f"/projects/{world.project.id}"
    for path in ("compounds/", "sar/", ""):
        shown = client.get(f"{base}/{path}?as_partner={ravenna}").content.decode()
        assert blinded["canary"].registry_id in shown, path
        for secret in blinded["secrets"]:
            assert secret not in shown, (path, secret)
    assert blinded["canary"].formula in client.get(f"{base}/compounds/").content.decode()


def test_a_preview_refuses_partners_strangers_and_empty_partnerships(world, rival, web):
    base = f"/projects/{world.project.id}"
    ravenna = _rival_partner(world).organization_id
    assert web(rival).get(f"{base}/compounds/?as_partner={ravenna}").status_code == 403
    assert web(world.partner_lead).get(f"{base}/?as_partner={ravenna}").status_code == 403
    client = web(world.sponsor_lead)
    for bad in (world.outsider_org.id, "not-an-id", world.sponsor.id):
        assert client.get(f"{base}/requests/?as_partner={bad}").status_code == 422, bad
    nobody = OrganizationFactory(name="Empty Bench Labs")
    tenancy.add_partner(
        actor=world.sponsor_lead,
        project=world.project,
        organization=nobody,
        start_date=date(2026, 2, 1),
    )
    refused = client.get(f"{base}/compounds/?as_partner={nobody.id}")
    assert refused.status_code == 422 and "has nobody on PRJ-CDK2" in refused.content.decode()


def test_a_blinded_partner_is_not_shown_a_series_core(world, rival, blinded, web, api):
    """A core draws the scaffold of the coded samples: not in the series' API, pages or
    history for the blinded partner; the sponsor still sees it."""
    from cobench.assays.sar import series as chem_series

    core = "c1ccc2sccc2c1"
    found = chem_series.create_series(
        actor=world.sponsor_lead, project=world.project, name="Thiophenes", core=core
    )
    base = f"/projects/{world.project.id}/series"
    doors = (
        f"/api/v1/projects/{world.project.id}/series",
        f"/api/v1/series/{found.id}",
        f"{base}/",
        f"{base}/{found.id}/",
        f"/history/assays.series/{found.id}/",
        f"/api/v1/audit/assays.series/{found.id}",
    )
    partner, sponsor = web(rival), web(world.sponsor_lead)
    for path in doors:
        shown = partner.get(path)
        assert shown.status_code == 200, path
        assert core not in shown.content.decode(), path
        assert core in sponsor.get(path).content.decode(), path
    listed = api(rival).get(f"/api/v1/series/{found.id}").json()
    assert (listed["core"], listed["core_hidden"]) == ("", True)
    assert api(world.sponsor_lead).get(f"/api/v1/series/{found.id}").json()["core_hidden"] is False
