"""The history page of an object: every change, who made it, when and why."""


def test_history_of_an_unknown_kind_of_object_is_not_found(web, world):
    client = web(world.sponsor_lead)
    assert client.get(f"/history/nothing.here/{world.project.id}/").status_code == 404
    assert client.get(f"/history/tenancy.user/{world.sponsor_lead.id}/").status_code == 404
    assert client.get(f"/history/tenancy.project/{world.other_project.id}/").status_code == 404


def test_history_shows_who_changed_what_and_why(web, world, v1):
    page = web(world.auditor).get(f"/history/charters.charterversion/{v1.id}/").content.decode()
    assert "A new charter version was written" in page
    assert "Alice Tester" in page and "Kickoff" in page
    assert "Meeting cadence" in page and "weekly" in page
