"""The assay pages: list, define, record, flag, import — what a person sees and is refused."""

from django.core.files.uploadedfile import SimpleUploadedFile

from cobench.assays.models import Assay, Result

from ..compounds.objects import PDF, register
from .objects import new_assay, new_result


def test_sponsor_defines_an_assay_and_records_results_on_its_page(web, world):
    alice = web(world.sponsor_lead)
    page = alice.get(f"/projects/{world.project.id}/assays/")
    assert page.status_code == 200 and "New assay" in page.content.decode()
    r = alice.post(
        f"/projects/{world.project.id}/assays/new/",
        {
            "name": "CDK2 IC50",
            "kind": "biochemical",
            "endpoint": "IC50",
            "unit": "nM",
            "better": "lower",
            "owner": str(world.sponsor.id),
        },
    )
    assay = Assay.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/assays/{assay.id}/"
    rid = register(world).compound.registry_id
    sam = web(world.sponsor_scientist)
    for value, unit in (("0.01", "µM"), ("1", "µM")):
        r = sam.post(
            f"/assays/{assay.id}/results/", {"registry_id": rid, "value": value, "unit": unit}
        )
        assert r.status_code == 302
    detail = sam.get(f"/assays/{assay.id}/").content.decode()
    # sqrt(10 nM * 1000 nM) = 100 nM; pIC50 = 7.00
    assert "100 nM (n=2)" in detail and "7.00" in detail


def test_bad_result_is_shown_beside_its_field(web, world):
    assay = new_assay(world)
    rid = register(world).compound.registry_id
    r = web(world.sponsor_scientist).post(
        f"/assays/{assay.id}/results/", {"registry_id": rid, "value": "12", "unit": "kg"}
    )
    assert r.status_code == 422
    assert "cannot be converted" in r.content.decode()
    assert not Result.objects.exists()


def test_flag_form_keeps_the_result(web, world):
    result = new_result(world)
    sam = web(world.sponsor_scientist)
    assert sam.get(f"/results/{result.id}/flag/").status_code == 200
    r = sam.post(
        f"/results/{result.id}/flag/",
        {"flag": "invalid", "reason": "Wrong plate map", "version": result.version},
    )
    assert r.status_code == 302
    detail = sam.get(f"/assays/{result.assay_id}/").content.decode()
    assert "Wrong plate map" in detail and "Invalid" in detail
    assert Result.objects.get().flag == "invalid"


def test_protocol_upload_and_download(web, world):
    assay = new_assay(world)
    alice = web(world.sponsor_lead)
    upload = SimpleUploadedFile("protocol.pdf", PDF, content_type="application/pdf")
    r = alice.post(f"/assays/{assay.id}/files/", {"file": upload})
    assert r.status_code == 302
    file_id = assay.files.get().id
    download = alice.get(f"/assay-files/{file_id}/")
    assert download.status_code == 200 and download.content == PDF
    assert web(world.outsider).get(f"/assay-files/{file_id}/").status_code == 404


def test_import_pages_dry_run_then_import(web, world):
    assay = new_assay(world)
    rid = register(world).compound.registry_id
    sam = web(world.sponsor_scientist)
    content = f"registry_id,value,unit\n{rid},<3,nM\n{rid},5,nM\n".encode()
    r = sam.post(
        f"/projects/{world.project.id}/assays/imports/",
        {"file": SimpleUploadedFile("plate.csv", content), "assay": str(assay.id)},
    )
    assert r.status_code == 302
    page = sam.get(r["Location"]).content.decode()
    assert "2 good" in page and "Import 2 results" in page
    start = r["Location"] + "start/"
    assert sam.post(start).status_code == 302
    assert Result.objects.count() == 2


def test_partner_sees_no_define_or_record_forms(web, world):
    assay = new_assay(world)
    pete = web(world.partner_scientist)
    assert pete.get(f"/projects/{world.project.id}/assays/new/").status_code == 403
    page = pete.get(f"/assays/{assay.id}/")
    # hidden from partners unless shared (404), and never a record form
    assert page.status_code == 404 or "Record a result" not in page.content.decode()


def test_import_page_polls_its_progress_while_the_worker_checks(web, world, settings):
    from cobench.assays.tasks import check_result_import_task

    settings.COBENCH_IMPORT_INLINE_RECORDS = 0  # every file goes to the worker
    assay = new_assay(world)
    rid = register(world).compound.registry_id
    sam = web(world.sponsor_scientist)
    content = f"registry_id,value\n{rid},5\n".encode()
    r = sam.post(
        f"/projects/{world.project.id}/assays/imports/",
        {"file": SimpleUploadedFile("plate.csv", content), "assay": str(assay.id)},
    )
    url = r["Location"]
    fragment = sam.get(url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    assert "Dry run under way" in fragment.content.decode()
    check_result_import_task.call(url.rstrip("/").rsplit("/", 1)[-1])
    done = sam.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"  # checked: the whole page shows the report
    assert "1 good" in sam.get(url).content.decode()
