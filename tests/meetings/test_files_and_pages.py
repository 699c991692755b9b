"""Meeting pages through the browser's door: forms, files, my action items, the project card."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cobench.meetings import services
from cobench.meetings.models import ActionItem, Attendance, MeetingAttachment

from .objects import PDF


def _page(project, meeting):
    return f"/projects/{project.id}/meetings/{meeting.id}/"


def test_members_open_every_meetings_page(web, world, series, schedule):
    (meeting,) = schedule(1)
    p = world.project.id
    client = web(world.auditor)
    for path in (
        f"/projects/{p}/meetings/",
        f"/projects/{p}/meetings/series/{series.id}/",
        _page(world.project, meeting),
        f"/projects/{p}/meetings/engagement/",
        "/action-items/",
        "/calendar/",
        f"/projects/{p}/",
    ):
        assert client.get(path).status_code == 200, path
    ics = client.get(f"/projects/{p}/meetings/series/{series.id}/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar")


def test_a_lead_sets_up_a_series_on_the_meetings_tab(web, world):
    r = web(world.partner_lead).post(
        f"/projects/{world.project.id}/meetings/",
        {
            "name": "Route review",
            "cadence": "biweekly",
            "weekday": "2",
            "week_of_month": "1",
            "local_time": "09:30",
            "duration_minutes": "45",
            "time_zone": "America/Toronto",
            "attendees": ["paula", "pete"],
            "key_members": ["pete"],
        },
    )
    assert r.status_code == 302
    bad = web(world.partner_lead).post(
        f"/projects/{world.project.id}/meetings/",
        {
            "name": "Bad",
            "cadence": "weekly",
            "weekday": "2",
            "week_of_month": "1",
            "local_time": "09:30",
            "duration_minutes": "45",
            "time_zone": "Nowhere/Land",
        },
    )
    assert bad.status_code == 422 and "not a known time zone" in bad.content.decode()


def test_attendance_form_refuses_people_not_on_the_project(web, world, schedule):
    (meeting,) = schedule(1)
    page = _page(world.project, meeting)
    r = web(world.sponsor_scientist).post(
        page, {"form": "attendance", "att-pete": "present", "att-olga": "absent"}
    )
    assert r.status_code == 422 and "olga" in r.content.decode()
    assert not Attendance.objects.exists()
    r = web(world.sponsor_scientist).post(page, {"form": "attendance", "att-pete": "present"})
    assert r.status_code == 302 and Attendance.objects.get().status == "present"


def test_action_items_are_added_and_closed_from_the_pages(web, world, schedule):
    (meeting,) = schedule(1)
    page = _page(world.project, meeting)
    r = web(world.sponsor_lead).post(
        page,
        {"form": "item", "title": "Order boronic acid", "owner": "pete", "due_date": "2026-04-01"},
    )
    assert r.status_code == 302
    item = ActionItem.objects.get()
    r = web(world.partner_scientist).post(
        "/action-items/", {"item": item.id, "status": "done", "version": 1}
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == "done"


def test_a_file_is_stored_outside_the_web_root_and_served_only_to_members(
    web, world, schedule, settings
):
    (meeting,) = schedule(1)
    upload = SimpleUploadedFile("route.pdf", PDF, content_type="application/pdf")
    r = web(world.partner_scientist).post(
        _page(world.project, meeting), {"form": "file", "file": upload}
    )
    assert r.status_code == 302
    stored = MeetingAttachment.objects.get()
    path = Path(settings.MEDIA_ROOT) / stored.storage_name
    assert path.read_bytes() == PDF and "route" not in stored.storage_name
    url = f"/projects/{world.project.id}/meetings/files/{stored.id}/"
    got = web(world.executive).get(url)
    assert got.status_code == 200 and got.content == PDF
    assert got["Content-Disposition"].startswith("attachment")
    assert got["X-Content-Type-Options"] == "nosniff"
    assert web(world.outsider).get(url).status_code == 404
    assert web(world.other_member).get(url).status_code == 404


def test_a_file_whose_content_is_not_its_declared_type_is_refused(web, world, schedule):
    (meeting,) = schedule(1)
    page = _page(world.project, meeting)
    fake = SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    r = web(world.sponsor_lead).post(page, {"form": "file", "file": fake})
    assert r.status_code == 422 and "not application/pdf" in r.content.decode()
    html = SimpleUploadedFile("x.html", b"<html></html>", "text/html")
    r = web(world.sponsor_lead).post(page, {"form": "file", "file": html})
    assert r.status_code == 422 and "not accepted" in r.content.decode()
    assert not MeetingAttachment.objects.exists()


def test_a_file_over_the_size_limit_is_refused(web, world, schedule, settings):
    settings.COBENCH_MAX_ATTACHMENT_BYTES = 10
    (meeting,) = schedule(1)
    upload = SimpleUploadedFile("route.pdf", PDF, content_type="application/pdf")
    r = web(world.sponsor_lead).post(
        _page(world.project, meeting), {"form": "file", "file": upload}
    )
    assert r.status_code == 422 and "larger than the limit" in r.content.decode()
    assert not MeetingAttachment.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*")) or not any(
        p.is_file() for p in Path(settings.MEDIA_ROOT).rglob("*")
    )


def test_removing_a_file_needs_a_reason(web, world, schedule, settings):
    (meeting,) = schedule(1)
    upload = SimpleUploadedFile("notes.txt", b"plain notes\n", content_type="text/plain")
    web(world.sponsor_lead).post(_page(world.project, meeting), {"form": "file", "file": upload})
    stored = MeetingAttachment.objects.get()
    page = _page(world.project, meeting)
    r = web(world.sponsor_lead).post(page, {"form": "remove_file", "file_id": stored.id})
    assert r.status_code == 422 and MeetingAttachment.objects.exists()
    r = web(world.sponsor_lead).post(
        page, {"form": "remove_file", "file_id": stored.id, "reason": "Duplicate"}
    )
    assert r.status_code == 302 and not MeetingAttachment.objects.exists()


def test_a_file_whose_record_cannot_be_audited_leaves_nothing_on_disk(
    world, schedule, settings, monkeypatch
):
    (meeting,) = schedule(1)

    def trail_down(**kwargs):
        raise RuntimeError("the trail is down")

    monkeypatch.setattr(services.audit, "record", trail_down)
    upload = SimpleUploadedFile("route.pdf", PDF, content_type="application/pdf")
    with pytest.raises(RuntimeError):
        services.attach_file(actor=world.sponsor_lead, meeting=meeting, upload=upload)
    assert not any(p.is_file() for p in Path(settings.MEDIA_ROOT).rglob("*"))
