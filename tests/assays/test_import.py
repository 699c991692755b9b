"""Importing results from CSV and Excel: mapping, dry run, bad rows, all-or-nothing, progress."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from cobench.assays import imports
from cobench.assays.models import Result
from cobench.assays.tasks import check_result_import_task, run_result_import_task
from cobench.audit.models import AuditEvent
from cobench.compounds import services as compounds

from ..compounds.objects import ROSCOVITINE, register
from .objects import new_assay

PHENOL = "c1ccccc1O"


def _upload(api, user, project, name, content, **form):
    files = {"file": SimpleUploadedFile(name, content)}
    client = api(user)
    url = f"/api/v1/projects/{project.id}/result-imports"
    return client.client.post(url, {**files, **form}, headers=client.headers)


def _start(api, user, job):
    return api(user).post(f"/api/v1/result-imports/{job['id']}/start")


def _xlsx(*sheets):
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _compounds(world):
    rosco = register(world).compound
    phenol = register(world, PHENOL).compound
    return rosco.registry_id, phenol.registry_id


def test_csv_with_mapping_dry_run_then_import(api, world):
    assay = new_assay(world)
    rosco, phenol = _compounds(world)
    text = (
        "Compound,IC50,Units,Run date,Plate\n"
        f"{rosco},0.7,µM,2026-03-02,P1\n"
        f"{rosco},<0.5,uM,2026-03-02,P2\n"
        f"{phenol},>10000,nM,2026-03-03,P1\n"
    )
    mapping = "registry_id=Compound\nvalue=IC50\nunit=Units\nrun_date=Run date\nexperiment_id=Plate"
    r = _upload(
        api,
        world.sponsor_scientist,
        world.project,
        "cdk2.csv",
        text.encode(),
        assay_id=str(assay.id),
        mapping=mapping,
    )
    assert r.status_code == 201, r.json()
    job = r.json()
    assert job["state"] == "checked" and job["check"]["valid"] == 3 and job["check"]["errors"] == []
    # µM and nM in one column: converted, and said so
    assert any("converted to nM" in note for note in job["check"]["notes"])
    assert not Result.objects.exists()  # the dry run writes nothing
    started = _start(api, world.sponsor_scientist, job)
    assert started.status_code == 202 and started.json()["state"] == "done"
    assert started.json()["imported"] == 3
    values = sorted(Result.objects.values_list("qualifier", "value"))
    assert values == [("<", 500.0), ("=", 700.0), (">", 10000.0)]
    assert AuditEvent.objects.filter(event="result.recorded").count() == 3
    again = _upload(
        api,
        world.sponsor_scientist,
        world.project,
        "cdk2.csv",
        text.encode(),
        assay_id=str(assay.id),
        mapping=mapping,
    ).json()
    # the same file twice: every row is already recorded
    assert [e["error"] for e in again["check"]["errors"]] == [
        "already recorded (imported before?)"
    ] * 3


def test_bad_rows_are_listed_and_nothing_is_written(api, world):
    assay = new_assay(world)
    rosco, _ = _compounds(world)
    other = compounds.register_structure(
        actor=world.other_lead, project=world.other_project, structure="CCO"
    ).compound
    text = (
        "registry_id,value,unit\n"
        f"{rosco},12,nM\n"  # row 2: good
        f"{rosco},twelve,nM\n"  # 3: not a number
        f"{rosco},12,zorkmids\n"  # 4: unknown unit
        f"{rosco},12,µg/mL\n"  # 5: not a molar unit
        "CB-424242,12,nM\n"  # 6: unknown compound
        f"{other.registry_id},12,nM\n"  # 7: a compound of another project
        f"{rosco},12,nM\n"  # 8: the same as row 2
    )
    job = _upload(
        api,
        world.sponsor_scientist,
        world.project,
        "bad.csv",
        text.encode(),
        assay_id=str(assay.id),
    ).json()
    errors = {e["row"]: e["error"] for e in job["check"]["errors"]}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8]
    assert "'twelve' is not a number" in errors[3]
    assert "Unknown unit 'zorkmids'" in errors[4]
    assert "cannot be converted" in errors[5]
    assert "no compound 'CB-424242'" in errors[6]
    assert f"no compound '{other.registry_id}' in PRJ-CDK2" in errors[7]
    assert "the same result as row 2" in errors[8]
    assert job["check"]["valid"] == 1 and job["check"]["bad"] == 6
    refused = _start(api, world.sponsor_scientist, job)
    assert refused.status_code == 409
    assert not Result.objects.exists()


def test_all_or_nothing_when_the_data_changed_since_the_dry_run(api, world):
    assay = new_assay(world)
    rosco, phenol = _compounds(world)
    text = f"registry_id,value\n{rosco},5\n{phenol},6\n"
    job = _upload(
        api, world.sponsor_scientist, world.project, "r.csv", text.encode(), assay_id=str(assay.id)
    ).json()
    assert job["check"]["valid"] == 2
    # someone records phenol's 6 nM by hand before the import starts: its row is now a repeat
    from cobench.assays import services

    services.record_result(actor=world.sponsor_lead, assay=assay, registry_id=phenol, value=6)
    done = _start(api, world.sponsor_scientist, job).json()
    assert done["state"] == "failed" and done["imported"] == 0
    assert done["check"]["errors"] == [{"row": 3, "error": "already recorded (imported before?)"}]
    assert Result.objects.count() == 1  # only the hand-recorded one


def test_excel_values_qualifier_prefix_smiles_and_assay_column(api, world):
    ic50 = new_assay(world)
    sol = new_assay(
        world,
        name="Kinetic solubility",
        kind="physchem",
        endpoint="solubility",
        unit="µM",
        better="higher",
    )
    rosco, phenol = _compounds(world)
    data = _xlsx(
        (
            "Results",
            [
                ("SMILES", "Assay", "Value", "Unit"),
                (ROSCOVITINE, ic50.name, "<3", "nM"),
                ("Oc1ccccc1", sol.name, 45.5, "uM"),  # phenol drawn another way
                ("CCCCCCCCCC", sol.name, 1, "uM"),  # 4: not in the project
            ],
        ),
        ("Notes", [("anything",)]),
    )
    job = _upload(api, world.sponsor_scientist, world.project, "plate.xlsx", data).json()
    assert job["format"] == "xlsx" and job["sheet"] == "Results"
    assert job["mapping"] == {
        "smiles": "SMILES",
        "assay": "Assay",
        "value": "Value",
        "unit": "Unit",
    }
    assert any("2 sheets" in n and "'Results' was read" in n for n in job["check"]["notes"])
    (error,) = job["check"]["errors"]
    assert error["row"] == 4 and "has the structure" in error["error"]


def test_excel_formulas_are_per_row_errors_and_a_sheet_can_be_chosen(api, world):
    assay = new_assay(world)
    rosco, _ = _compounds(world)
    data = _xlsx(
        ("Summary", [("nothing here",)]),
        ("Raw", [("registry_id", "value"), (rosco, "=2*6"), (rosco, 12)]),
    )
    job = _upload(
        api,
        world.sponsor_scientist,
        world.project,
        "f.xlsx",
        data,
        assay_id=str(assay.id),
        sheet="Raw",
    ).json()
    (error,) = job["check"]["errors"]
    assert error["row"] == 2 and "holds a formula (=2*6)" in error["error"]
    missing = _upload(
        api,
        world.sponsor_scientist,
        world.project,
        "f.xlsx",
        data,
        assay_id=str(assay.id),
        sheet="Nope",
    )
    assert missing.status_code == 422 and "No sheet 'Nope'" in missing.json()["detail"]


def test_files_that_are_not_result_tables(api, world, monkeypatch):
    assay = new_assay(world)
    rosco, _ = _compounds(world)
    form = {"assay_id": str(assay.id)}
    cases = [
        ("empty.csv", b""),
        ("binary.csv", b"\x00\x01\x02garbage"),
        ("fake.xlsx", b"PK\x03\x04not really a zip"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"),
        ("header-only.csv", b"registry_id,value\n"),
        ("no-value.csv", b"registry_id,colour\nCB-000001,red\n"),
        ("twice.csv", b"value,value\n1,2\n"),
    ]
    for name, content in cases:
        r = _upload(api, world.sponsor_scientist, world.project, name, content, **form)
        assert r.status_code == 422, (name, r.content)
    monkeypatch.setattr(imports, "MAX_ROWS", 5)
    big = "registry_id,value\n" + f"{rosco},1\n" * 6
    r = _upload(api, world.sponsor_scientist, world.project, "big.csv", big.encode(), **form)
    assert r.status_code == 422 and "more than 5 rows" in r.json()["detail"]
    monkeypatch.setattr(imports, "MAX_ROWS", 1000)
    monkeypatch.setattr(imports, "MAX_BYTES", 50)
    r = _upload(api, world.sponsor_scientist, world.project, "big.csv", big.encode(), **form)
    assert r.status_code == 422 and "larger than the limit" in r.json()["detail"]


def test_large_files_are_checked_and_imported_in_the_background(api, world, settings):
    settings.COBENCH_IMPORT_INLINE_RECORDS = 10
    assay = new_assay(world)
    rosco, _ = _compounds(world)
    text = "registry_id,value,experiment_id\n" + "".join(
        f"{rosco},{i + 1},E{i}\n" for i in range(30)
    )
    job = _upload(
        api,
        world.sponsor_scientist,
        world.project,
        "big.csv",
        text.encode(),
        assay_id=str(assay.id),
    ).json()
    assert job["state"] == "checking" and job["rows"] == 30
    check_result_import_task.call(job["id"])
    checked = api(world.sponsor_scientist).get(f"/api/v1/result-imports/{job['id']}").json()
    assert checked["state"] == "checked" and checked["percent"] == 100
    started = _start(api, world.sponsor_scientist, job).json()
    assert started["state"] == "queued"
    run_result_import_task.call(job["id"])
    done = api(world.sponsor_scientist).get(f"/api/v1/result-imports/{job['id']}").json()
    assert (done["state"], done["imported"]) == ("done", 30)


def test_only_the_assay_owner_imports_and_others_do_not_see_the_job(api, world):
    assay = new_assay(world)
    rosco, _ = _compounds(world)
    text = f"registry_id,value\n{rosco},5\n".encode()
    job = _upload(
        api, world.sponsor_scientist, world.project, "r.csv", text, assay_id=str(assay.id)
    ).json()
    # the partner's people neither see the sponsor's import nor import into its assay
    assert api(world.partner_lead).get(f"/api/v1/result-imports/{job['id']}").status_code == 404
    r = _upload(api, world.partner_lead, world.project, "r.csv", text, assay_id=str(assay.id))
    assert r.status_code in (403, 404)
    r = _upload(api, world.outsider, world.project, "r.csv", text, assay_id=str(assay.id))
    assert r.status_code == 404


def test_a_job_whose_worker_stopped_is_checked_again(api, world, settings):
    from datetime import timedelta

    from django.utils import timezone

    from cobench.assays.models import ResultImport

    settings.COBENCH_IMPORT_INLINE_RECORDS = 0  # every file goes to the worker
    assay = new_assay(world)
    rosco, _ = _compounds(world)
    text = f"registry_id,value\n{rosco},5\n".encode()
    job = _upload(
        api, world.sponsor_scientist, world.project, "r.csv", text, assay_id=str(assay.id)
    ).json()
    assert job["state"] == "checking"
    stored = ResultImport.objects.get(pk=job["id"])
    assert imports.checkable(stored) is False  # its worker may still be at it
    later = timezone.now() + timedelta(minutes=11)
    assert imports.checkable(stored, now=later) is True  # the worker went silent: again
