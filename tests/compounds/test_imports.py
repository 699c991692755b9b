"""Bulk import: SDF, SMILES and CSV files through the API, the pages and `cobench compounds import`.

The import is resumable: a bad record is reported by number and name and the
others are imported; a stopped job resumes after its last committed batch.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from rdkit import Chem

from cobench.audit.models import AuditEvent
from cobench.compounds import imports
from cobench.compounds.models import Compound, ImportJob, Lot
from cobench.compounds.tasks import check_import_task, run_import_task
from cobench.core.errors import Forbidden
from cobench.search.tasks import prepare_grown_indexes

from .objects import register, registered_meanwhile

DATA = Path(__file__).resolve().parent.parent / "chem" / "data" / "moses_2000.smi"
CORPUS = Path(__file__).resolve().parent.parent / "chem" / "corpus"
BASE, SALT = "CN1CCC(CC1)c1ccccc1", "CN1CCC(CC1)c1ccccc1.Cl"
BROKEN = "broken-417\n  junk\n\n  2  1  0  0  0  0  0  0  0  0999 V2000\nM  END\n"


def moses(n: int) -> list[str]:
    return DATA.read_text().split()[:n]


def sdf(smiles: list[str], *, v3000: bool = False, purity: str = "98.5") -> str:
    """An SDF of `smiles` named MOL-1, MOL-2, ... with a purity field."""
    out = []
    for i, s in enumerate(smiles, start=1):
        mol = Chem.MolFromSmiles(s)
        block = Chem.MolToV3KMolBlock(mol) if v3000 else Chem.MolToMolBlock(mol)
        block = f"MOL-{i}" + block[block.index("\n") :]
        out.append(f"{block}> <purity>\n{purity}\n\n> <Supplier>\nAcme\n\n$$$$\n")
    return "".join(out)


def with_bad_record(text: str, number: int) -> str:
    records = text.split("$$$$\n")
    records[number - 1] = BROKEN + "> <purity>\n90\n\n"
    return "$$$$\n".join(records)


def upload(api, user, project, name: str, content: bytes | str, **fields):
    data = content.encode() if isinstance(content, str) else content
    client = api(user)
    return client.client.post(
        f"/api/v1/projects/{project.id}/compound-imports",
        data={"file": SimpleUploadedFile(name, data), **fields},
        headers=client.headers,
    )


def check_and_start(api, user, job_id: str, **body):
    client = api(user)
    r = client.post(f"/api/v1/compound-imports/{job_id}/check", json=body)
    assert r.status_code == 200, r.content
    return r.json(), client.post(f"/api/v1/compound-imports/{job_id}/start")


def test_sdf_with_one_bad_record_in_1000_imports_999_and_names_the_bad_one(api, world):
    text = with_bad_record(sdf(moses(1000)), 417)
    r = upload(api, world.partner_scientist, world.project, "series.sdf", text)
    assert r.status_code == 201, r.content
    job = r.json()
    assert (job["format"], job["records"], job["state"]) == ("sdf", 1000, "uploaded")
    assert "purity" in job["fields"] and "Supplier" in job["fields"]
    # 1,000 records are more than a web request checks or imports: the background worker does
    r = api(world.partner_scientist).post(
        f"/api/v1/compound-imports/{job['id']}/check", json={"mapping": {"purity": "purity"}}
    )
    assert r.json()["state"] == "checking"
    check_import_task.call(job["id"])
    started = api(world.partner_scientist).post(f"/api/v1/compound-imports/{job['id']}/start")
    checked = api(world.partner_scientist).get(f"/api/v1/compound-imports/{job['id']}").json()
    assert checked["check"]["valid"] == 999 and checked["check"]["errors"] == 1
    assert started.status_code == 202 and started.json()["state"] == "queued"
    run_import_task.call(job["id"])
    status = api(world.partner_scientist).get(f"/api/v1/compound-imports/{job['id']}").json()
    assert (status["state"], status["imported"], status["failed"]) == ("done", 999, 1)
    assert status["done_through"] == 1000 and status["percent"] == 100
    report = api(world.partner_scientist).get(f"/api/v1/compound-imports/{job['id']}/report")
    (error,) = report.json()["errors"]
    assert error["record"] == 417 and error["name"] == "broken-417"
    assert "cannot register" in error["error"]
    assert Lot.objects.filter(project=world.project).count() == 999
    assert Lot.objects.filter(purity=98.5).count() == 999


def test_the_command_line_imports_with_a_progress_bar_and_names_the_bad_record(world, tmp_path):
    path = tmp_path / "series.sdf"
    path.write_text(with_bad_record(sdf(moses(1000)), 417))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 records were refused"):
        call_command(
            "compounds",
            "import",
            str(path),
            "--project=PRJ-CDK2",
            "--as=pete",
            "--map",
            "purity=purity",
            stdout=out,
            stderr=err,
        )
    assert "record 417 (broken-417): cannot register" in out.getvalue()
    assert "importing [" in err.getvalue() and "] 1,000/1,000\n" in err.getvalue()
    assert "Imported 999 records into PRJ-CDK2 (999 new compounds); 1 refused." in out.getvalue()
    assert Lot.objects.filter(project=world.project).count() == 999


def test_command_line_dry_run_writes_nothing_and_progress_goes_to_stderr(world, tmp_path, capsys):
    path = tmp_path / "few.smi"
    path.write_text(f"SMILES Name\n{BASE} base\n{SALT} hcl\nC1CC1N(\n")
    with pytest.raises(CommandError):
        call_command(
            "compounds", "import", str(path), "--project=PRJ-CDK2", "--as=pete", "--dry-run"
        )
    out, err = capsys.readouterr()
    assert "record 2 (hcl): the same compound as record 1" in out
    assert "record 3: cannot register: not a valid smiles" in out
    assert "Dry run: nothing was written." in out
    assert "checking" not in out and Lot.objects.count() == 0


def test_v3000_sdf_imports(api, world):
    r = upload(api, world.partner_scientist, world.project, "v3.sdf", sdf(moses(5), v3000=True))
    assert r.status_code == 201, r.content
    _, started = check_and_start(api, world.partner_scientist, r.json()["id"])
    assert started.json()["state"] == "done" and started.json()["imported"] == 5
    lot = Lot.objects.filter(project=world.project).order_by("created_at").first()
    assert "V3000" in lot.structure and "External id: MOL-1" in lot.notes


def test_free_base_and_hcl_salt_in_one_file_are_one_compound_with_two_lots(api, world):
    text = f"smiles name\n{BASE} NB-1\n{SALT} NB-1-HCl\n"
    job = upload(api, world.partner_scientist, world.project, "pair.smi", text).json()
    checked, started = check_and_start(api, world.partner_scientist, job["id"])
    assert (checked["check"]["new"], checked["check"]["in_file"]) == (1, 1)
    report = api(world.partner_scientist).get(f"/api/v1/compound-imports/{job['id']}/check")
    assert report.json()["findings"] == [
        {
            "record": 2,
            "name": "NB-1-HCl",
            "duplicate": "the same compound as record 1",
            "of_record": 1,
        }
    ]
    assert started.json()["new_compounds"] == 1 and started.json()["imported"] == 2
    compound = Compound.objects.get()
    lots = list(compound.lots.order_by("number"))
    assert [lot.salt_form for lot in lots] == ["", "Cl"]


def test_a_structure_already_registered_would_add_a_lot(api, world):
    known = register(world, BASE).compound
    job = upload(api, world.partner_scientist, world.project, "again.smi", SALT).json()
    checked, _ = check_and_start(api, world.partner_scientist, job["id"])
    assert checked["check"]["known"] == 1
    report = api(world.partner_scientist).get(f"/api/v1/compound-imports/{job['id']}/check")
    assert report.json()["findings"][0]["duplicate"] == f"would add a lot to {known.registry_id}"
    assert Compound.objects.count() == 1 and known.lots.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_a_structure_registered_while_the_import_writes_it_gets_a_lot(api, world, monkeypatch):
    job = upload(api, world.partner_scientist, world.project, "race.smi", f"{SALT} salt\n").json()
    raced = registered_meanwhile(monkeypatch, world, BASE)
    _, started = check_and_start(api, world.partner_scientist, job["id"])
    assert raced and started.json()["state"] == "done", started.content
    assert (started.json()["imported"], started.json()["failed"]) == (1, 0)
    compound = Compound.objects.get()
    assert compound.lots.count() == 2 and compound.registry_id == "CB-000001"


def test_csv_with_a_chosen_smiles_column_and_a_field_mapping(api, world):
    text = (
        "Compound ID;Structure SMILES;Purity (%);Amount;Unit;Colour\n"
        f"NB-7;{BASE};99.1;12.5;mg;white powder\n"
        "NB-8;CCO;high;1;g;clear\n"
    )
    mapping = (
        "Compound ID=name\nPurity (%)=purity\nAmount=amount\nUnit=amount_unit\nColour=appearance"
    )
    r = upload(
        api,
        world.partner_scientist,
        world.project,
        "lots.csv",
        text,
        smiles_column="Structure SMILES",
        mapping=mapping,
    )
    assert r.status_code == 201, r.content
    assert r.json()["fields"] == ["Compound ID", "Purity (%)", "Amount", "Unit", "Colour"]
    checked, started = check_and_start(api, world.partner_scientist, r.json()["id"])
    assert started.json()["imported"] == 1 and started.json()["failed"] == 1
    report = api(world.partner_scientist).get(f"/api/v1/compound-imports/{r.json()['id']}/report")
    assert report.json()["errors"] == [
        {"record": 2, "name": "NB-8", "error": "purity: 'high' is not a number"}
    ]
    lot = Lot.objects.get()
    assert (str(lot.purity), str(lot.amount), lot.appearance) == ("99.10", "12.500", "white powder")
    assert lot.notes == "External id: NB-7"


def test_a_mapping_to_an_unknown_field_or_column_is_refused(api, world):
    r = upload(
        api,
        world.partner_scientist,
        world.project,
        "x.csv",
        f"smiles,p\n{BASE},1\n",
        mapping="p=colour",
    )
    assert r.status_code == 422 and "'colour' is not a lot field" in r.json()["detail"]
    r = upload(
        api,
        world.partner_scientist,
        world.project,
        "x.csv",
        f"smiles,p\n{BASE},1\n",
        mapping="q=purity",
    )
    assert r.status_code == 422 and "no column 'q'" in r.json()["detail"]


def test_the_dry_run_writes_nothing_but_its_report(api, world):
    job = upload(api, world.partner_scientist, world.project, "s.sdf", sdf(moses(20))).json()
    client = api(world.partner_scientist)
    events = AuditEvent.objects.count()
    r = client.post(f"/api/v1/compound-imports/{job['id']}/check", json={})
    assert r.json()["state"] == "checked" and r.json()["check"]["new"] == 20
    assert Compound.objects.count() == 0 and Lot.objects.count() == 0
    assert list(AuditEvent.objects.values_list("event", flat=True)[events:]) == [
        "compound_import.checked"
    ]


def test_an_import_cannot_start_before_its_dry_run(api, world):
    job = upload(api, world.partner_scientist, world.project, "s.smi", BASE).json()
    r = api(world.partner_scientist).post(f"/api/v1/compound-imports/{job['id']}/start")
    assert r.status_code == 409 and "dry run first" in r.json()["detail"]


@pytest.mark.parametrize(
    ("name", "content", "format", "message"),
    [
        ("a.smi", b"", "", "The file is empty."),
        ("a.smi", "CCO é\n".encode("latin-1"), "", "not UTF-8 text: byte 0xE9 on line 1"),
        ("a.sdf", b"CCO\nCCN\n", "", "This is not an SDF"),
        ("a.smi", sdf(["CCO"]).encode(), "", "looks like an SDF"),
        ("a.png", b"\x89PNG\r\n\x1a\n\x00\x00", "", "binary file"),
        ("a.csv", b"name,value\nx,1\n", "", "Which column holds the SMILES?"),
        ("a.smi", b"# only a comment\n\n", "", "no records"),
    ],
)
def test_files_that_cannot_be_imported_are_refused_clearly(
    api, world, name, content, format, message
):
    r = upload(api, world.partner_scientist, world.project, name, content, format=format)
    assert r.status_code == 422 and message in r.json()["detail"], r.content
    assert not ImportJob.objects.exists()


def test_a_file_over_the_size_limit_is_refused(api, world, settings):
    settings.COBENCH_MAX_IMPORT_BYTES = 1000
    r = upload(api, world.partner_scientist, world.project, "big.smi", "CCO\n" * 400)
    assert r.status_code == 422 and "larger than the limit" in r.json()["detail"]


def test_a_huge_record_is_its_own_error(api, world):
    text = f"{BASE} ok\n{'C' * 250_000} huge\nCCO ok2\n"
    job = upload(api, world.partner_scientist, world.project, "h.smi", text).json()
    checked, started = check_and_start(api, world.partner_scientist, job["id"])
    (finding,) = (
        api(world.partner_scientist)
        .get(f"/api/v1/compound-imports/{job['id']}/check")
        .json()["findings"]
    )
    assert finding["record"] == 2 and "250,000 characters" in finding["error"]
    assert started.json()["imported"] == 2


def test_pathological_structures_become_per_record_errors_without_losing_good_ones(
    api, world, settings
):
    settings.COBENCH_IMPORT_TIMEOUT_S = 1.0
    records = [
        "CCO",
        (CORPUS / "huge_fused_rings.smi").read_text().strip(),
        (CORPUS / "atoms_2000.smi").read_text().strip(),
        (CORPUS / "unparsable.smi").read_text().strip(),
        (CORPUS / "wrong_valence.smi").read_text().strip(),
        "CN.Cl",
    ]
    text = "".join(f"{s} rec-{i}\n" for i, s in enumerate(records, start=1))
    job = upload(api, world.partner_scientist, world.project, "nasty.smi", text).json()
    _, started = check_and_start(api, world.partner_scientist, job["id"])
    assert started.json()["imported"] == 2 and started.json()["failed"] == 4
    errors = api(world.partner_scientist).get(f"/api/v1/compound-imports/{job['id']}/report")
    by_record = {e["record"]: e["error"] for e in errors.json()["errors"]}
    assert "gave up after 1 s" in by_record[2]
    assert "2,000 heavy atoms" in by_record[3]
    assert "SMILES Parse Error" in by_record[4]
    assert "Explicit valence" in by_record[5]


def test_broken_molfiles_in_an_sdf_are_per_record_errors(api, world):
    good = sdf(["CCO"])
    text = (
        good
        + (CORPUS / "malformed_sgroup.mol").read_text()
        + "$$$$\n"
        + (CORPUS / "empty_atoms.mol").read_text()
        + "$$$$\n"
        + "no end\nat all\n$$$$\n"
        + sdf(["CCN"])
    )
    job = upload(api, world.partner_scientist, world.project, "nasty.sdf", text).json()
    assert job["records"] == 5
    _, started = check_and_start(api, world.partner_scientist, job["id"])
    assert started.json()["imported"] == 2 and started.json()["failed"] == 3
    errors = api(world.partner_scientist).get(f"/api/v1/compound-imports/{job['id']}/report")
    by_record = {e["record"]: e["error"] for e in errors.json()["errors"]}
    assert "S group XXX" in by_record[2]
    assert "empty molecule" in by_record[3]
    assert by_record[4] == "no 'M  END' line: not a molfile"


def test_a_stopped_import_resumes_after_its_last_committed_batch(world, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 4)
    upload = SimpleUploadedFile(
        "ten.smi", "".join(f"{s} m{i}\n" for i, s in enumerate(moses(10))).encode()
    )
    job = imports.create_import(actor=world.partner_scientist, project=world.project, upload=upload)
    job = imports.check_import(actor=world.partner_scientist, job=job)
    imports.start_import(actor=world.partner_scientist, job=job, background=False)
    real_write, calls = imports._write, []

    def crash_on_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the machine went down")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(imports, "_write", crash_on_second_batch)
    with pytest.raises(RuntimeError):
        imports.run_import(job=job)
    job.refresh_from_db()
    assert (job.state, job.done_through, job.imported) == ("failed", 4, 4)
    assert "Stopped after record 4" in job.message
    assert Lot.objects.count() == 4
    imports.start_import(actor=world.partner_scientist, job=job, background=False)
    job = imports.run_import(job=job)
    assert (job.state, job.done_through, job.imported) == ("done", 10, 10)
    assert Lot.objects.count() == 10 and Compound.objects.count() == 10
    assert sorted(lot.notes for lot in Lot.objects.all()) == sorted(
        f"External id: m{i}" for i in range(10)
    )


def test_someone_elses_project_and_job_are_not_found(api, world):
    job = upload(api, world.partner_scientist, world.project, "s.smi", BASE).json()
    assert api(world.other_member).get(f"/api/v1/compound-imports/{job['id']}").status_code == 404
    r = api(world.other_member).post(f"/api/v1/compound-imports/{job['id']}/start")
    assert r.status_code == 404
    r = upload(api, world.other_member, world.project, "s.smi", BASE)
    assert r.status_code == 404


def test_a_member_without_the_registering_role_is_refused(api, world):
    r = upload(api, world.executive, world.project, "s.smi", BASE)
    assert r.status_code == 403
    with pytest.raises(Forbidden):
        imports.create_import(
            actor=world.auditor,
            project=world.project,
            upload=SimpleUploadedFile("s.smi", BASE.encode()),
        )


def test_the_web_flow_upload_map_dry_run_import_and_progress(web, world):
    client = web(world.partner_scientist)
    base = f"/projects/{world.project.id}/compounds/imports/"
    r = client.post(base, {"file": SimpleUploadedFile("few.sdf", sdf(moses(3)).encode())})
    assert r.status_code == 302
    page = client.get(r["Location"])
    assert page.status_code == 200
    assert b'name="map:purity"' in page.content and b'name="map:Supplier"' in page.content
    job = ImportJob.objects.get()
    r = client.post(f"{base}{job.id}/check/", {"map:purity": "purity", "map:Supplier": ""})
    page = client.get(r["Location"])
    assert b"3 records: 3 can be registered (3 new compounds" in page.content
    r = client.post(f"{base}{job.id}/start/")
    page = client.get(r["Location"])
    assert b"Imported 3 records; 0 refused." in page.content
    assert b'<progress value="3" max="3"' in page.content and b"Done" in page.content
    fragment = client.get(f"{base}{job.id}/", headers={"HX-Request": "true"})
    assert fragment.content.startswith(b'<div id="import-progress">')
    assert fragment["HX-Refresh"] == "true"  # done: the page reloads once to show the report
    assert Lot.objects.filter(purity=98.5).count() == 3


def test_the_progress_fragment_polls_while_the_worker_checks_and_imports(web, api, world):
    job = upload(api, world.partner_scientist, world.project, "s.smi", "\n".join(moses(300))).json()
    client = web(world.partner_scientist)
    url = f"/projects/{world.project.id}/compounds/imports/{job['id']}/"
    r = client.post(f"{url}check/")
    page = client.get(r["Location"])
    assert b'hx-trigger="every 1s"' in page.content and b"Dry run under way" in page.content
    check_import_task.call(job["id"])
    client.post(f"{url}start/")
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert b'hx-trigger="every 1s"' in fragment.content and b"Waiting to run" in fragment.content
    assert not fragment.has_header("HX-Refresh")


def test_each_sponsor_numbers_its_own_registry(world):
    """Another sponsor's first compound is its CB-000001 too: ids are unique per registry."""
    from cobench.core.context import request_id
    from cobench.tenancy import services as tenancy

    register(world, BASE)
    with request_id():
        other = tenancy.create_project(
            actor=world.outsider, code="PRJ-ELSE", name="Elsewhere", sponsor=world.outsider_org
        )
    upload = SimpleUploadedFile("one.smi", f"{BASE} e-1\n".encode())
    job = imports.create_import(actor=world.outsider, project=other, upload=upload)
    imports.check_import(actor=world.outsider, job=job)
    imports.start_import(actor=world.outsider, job=job, background=False)
    job = imports.run_import(job=job)
    assert (job.imported, job.new_compounds) == (1, 1)
    ids = sorted(Compound.objects.values_list("sponsor__name", "registry_id"))
    assert ids == [("Elsewhere Pharma", "CB-000001"), ("Helix Bio", "CB-000001")]


def test_the_upload_page_says_why_a_file_is_refused(web, world):
    client = web(world.partner_scientist)
    bad = SimpleUploadedFile("old.smi", "CCO café\n".encode("latin-1"))
    r = client.post(f"/projects/{world.project.id}/compounds/imports/", {"file": bad})
    assert r.status_code == 422 and b"The file is not UTF-8 text" in r.content
    assert not ImportJob.objects.exists()


def test_after_a_large_import_the_worker_writes_the_search_index_the_web_reads(
    api, world, settings, monkeypatch, tmp_path
):
    from cobench.search import index

    settings.COBENCH_SEARCH_BACKEND = "inprocess"
    settings.COBENCH_SEARCH_INDEX_DIR = str(tmp_path)
    monkeypatch.setattr(index, "SAVE_AT", 250)  # "large": this many new compounds
    index.forget_all()
    job = upload(api, world.partner_scientist, world.project, "s.smi", "\n".join(moses(300)))
    check_and_start(api, world.partner_scientist, job.json()["id"])
    run_import_task.call(job.json()["id"])
    assert prepare_grown_indexes.call() == [world.project.sponsor_id]
    assert len(list(tmp_path.glob("*.npz"))) == 1
    assert prepare_grown_indexes.call() == []  # written once: the file is the registry's now

    def never(smiles):
        raise AssertionError("the web process built the index")

    monkeypatch.setattr(index, "index_rows", never)
    r = api(world.partner_scientist).post(
        "/api/v1/search", {"mode": "substructure", "query": "c1ccccc1"}
    )
    assert r.status_code == 200 and r.json()["count"] > 100
    index.forget_all()
