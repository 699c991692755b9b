"""Registering compounds and lots through the API: de-duplication, bad structures, tenancy."""

import csv
import io
from uuid import uuid4

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rdkit import Chem

from cobench.audit.models import AuditEvent
from cobench.compounds.models import Compound, Lot

from .objects import PDF, ROSCOVITINE, register, registered_meanwhile

ADENINE = "Nc1ncnc2[nH]cnc12"


def _register(api, user, project, structure, **fields):
    return api(user).post(
        f"/api/v1/projects/{project.id}/compounds", {"structure": structure, **fields}
    )


def test_free_base_and_hcl_salt_are_one_compound_with_two_lots(api, world):
    base = _register(api, world.partner_scientist, world.project, ROSCOVITINE)
    salt = _register(api, world.partner_scientist, world.project, f"{ROSCOVITINE}.Cl")
    assert base.status_code == salt.status_code == 201, salt.json()
    base, salt = base.json(), salt.json()
    assert base["created"] is True and salt["created"] is False
    assert base["compound"]["id"] == salt["compound"]["id"]
    assert base["compound"]["registry_id"] == "CB-000001"
    assert base["lot"]["lot_number"] == "CB-000001-001"
    assert salt["lot"]["lot_number"] == "CB-000001-002"
    assert salt["lot"]["salt_form"] == "Cl" and salt["lot"]["removed_fragments"] == ["Cl"]
    assert base["lot"]["salt_form"] == ""
    assert base["lot"]["producer"]["name"] == "Northbridge Chemistry"
    assert Compound.objects.count() == 1 and Lot.objects.count() == 2
    detail = api(world.sponsor_lead).get(f"/api/v1/compounds/{base['compound']['id']}").json()
    assert [lot["lot_number"] for lot in detail["lots"]] == ["CB-000001-001", "CB-000001-002"]
    assert detail["properties"]["formula"] == "C19H26N6O"
    assert detail["stereo"]["defined_centres"] == 1
    assert detail["versions"]["rdkit"]


def test_the_same_structure_drawn_differently_is_the_same_compound(api, world):
    first = _register(api, world.partner_scientist, world.project, "c1ccccc1C(=O)O").json()
    again = _register(api, world.partner_lead, world.project, "OC(=O)C1=CC=CC=C1").json()
    as_molfile = Chem.MolToMolBlock(Chem.MolFromSmiles("O=C(O)c1ccccc1"))
    third = _register(api, world.sponsor_scientist, world.project, as_molfile)
    assert third.status_code == 201, third.json()
    assert first["compound"]["id"] == again["compound"]["id"] == third.json()["compound"]["id"]
    assert third.json()["lot"]["producer"]["name"] == "Helix Bio"


def test_another_project_of_the_sponsor_finds_the_compound_and_links_it(api, world):
    cdk2 = _register(api, world.partner_scientist, world.project, ADENINE).json()
    kras = _register(api, world.other_member, world.other_project, ADENINE).json()
    assert kras["created"] is False and kras["compound"]["id"] == cdk2["compound"]["id"]
    assert kras["lot"]["lot_number"] == "CB-000001-002"
    # olga sees the compound through KRAS, but only KRAS's lot
    lots = api(world.other_member).get(f"/api/v1/compounds/{cdk2['compound']['id']}").json()
    assert [lot["lot_number"] for lot in lots["lots"]] == ["CB-000001-002"]
    assert AuditEvent.objects.filter(event="compound.linked").count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_a_structure_registered_at_the_same_time_by_two_people_is_one_compound(world, monkeypatch):
    raced = registered_meanwhile(monkeypatch, world, f"{ROSCOVITINE}.Cl")
    registration = register(world, ROSCOVITINE)
    assert raced and registration.created is False
    assert registration.lot.lot_number == "CB-000001-002"
    compound = Compound.objects.get()
    assert compound.lots.count() == 2 and compound.registry_id == "CB-000001"
    assert AuditEvent.objects.filter(event="compound.registered").count() == 1
    # the loser's number went back: the next new compound is the second
    assert register(world, ADENINE).compound.registry_id == "CB-000002"


def test_unparsable_structure_is_refused_with_rdkits_message(api, world):
    r = _register(api, world.partner_scientist, world.project, "C1CC(")
    assert r.status_code == 422
    text = str(r.json())
    assert "SMILES Parse Error" in text
    assert Compound.objects.count() == 0 and Lot.objects.count() == 0


def test_wrong_valence_and_broken_molfile_are_refused(api, world):
    assert (
        _register(api, world.partner_scientist, world.project, "C(C)(C)(C)(C)C").status_code == 422
    )
    broken = "\n  RDKit 2D\n\n  1  0  0  0  0  0  0  0  0  0999 V2000\nM  END\n"
    assert _register(api, world.partner_scientist, world.project, broken).status_code == 422


def test_a_2000_atom_molecule_is_refused(api, world):
    r = _register(api, world.partner_scientist, world.project, "C" * 2000)
    assert r.status_code == 422
    assert "atoms" in str(r.json())
    assert Compound.objects.count() == 0


def test_empty_nul_and_overlong_input_is_refused(api, world):
    assert _register(api, world.partner_scientist, world.project, "").status_code == 422
    assert _register(api, world.partner_scientist, world.project, "CC\x00O").status_code == 422
    r = _register(api, world.partner_scientist, world.project, ADENINE, appearance="x" * 201)
    assert r.status_code == 422
    r = _register(api, world.partner_scientist, world.project, ADENINE, purity=101)
    assert r.status_code == 422
    r = _register(api, world.partner_scientist, world.project, ADENINE, amount="lots")
    assert r.status_code == 422
    assert Compound.objects.count() == 0


def test_qa_auditor_and_executive_may_not_register(api, world):
    assert _register(api, world.auditor, world.project, ADENINE).status_code == 403
    assert _register(api, world.executive, world.project, ADENINE).status_code == 403


def test_someone_elses_compound_and_lot_answer_404(api, world):
    registration = register(world)
    compound, lot = registration.compound, registration.lot
    for user in (world.outsider, world.other_member):
        assert api(user).get(f"/api/v1/compounds/{compound.id}").status_code == 404
        assert api(user).get(f"/api/v1/lots/{lot.id}").status_code == 404
        r = api(user).patch(f"/api/v1/lots/{lot.id}", {"notes": "x", "version": 1})
        assert r.status_code == 404
        r = _register(api, user, world.project, ADENINE)
        assert r.status_code == 404


def test_compounds_of_a_project_are_listed_and_filtered(api, world):
    register(world)
    register(world, ADENINE)
    url = f"/api/v1/projects/{world.project.id}/compounds"
    listed = api(world.auditor).get(url).json()
    assert [c["registry_id"] for c in listed["items"]] == ["CB-000001", "CB-000002"]
    assert api(world.auditor).get(f"{url}?formula=C5H5N5").json()["count"] == 1
    assert api(world.auditor).get(f"{url}?registry_id=CB-000002").json()["count"] == 1
    prefix = api(world.auditor).get(f"{url}?registry_id=cb-00000").json()
    assert [c["registry_id"] for c in prefix["items"]] == ["CB-000001", "CB-000002"]
    assert api(world.auditor).get(f"{url}?registry_id=CB-0001").json()["count"] == 0
    odd = api(world.auditor).get(f"{url}?registry_id=%25%E2%80%A8_\\").json()
    assert odd["count"] == 0
    assert api(world.other_lead).get(url).status_code == 404
    kras = api(world.other_lead).get(f"/api/v1/projects/{world.other_project.id}/compounds")
    assert kras.json()["count"] == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query planner")
def test_a_registry_id_prefix_is_a_range_of_an_index_on_postgresql(world):
    base = register(world).compound
    keys = {"id", "number", "registry_id", "registration_key", "molblock", "svg"}
    copied = {f.attname: getattr(base, f.attname) for f in Compound._meta.concrete_fields}
    copied = {name: value for name, value in copied.items() if name not in keys}
    Compound.objects.bulk_create(  # a registry large enough for the planner to choose
        Compound(**copied, id=uuid4(), number=n, registry_id=f"CB-{n:06}", registration_key=f"k{n}")
        for n in range(2, 5_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE compounds_compound")
    found = Compound.objects.filter(sponsor=world.sponsor).by_registry_id_prefix("cb-0000")
    assert found.count() == 99
    plan = found.explain()
    # LIKE 'cb-0000%' OR LIKE 'CB-0000%', each a range of the text_pattern_ops index
    assert "~>=~ 'CB-0000'" in plan and "Seq Scan" not in plan, plan


def test_lot_update_needs_the_version_and_is_audited(api, world):
    lot = register(world).lot
    url = f"/api/v1/lots/{lot.id}"
    assert api(world.partner_lead).patch(url, {"purity": "98.5"}).status_code == 428
    r = api(world.partner_lead).patch(url, {"purity": "98.5"}, headers={"If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["purity"] == "98.50" and r["ETag"] == '"2"'
    assert api(world.partner_lead).patch(url, {"notes": "x", "version": 1}).status_code == 412
    assert api(world.auditor).patch(url, {"notes": "x", "version": 2}).status_code == 403
    assert AuditEvent.objects.filter(event="lot.updated", target_id=str(lot.id)).count() == 1


def test_lot_files_upload_list_download(api, world):
    lot = register(world).lot
    client = api(world.partner_scientist)
    upload = SimpleUploadedFile("coa.pdf", PDF, content_type="application/pdf")
    r = client.client.post(
        f"/api/v1/lots/{lot.id}/files",
        {"file": upload, "kind": "certificate"},
        headers=client.headers,
    )
    assert r.status_code == 201, r.json()
    assert r.json()["kind"] == "certificate"
    files = client.get(f"/api/v1/lots/{lot.id}/files").json()
    assert [f["name"] for f in files] == ["coa.pdf"]
    download = client.get(f"/api/v1/lot-files/{files[0]['id']}")
    assert download.status_code == 200 and download.content == PDF
    assert api(world.other_member).get(f"/api/v1/lot-files/{files[0]['id']}").status_code == 404
    bad = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    r = client.client.post(f"/api/v1/lots/{lot.id}/files", {"file": bad}, headers=client.headers)
    assert r.status_code == 422


def test_export_csv_neutralises_spreadsheet_formulas(api, world):
    register(world, salt_form='=HYPERLINK("http://evil")')
    register(world, ADENINE, salt_form="@SUM(A1)")
    r = api(world.sponsor_lead).get(
        f"/api/v1/projects/{world.project.id}/compounds/export?format=csv"
    )
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert [row["registry_id"] for row in rows] == ["CB-000001", "CB-000002"]
    assert rows[0]["salt_forms"] == '\'=HYPERLINK("http://evil")'
    assert rows[1]["salt_forms"] == "'@SUM(A1)"
    text = ("registry_id", "smiles", "inchikey", "formula", "lots", "salt_forms", "warnings")
    for row in rows:
        assert not any(row[name].startswith(("=", "+", "-", "@")) for name in text)


def test_export_sdf_round_trips_through_rdkit_and_takes_a_selection(api, world):
    first = register(world).compound
    second = register(world, ADENINE).compound
    base = f"/api/v1/projects/{world.project.id}/compounds/export?format=sdf"
    everything = api(world.partner_lead).get(base).content.decode()
    supplier = Chem.SDMolSupplier()
    supplier.SetData(everything)
    mols = [m for m in supplier]
    assert all(m is not None for m in mols) and len(mols) == 2
    assert [m.GetProp("_Name") for m in mols] == [first.registry_id, second.registry_id]
    assert Chem.MolToSmiles(mols[0]) == first.smiles
    assert mols[0].GetProp("inchikey") == first.inchikey
    chosen = api(world.partner_lead).get(f"{base}&ids={second.id}").content.decode()
    supplier.SetData(chosen)
    assert [m.GetProp("_Name") for m in supplier] == [second.registry_id]
    assert api(world.partner_lead).get(f"{base}&ids=nonsense").status_code == 422
    assert api(world.other_member).get(f"{base}&ids={first.id}").status_code == 404


def test_the_registry_prefix_is_a_setting_and_numbers_are_per_sponsor(api, world, settings):
    settings.COBENCH_REGISTRY_PREFIX = "HX"
    first = _register(api, world.partner_scientist, world.project, ADENINE).json()
    second = _register(api, world.partner_scientist, world.project, ROSCOVITINE).json()
    assert [first["compound"]["registry_id"], second["compound"]["registry_id"]] == [
        "HX-000001",
        "HX-000002",
    ]
    assert second["lot"]["lot_number"] == "HX-000002-001"
