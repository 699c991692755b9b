"""SAR plots' data: every point follows the sharing rules; matched pairs differ by one change."""

import math
import uuid

import pytest

from cobench.assays.sar import plots
from cobench.compounds import services as compounds

from .sharing_objects import cdk2_biology, record, share

H, F, CL = (
    "Nc1nc(Nc2ccccc2)c2nc[nH]c2n1",
    "Nc1nc(Nc2ccc(F)cc2)c2nc[nH]c2n1",
    "Nc1nc(Nc2ccc(Cl)cc2)c2nc[nH]c2n1",
)


def _plot(api, user, world, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return api(user).get(f"/api/v1/projects/{world.project.id}/sar/plot?{query}")


def test_the_sponsor_plots_pic50_against_every_property(api, world):
    bio = cdk2_biology(world)
    r = _plot(api, world.sponsor_scientist, world)
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["assay"] == str(bio.potency.id)
    points = {p["registry_id"]: p for p in data["points"]}
    roscovitine = points[bio.compounds[0].registry_id]
    assert roscovitine["y"] == pytest.approx(-math.log10(math.sqrt(123.456789 * 150) * 1e-9))
    assert roscovitine["clogp"] == pytest.approx(bio.compounds[0].clogp)
    assert roscovitine["text"] == "136 nM (n=2)" and roscovitine["category"] is None
    assert points[bio.compounds[1].registry_id]["qualifier"] == ">"
    axis = {a["name"]: a["axis"] for a in data["assays"]}
    assert axis == {
        "CDK2 IC50": "pIC50 (CDK2 IC50)",
        "Kinetic solubility": "Kinetic solubility (µM)",
    }


def test_a_binned_assay_reaches_the_partner_as_categories_only(api, world):
    bio = cdk2_biology(world)
    share(world, bio.potency, "binned")
    r = _plot(api, world.partner_scientist, world)
    assert r.status_code == 200
    data = r.json()
    assert [a["name"] for a in data["assays"]] == ["CDK2 IC50"]
    assert data["assays"][0]["categories"] == ["< 100 nM", "100 nM – 1 µM", "> 1 µM"]
    points = {p["registry_id"]: p for p in data["points"]}
    roscovitine = points[bio.compounds[0].registry_id]
    assert roscovitine | {"y": None, "category": "100 nM – 1 µM"} == roscovitine
    body = r.content.decode()
    assert "136 nM" not in body
    assert "123.4" not in body and "6.86" not in body


def test_a_hidden_assay_is_not_plotted_for_the_partner(api, world):
    bio = cdk2_biology(world)
    share(world, bio.potency, "binned")
    r = _plot(api, world.partner_lead, world, assay=bio.solubility.id)
    assert r.status_code == 422
    # the error names the path asked for: its ids may hold "80" by chance
    body = r.content.decode().replace(str(bio.solubility.id), "").replace(str(world.project.id), "")
    assert "80" not in body


def test_full_values_reach_a_partner_with_a_full_rule(api, world):
    bio = cdk2_biology(world)
    share(world, bio.potency, "full")
    points = _plot(api, world.partner_lead, world).json()["points"]
    assert {p["text"] for p in points} == {"136 nM (n=2)", "> 10000 nM (n=1)"}


@pytest.mark.parametrize("who", ["other_member", "outsider"])
def test_outsiders_get_no_plot(api, world, who):
    cdk2_biology(world)
    assert _plot(api, getattr(world, who), world).status_code == 404


def test_matched_pairs_differ_by_one_change_with_the_potency_difference(api, world):
    bio = cdk2_biology(world)
    made = {}
    for smiles, nm in ((H, "1000"), (F, "100"), (CL, "10")):
        made[smiles] = compounds.register_structure(
            actor=world.partner_scientist, project=world.project, structure=smiles
        ).compound
        record(world, bio.potency, made[smiles], nm)
    r = _plot(api, world.sponsor_lead, world, pairs="true")
    pairs = {(p["a_registry_id"], p["b_registry_id"]): p for p in r.json()["pairs"]}
    h_to_f = pairs[(made[H].registry_id, made[F].registry_id)]
    assert (h_to_f["a_part"], h_to_f["b_part"]) == ("[H][*:1]", "F[*:1]")
    assert h_to_f["constant"] == "Nc1nc(Nc2ccc([*:1])cc2)c2nc[nH]c2n1"
    assert h_to_f["delta"] == pytest.approx(1.0)
    assert pairs[(made[H].registry_id, made[CL].registry_id)]["delta"] == pytest.approx(2.0)
    # roscovitine and purvalanol differ in more than one place
    assert not any(bio.compounds[0].registry_id in key for key in pairs)


def test_binned_pairs_carry_labels_and_no_difference(api, world):
    bio = cdk2_biology(world)
    share(world, bio.potency, "binned")
    for smiles, nm in ((H, "1000"), (F, "100")):
        c = compounds.register_structure(
            actor=world.partner_scientist, project=world.project, structure=smiles
        ).compound
        record(world, bio.potency, c, nm)
    (pair,) = _plot(api, world.partner_scientist, world, pairs="true").json()["pairs"]
    assert (pair["a_text"], pair["b_text"], pair["delta"]) == ("> 1 µM", "100 nM – 1 µM", None)
    assert pair["a_y"] is None and pair["b_y"] is None


def test_the_smallest_change_names_a_pair():
    ids = [uuid.uuid4() for _ in range(2)]
    (pair,) = plots.matched_pairs(list(zip(ids, ["CCOc1ccccc1", "CCNc1ccccc1"], strict=True)))
    assert (pair.constant, pair.a_variable, pair.b_variable) == (
        "c1ccc([*:1])cc1",
        "CCO[*:1]",
        "CCN[*:1]",
    )


def test_a_hydrogen_replaced_by_a_group_is_one_change():
    ids = [uuid.uuid4() for _ in range(2)]
    (pair,) = plots.matched_pairs(list(zip(ids, ["CCOc1ccccc1", "CCOc1ccccc1C"], strict=True)))
    assert (pair.a_variable, pair.b_variable) == ("[H][*:1]", "C[*:1]")


def test_no_pairs_among_unrelated_compounds():
    ids = [uuid.uuid4() for _ in range(2)]
    assert (
        plots.matched_pairs(list(zip(ids, ["c1ccccc1CCCCCCCC", "O=C1Nc2ccccc2C1=O"], strict=True)))
        == []
    )
