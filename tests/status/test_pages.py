"""The status pages: reading, what changed, the editor and its conflicts, history, print."""

import pytest

from cobench.status import services
from cobench.status.models import MAX_SECTION, StatusDocument

from .conftest import days


def status_url(world, tail=""):
    return f"/projects/{world.project.id}/status/{tail}"


@pytest.fixture
def doc(world, charter):
    version = services.start_status(
        actor=world.partner_lead,
        project=world.project,
        sections={"progress": "Made **12** analogues.", "asks": "CDK1 counterscreen data"},
        now=days(0),
    )
    return version.document


def _save(world, doc, who=None, **sections):
    doc.refresh_from_db()
    return services.save_status(
        actor=who or world.partner_lead, document=doc, sections=sections, base_number=doc.version
    )


def doc_url(world, doc, tail=""):
    return status_url(world, f"{doc.id}/{tail}")


def test_the_status_tab_lists_each_partner_with_its_freshness(world, web, doc):
    r = web(world.sponsor_lead).get(status_url(world))
    assert r.status_code == 200
    page = r.content.decode()
    assert "Northbridge Chemistry" in page and "stale" in page  # written on 2 March, long ago
    assert "every <strong>14 days</strong>" in page


def test_the_project_page_shows_the_status_card_instead_of_the_placeholder(world, web, doc):
    page = web(world.sponsor_scientist).get(f"/projects/{world.project.id}/").content.decode()
    assert "The living status document: progress, next steps" not in page
    assert 'id="status"' in page and "Northbridge Chemistry" in page and "state-stale" in page


def test_the_project_list_shows_leads_their_stale_documents(world, web, doc):
    page = web(world.sponsor_lead).get("/").content.decode()
    assert "Stale status documents" in page and "Northbridge Chemistry" in page
    assert "Stale status documents" in web(world.partner_lead).get("/").content.decode()
    assert "Stale status documents" not in web(world.sponsor_scientist).get("/").content.decode()


def test_the_document_page_says_who_updated_it_when_and_in_their_time(world, web, doc):
    paula = world.partner_lead
    paula.first_name, paula.last_name, paula.time_zone = "Paula", "Partner", "America/Toronto"
    paula.save()
    _save(world, doc, progress="Made **12** analogues.", asks="More CDK1 data")
    page = web(world.sponsor_lead).get(doc_url(world, doc)).content.decode()
    assert "Updated\n      <strong>just now</strong> by <strong>Paula Partner</strong>" in page
    assert "Toronto time" in page and "your time" in page
    assert "<strong>12</strong> analogues" in page  # light Markdown
    assert "Fresh: the next update is due" in page and "Print / save as PDF" in page


def test_a_stale_document_says_so(world, web, doc):
    page = web(world.partner_lead).get(doc_url(world, doc)).content.decode()
    assert "Stale:</strong> the charter asks for an update every 14 days" in page


def test_markup_in_status_text_is_shown_as_text(world, web, doc):
    _save(world, doc, progress='<script>alert("x")</script> [click](javascript:alert(1))')
    page = web(world.sponsor_lead).get(doc_url(world, doc)).content.decode()
    assert '<script>alert("x")' not in page and "&lt;script&gt;" in page
    assert 'href="javascript:' not in page


def test_what_changed_since_the_readers_last_visit_is_marked(world, web, doc):
    alice = web(world.sponsor_lead)
    alice.get(doc_url(world, doc))  # alice reads v1
    _save(
        world,
        doc,
        progress="Made **12** analogues.",
        asks="CDK1 counterscreen data",
        risks="Route to CB-7 blocked",
    )
    _save(
        world,
        doc,
        progress="Made 14 analogues.",
        asks="CDK1 counterscreen data",
        risks="Route to CB-7 blocked",
    )
    page = alice.get(doc_url(world, doc)).content.decode()
    assert "2 sections changed since your last visit" in page
    assert "<del>**12**</del>" in page and "<ins>14</ins>" in page
    page = alice.get(doc_url(world, doc)).content.decode()  # seen now: the last version's change
    assert "1 section changed in this version" in page


def test_a_first_time_reader_sees_what_the_latest_version_changed(world, web, doc):
    _save(world, doc, progress="Made 14 analogues.", asks="CDK1 counterscreen data")
    page = web(world.executive).get(doc_url(world, doc)).content.decode()
    assert "1 section changed in this version" in page


def test_partner_writes_a_new_version_in_the_editor(world, web, doc):
    client = web(world.partner_scientist)
    r = client.get(status_url(world, "edit/"))
    assert r.status_code == 200 and "Made **12** analogues." in r.content.decode()
    r = client.post(
        status_url(world, "edit/"),
        {"base_number": 1, "progress": "Made 15.", "asks": "CDK1 counterscreen data"},
    )
    assert r.status_code == 302 and r["Location"] == doc_url(world, doc)
    doc.refresh_from_db()
    assert doc.version == 2 and doc.current.created_by == world.partner_scientist


def test_the_first_version_is_written_in_the_same_editor(world, web, charter):
    client = web(world.partner_lead)
    assert "first status" in client.get(status_url(world, "edit/")).content.decode()
    r = client.post(status_url(world, "edit/"), {"base_number": 0, "progress": "Kickoff done"})
    doc = StatusDocument.objects.get(project=world.project)
    assert r.status_code == 302 and doc.version == 1


def test_a_stale_save_keeps_the_input_and_shows_the_conflict(world, web, doc):
    _save(
        world,
        doc,
        who=world.partner_scientist,
        progress="Pete's news",
        asks="CDK1 counterscreen data",
    )
    r = web(world.partner_lead).post(
        status_url(world, "edit/"),
        {"base_number": 1, "progress": "Paula's news", "asks": "CDK1 counterscreen data"},
    )
    page = r.content.decode()
    assert r.status_code == 412
    assert "Someone else saved a new version" in page and "Paula&#x27;s news" in page
    assert "<ins>Pete" in page  # what they changed
    assert 'name="base_number" value="2"' in page  # saving again is on top of theirs
    doc.refresh_from_db()
    assert doc.version == 2


def test_an_overlong_section_is_refused_beside_that_section(world, web, doc):
    r = web(world.partner_lead).post(
        status_url(world, "edit/"), {"base_number": 1, "next_steps": "y" * (MAX_SECTION + 5)}
    )
    page = r.content.decode()
    assert r.status_code == 422
    assert "Next steps: At most 10,000 characters; this has 10,005." in page
    assert "y" * 100 in page  # the input is kept


@pytest.mark.parametrize("who", ["sponsor_lead", "sponsor_scientist", "auditor", "executive"])
def test_the_editor_is_forbidden_to_people_who_may_only_read(world, web, doc, who):
    client = web(getattr(world, who))
    assert client.get(status_url(world, "edit/")).status_code == 403
    r = client.post(status_url(world, "edit/"), {"base_number": 1, "progress": "hijack"})
    assert r.status_code == 403
    assert client.get(doc_url(world, doc)).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "other_member"])
def test_other_peoples_documents_are_404(world, web, doc, who):
    client = web(getattr(world, who))
    for tail in ("", "history/", "compare/", "print/", "v/1/"):
        assert client.get(doc_url(world, doc, tail)).status_code == 404


def test_history_compare_and_an_old_version(world, web, doc):
    _save(world, doc, progress="Made 14 analogues.", asks="CDK1 counterscreen data")
    client = web(world.sponsor_scientist)
    page = client.get(doc_url(world, doc, "history/")).content.decode()
    assert "v2" in page and "Progress" in page and "compare with v1" in page
    r = client.get(doc_url(world, doc, "compare/") + "?old=1&new=2")
    assert "<del>**12**</del>" in r.content.decode()
    r = client.get(doc_url(world, doc, "compare/") + "?old=0&new=2", headers={"HX-Request": "true"})
    assert r.status_code == 200 and b'id="comparison"' in r.content and b"<html" not in r.content
    assert client.get(doc_url(world, doc, "compare/") + "?old=9").status_code == 404
    page = client.get(doc_url(world, doc, "v/1/")).content.decode()
    assert "You are reading version 1" in page
    assert client.get(doc_url(world, doc, "v/7/")).status_code == 404


def test_the_print_view_is_a_clean_page_with_a_print_button(world, web, doc):
    page = web(world.executive).get(doc_url(world, doc, "print/")).content.decode()
    assert "status/print.css" in page and "Print / save as PDF" in page
    assert "site-header" not in page and "Asks of the sponsor" in page
