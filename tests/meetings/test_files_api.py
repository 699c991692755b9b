"""Meeting files through the API: upload, list, download and remove, under the same checks."""

from django.core.files.uploadedfile import SimpleUploadedFile

from cobench.meetings.models import MeetingAttachment

from .objects import PDF


def _upload(api, user, meeting, data=PDF, content_type="application/pdf"):
    client = api(user)
    return client.client.post(
        f"/api/v1/meetings/{meeting.id}/files",
        {"file": SimpleUploadedFile("route.pdf", data, content_type=content_type)},
        headers=client.headers,
    )


def test_upload_list_download_and_remove(api, world, schedule):
    (meeting,) = schedule(1)
    r = _upload(api, world.partner_scientist, meeting)
    assert r.status_code == 201 and r.json()["name"] == "route.pdf" and r.json()["size"] == len(PDF)
    file_id = r.json()["id"]
    listed = api(world.executive).get(f"/api/v1/meetings/{meeting.id}/files").json()
    assert [f["id"] for f in listed] == [file_id]
    got = api(world.executive).get(f"/api/v1/meeting-files/{file_id}")
    assert got.status_code == 200 and got.content == PDF
    assert got["Content-Disposition"].startswith("attachment")
    assert api(world.sponsor_lead).delete(f"/api/v1/meeting-files/{file_id}").status_code == 422
    r = api(world.sponsor_lead).delete(f"/api/v1/meeting-files/{file_id}?reason=Wrong+file")
    assert r.status_code == 204 and not MeetingAttachment.objects.exists()


def test_bad_files_are_refused_and_nothing_is_kept(api, world, schedule, settings):
    (meeting,) = schedule(1)
    r = _upload(api, world.sponsor_lead, meeting, data=b"<html><script>")
    assert r.status_code == 422 and r["Content-Type"] == "application/problem+json"
    settings.COBENCH_MAX_ATTACHMENT_BYTES = 10
    assert _upload(api, world.sponsor_lead, meeting).status_code == 422
    assert not MeetingAttachment.objects.exists()


def test_someone_elses_files_are_404(api, world, schedule):
    (meeting,) = schedule(1)
    file_id = _upload(api, world.sponsor_lead, meeting).json()["id"]
    for intruder in (world.outsider, world.other_member):
        assert api(intruder).get(f"/api/v1/meeting-files/{file_id}").status_code == 404
        assert _upload(api, intruder, meeting).status_code == 404
    assert api(world.auditor).get(f"/api/v1/meeting-files/{file_id}").status_code == 200
    assert _upload(api, world.auditor, meeting).status_code == 403
