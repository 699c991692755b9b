"""Chemical series: defined by a name and a core, or by tagging compounds by hand."""

import pytest

from cobench.assays.sar import series
from cobench.audit.models import AuditEvent
from cobench.compounds import services as compounds

from ..compounds.objects import ROSCOVITINE, register
from .series_objects import PURINE, new_series

ISATIN = "O=C1Nc2ccccc2C1=O"
OLOMOUCINE = "CNc1nc(NCc2ccccc2)c2ncn(C)c2n1"


@pytest.fixture
def cdk2(world):
    return {
        "roscovitine": register(world).compound,
        "isatin": register(world, ISATIN).compound,
    }


def _members(response) -> dict[str, dict]:
    return {m["registry_id"]: m for m in response.json()["members"]}


def test_partner_scientist_defines_a_series_by_its_core(api, world, cdk2):
    r = api(world.partner_scientist).post(
        f"/api/v1/projects/{world.project.id}/series",
        json={"name": "Purines", "core": PURINE, "description": "Hinge binders"},
    )
    assert r.status_code == 201, r.content
    members = _members(r)
    assert set(members) == {cdk2["roscovitine"].registry_id}
    assert members[cdk2["roscovitine"].registry_id]["matches_core"] is True
    event = AuditEvent.objects.get(event="series.created")
    assert event.changes["core"] == [None, PURINE]


def test_a_compound_registered_later_joins_by_its_core(api, world, cdk2):
    found = new_series(world)
    later = register(world, OLOMOUCINE).compound
    r = api(world.sponsor_scientist).get(f"/api/v1/series/{found.id}")
    assert later.registry_id in _members(r)


def test_tagging_by_hand_adds_and_removes_a_compound(api, world, cdk2):
    found = new_series(world)
    client = api(world.sponsor_scientist)
    isatin = cdk2["isatin"].registry_id
    r = client.post(f"/api/v1/series/{found.id}/members", json={"registry_id": isatin})
    assert r.status_code == 200 and _members(r)[isatin]["tagged"] is True
    r = client.delete(f"/api/v1/series/{found.id}/members?registry_id={isatin}")
    assert r.status_code == 200 and isatin not in _members(r)
    events = AuditEvent.objects.filter(target_id=str(found.id)).values_list("event", flat=True)
    assert list(events) == ["series.created", "series.tagged", "series.untagged"]


def test_untagging_a_compound_matching_the_core_keeps_it(api, world, cdk2):
    found = new_series(world)
    roscovitine = cdk2["roscovitine"].registry_id
    client = api(world.partner_lead)
    client.post(f"/api/v1/series/{found.id}/members", json={"registry_id": roscovitine})
    r = client.delete(f"/api/v1/series/{found.id}/members?registry_id={roscovitine}")
    assert (
        _members(r)[roscovitine] | {"tagged": False, "matches_core": True}
        == _members(r)[roscovitine]
    )


@pytest.mark.parametrize(
    "core, says",
    [
        ("c1ccc(", "not a valid SMILES or SMARTS"),
        ("C" * 151, "at most 150"),
        ("C\x00C", "NUL"),
    ],
)
def test_a_core_rdkit_cannot_read_is_refused(api, world, core, says):
    r = api(world.partner_scientist).post(
        f"/api/v1/projects/{world.project.id}/series", json={"name": "Bad", "core": core}
    )
    assert r.status_code == 422
    assert says.lower() in r.content.decode().lower()
    assert not AuditEvent.objects.filter(event="series.created").exists()


def test_a_series_name_is_used_once_per_project(api, world):
    new_series(world)
    r = api(world.sponsor_lead).post(
        f"/api/v1/projects/{world.project.id}/series", json={"name": "purines"}
    )
    assert r.status_code == 422 and "already has a series" in r.json()["errors"]["name"][0]


@pytest.mark.parametrize("who", ["executive", "auditor"])
def test_readers_may_see_but_not_define_series(api, world, who):
    found = new_series(world)
    client = api(getattr(world, who))
    assert client.get(f"/api/v1/series/{found.id}").status_code == 200
    r = client.post(f"/api/v1/projects/{world.project.id}/series", json={"name": "Mine"})
    assert r.status_code == 403


def test_another_projects_compound_cannot_be_tagged(api, world):
    found = new_series(world)
    kras = compounds.register_structure(
        actor=world.other_lead, project=world.other_project, structure=ISATIN
    ).compound
    r = api(world.partner_lead).post(
        f"/api/v1/series/{found.id}/members", json={"registry_id": kras.registry_id}
    )
    assert r.status_code == 422
    assert ISATIN not in r.content.decode()


@pytest.mark.parametrize("who", ["other_member", "outsider"])
def test_outsiders_cannot_tell_a_series_exists(api, world, who):
    found = new_series(world)
    client = api(getattr(world, who))
    assert client.get(f"/api/v1/series/{found.id}").status_code == 404
    assert client.get(f"/api/v1/projects/{world.project.id}/series").status_code == 404


def test_series_of_matches_the_rows_a_page_shows(world, cdk2):
    purines = new_series(world)
    tagged = new_series(world, name="Tagged", core="")
    series.tag_compound(actor=world.partner_lead, series=tagged, compound=cdk2["isatin"])
    rows = [(c.id, c.smiles) for c in cdk2.values()]
    found = series.series_of(world.project, rows)
    assert found[cdk2["roscovitine"].id] == [purines]
    assert found[cdk2["isatin"].id] == [tagged]


def test_roscovitine_smiles_is_a_purine():
    from rdkit import Chem

    assert Chem.MolFromSmiles(ROSCOVITINE).HasSubstructMatch(Chem.MolFromSmiles(PURINE))


def test_the_command_line_defines_tags_and_lists_series(world, cdk2, capsys):
    from django.core.management import CommandError

    from ..cli.commands import cobench

    base = ("--as", "pete", "--project", "PRJ-CDK2")
    assert cobench("series", "create", *base, "--name", "Purines", "--core", PURINE) == 0
    assert cdk2["roscovitine"].registry_id in capsys.readouterr().out
    isatin = cdk2["isatin"].registry_id
    assert cobench("series", "tag", *base, "--name", "purines", "--compound", isatin) == 0
    assert isatin in capsys.readouterr().out
    with pytest.raises(CommandError, match="not a valid SMILES or SMARTS"):
        cobench("series", "create", *base, "--name", "Bad", "--core", "c1ccc(")
    with pytest.raises(CommandError, match="No project"):
        cobench("series", "list", "--as", "olga", "--project", "PRJ-CDK2")
