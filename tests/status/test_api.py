"""Status documents through the API: write, read, save on top, compare, and who may."""

from datetime import date

import pytest

from cobench.audit.models import AuditEvent
from cobench.core.permissions import Role
from cobench.notifications.models import Notification
from cobench.status.models import MAX_SECTION, StatusDocument
from cobench.tenancy import services as tenancy
from tests.factories import UserFactory


def docs_url(world):
    return f"/api/v1/projects/{world.project.id}/status-documents"


@pytest.fixture
def doc(world, api):
    r = api(world.partner_lead).post(
        docs_url(world),
        {
            "progress": "Made **12** analogues.",
            "next_steps": "Scale up CB-7",
            "risks": "",
            "asks": "",
        },
    )
    assert r.status_code == 201, r.content
    return r.json()


def save(client, doc_id, base=None, headers=None, **sections):
    body = {"progress": "", "next_steps": "", "risks": "", "asks": "", **sections}
    if base is not None:
        body["base_version"] = base
    return client.post(f"/api/v1/status-documents/{doc_id}/versions", body, headers=headers)


def test_partner_lead_writes_the_first_version_of_their_document(world, doc):
    assert doc["organization"]["name"] == "Northbridge Chemistry"
    assert doc["version"] == 1 and doc["updated_by"] == world.partner_lead.display_name
    assert doc["current"]["sections"]["progress"] == "Made **12** analogues."
    assert doc["current"]["changed"] == ["progress", "next_steps"]
    assert doc["freshness"]["state"] == "no cadence"  # no charter yet: never stale
    event = AuditEvent.objects.get(event="status.created")
    assert event.target_id == doc["id"] and event.changes["version"] == [None, 1]


def test_everyone_on_the_project_reads_it_with_an_etag(world, api, doc):
    for who in ("sponsor_lead", "sponsor_scientist", "executive", "auditor", "partner_scientist"):
        r = api(getattr(world, who)).get(f"/api/v1/status-documents/{doc['id']}")
        assert r.status_code == 200, who
        assert r["ETag"] == '"1"'


def test_the_list_has_one_entry_per_partner(world, api, doc):
    r = api(world.sponsor_scientist).get(docs_url(world))
    assert r.status_code == 200
    assert [(d["organization"]["name"], d["version"]) for d in r.json()] == [
        ("Northbridge Chemistry", 1)
    ]


def test_a_partner_without_a_document_is_listed_as_not_written(world, api):
    r = api(world.sponsor_lead).get(docs_url(world))
    assert r.json()[0]["id"] is None and r.json()[0]["freshness"]["state"] == "not written"


def test_a_second_start_is_a_conflict(world, api, doc):
    r = api(world.partner_scientist).post(docs_url(world), {"progress": "again"})
    assert r.status_code == 409


def test_a_save_on_the_current_version_makes_the_next_and_notifies_the_sponsor_side(
    world, api, doc
):
    r = save(
        api(world.partner_scientist),
        doc["id"],
        base=1,
        progress="Made 14 analogues.",
        next_steps="Scale up CB-7",
    )
    assert r.status_code == 201, r.content
    assert r["ETag"] == '"2"' and r.json()["current"]["changed"] == ["progress"]
    told = set(
        Notification.objects.filter(kind="status_updated").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"alice", "sam", "erin"} <= told  # the sponsor's people
    assert not told & {"paula", "pete", "quinn"}  # not the writers, not the auditor
    event = AuditEvent.objects.get(event="status.updated")
    assert event.changes == {
        "version": [1, 2],
        "progress": ["Made **12** analogues.", "Made 14 analogues."],
    }


def test_if_match_works_like_base_version(world, api, doc):
    r = save(api(world.partner_lead), doc["id"], headers={"If-Match": '"1"'}, progress="v2")
    assert r.status_code == 201


def test_a_save_based_on_a_stale_version_is_refused_with_412(world, api, doc):
    assert save(api(world.partner_lead), doc["id"], base=1, progress="mine").status_code == 201
    r = save(api(world.partner_scientist), doc["id"], base=1, progress="theirs")
    assert r.status_code == 412
    assert StatusDocument.objects.get(pk=doc["id"]).version == 2


def test_a_save_without_a_version_is_428(world, api, doc):
    assert save(api(world.partner_lead), doc["id"], progress="x").status_code == 428


def test_saving_the_same_text_again_is_refused(world, api, doc):
    r = save(
        api(world.partner_lead),
        doc["id"],
        base=1,
        progress="Made **12** analogues.",
        next_steps="Scale up CB-7",
    )
    assert r.status_code == 422 and "Nothing changed" in r.json()["detail"]


def test_an_empty_document_is_refused(world, api):
    r = api(world.partner_lead).post(docs_url(world), {"progress": "  \n "})
    assert r.status_code == 422 and "progress" in r.json()["errors"]


def test_an_overlong_section_is_refused_with_a_message_for_that_section(world, api, doc):
    r = save(api(world.partner_lead), doc["id"], base=1, risks="x" * (MAX_SECTION + 1))
    assert r.status_code == 422
    assert list(r.json()["errors"]) == ["risks"]
    assert StatusDocument.objects.get(pk=doc["id"]).version == 1


@pytest.mark.parametrize("bad", [{"progress": 12}, {"progress": ["a"]}, {"asks": "a\x00b"}])
def test_wrong_types_and_nul_characters_are_refused_per_field(world, api, doc, bad):
    r = save(api(world.partner_lead), doc["id"], base=1, **bad)
    assert r.status_code == 422
    assert set(r.json()["errors"]) == set(bad)


@pytest.mark.parametrize("who", ["sponsor_lead", "sponsor_scientist", "executive", "auditor"])
def test_people_outside_the_partner_may_read_but_not_write_it(world, api, doc, who):
    r = save(api(getattr(world, who)), doc["id"], base=1, progress="overwritten")
    assert r.status_code == 403
    assert api(getattr(world, who)).post(docs_url(world), {"progress": "x"}).status_code == 403
    assert StatusDocument.objects.get(pk=doc["id"]).version == 1


def test_another_partners_person_neither_sees_nor_writes_this_partners_document(world, api, doc):
    tenancy.add_partner(
        actor=world.sponsor_lead,
        project=world.project,
        organization=world.other_partner,
        start_date=date(2026, 2, 1),
    )
    kala = UserFactory(username="kala", organization=world.other_partner)
    tenancy.add_member(
        actor=world.sponsor_lead, project=world.project, username="kala", role=Role.PARTNER_LEAD
    )
    assert save(api(kala), doc["id"], base=1, progress="mine now").status_code == 404
    assert api(kala).get(f"/api/v1/status-documents/{doc['id']}").status_code == 404
    r = api(kala).post(docs_url(world), {"progress": "Kestrel's own"})
    assert r.status_code == 201 and r.json()["organization"]["name"] == "Kestrel Labs"


@pytest.mark.parametrize("who", ["outsider", "other_member"])
def test_someone_elses_document_is_404_on_every_route(world, api, doc, who):
    client = api(getattr(world, who))
    for path in ("", "/versions", "/versions/1", "/compare"):
        assert client.get(f"/api/v1/status-documents/{doc['id']}{path}").status_code == 404
    assert save(client, doc["id"], base=1, progress="x").status_code == 404
    assert client.get(docs_url(world)).status_code == 404


def test_versions_list_get_and_compare(world, api, doc):
    lead = api(world.partner_lead)
    save(lead, doc["id"], base=1, progress="Made 14 analogues.", next_steps="Scale up CB-7")
    save(lead, doc["id"], base=2, progress="Made 14 analogues.", asks="CDK1 data please")
    reader = api(world.sponsor_lead)
    r = reader.get(f"/api/v1/status-documents/{doc['id']}/versions")
    assert [(v["number"], v["changed"]) for v in r.json()["items"]] == [
        (3, ["next_steps", "asks"]),
        (2, ["progress"]),
        (1, ["progress", "next_steps"]),
    ]
    r = reader.get(f"/api/v1/status-documents/{doc['id']}/versions/2")
    assert r.json()["sections"]["progress"] == "Made 14 analogues."
    assert reader.get(f"/api/v1/status-documents/{doc['id']}/versions/9").status_code == 404
    r = reader.get(f"/api/v1/status-documents/{doc['id']}/compare?old=1&new=3")
    sections = {s["section"]: s for s in r.json()["sections"]}
    assert [s for s, v in sections.items() if v["changed"]] == ["progress", "next_steps", "asks"]
    assert {"op": "insert", "text": "14"} in sections["progress"]["pieces"]
    assert {"op": "delete", "text": "**12**"} in sections["progress"]["pieces"]
    r = reader.get(f"/api/v1/status-documents/{doc['id']}/compare")  # default: previous → current
    assert (r.json()["old"], r.json()["new"]) == (2, 3)
    r = reader.get(f"/api/v1/status-documents/{doc['id']}/compare?old=7")
    assert r.status_code == 422 and "old" in r.json()["errors"]


def test_the_status_cadence_comes_from_the_signed_charter(world, api, charter, doc):
    r = api(world.sponsor_lead).get(f"/api/v1/status-documents/{doc['id']}")
    assert r.json()["freshness"]["cadence_days"] == 14
    assert r.json()["freshness"]["state"] == "fresh"
