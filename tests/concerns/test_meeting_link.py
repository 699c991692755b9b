"""A concern can name the meeting it is about; only a meeting of its own project."""

from datetime import datetime, time

from cobench.meetings import services as meetings

from .conftest import concern_body


def _meeting(world, project, lead):
    series = meetings.create_series(
        actor=lead,
        project=project,
        name="Weekly call",
        local_time=time(15, 0),
        time_zone="Europe/Berlin",
    )
    return meetings.schedule_meeting(actor=lead, series=series, starts_at=datetime(2026, 3, 3, 15))  # noqa: DTZ001  wall-clock time in the series' zone


def test_a_concern_links_a_meeting_of_its_project(world, api, web, charter):
    meeting = _meeting(world, world.project, world.sponsor_lead)
    r = api(world.partner_scientist).post(
        f"/api/v1/projects/{world.project.id}/concerns", concern_body(meeting_id=str(meeting.id))
    )
    assert r.status_code == 201 and r.json()["meeting_id"] == str(meeting.id)
    page = web(world.sponsor_lead).get(f"/projects/{world.project.id}/concerns/{r.json()['id']}/")
    assert f"/meetings/{meeting.id}/" in page.content.decode()


def test_another_projects_meeting_or_none_at_all_is_refused_alike(world, api, charter):
    kras = _meeting(world, world.other_project, world.other_lead)
    url = f"/api/v1/projects/{world.project.id}/concerns"
    theirs = api(world.partner_scientist).post(url, concern_body(meeting_id=str(kras.id)))
    nowhere = api(world.partner_scientist).post(
        url, concern_body(meeting_id="00000000-0000-4000-8000-000000000000")
    )
    assert theirs.status_code == nowhere.status_code == 422
    assert (
        theirs.json()["errors"]
        == nowhere.json()["errors"]
        == {"meeting_id": ["No such meeting in this project."]}
    )


def test_the_raise_form_offers_the_projects_meetings(world, web, charter):
    meeting = _meeting(world, world.project, world.sponsor_lead)
    pete = web(world.partner_scientist)
    form = pete.get(f"/projects/{world.project.id}/concerns/new/").content.decode()
    assert str(meeting.id) in form
    r = pete.post(
        f"/projects/{world.project.id}/concerns/new/",
        concern_body(meeting_id=str(meeting.id), addressed_to=str(world.sponsor.id)),
    )
    assert r.status_code == 302
    assert meeting.concerns.count() == 1
