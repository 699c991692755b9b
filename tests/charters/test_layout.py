"""The charter's pages show what `CharterContent` declares: every field, its label and its help."""

from html import escape

from pydantic import BaseModel

from cobench.charters.content import SECTIONS, CharterContent


def _title(model: type[BaseModel], name: str) -> str:
    return escape(model.model_fields[name].title or "")


def test_every_field_of_the_charter_has_a_place_in_one_section():
    placed = [name for names in SECTIONS.values() for name in names]
    assert sorted(placed) == sorted(CharterContent.model_fields)


def test_every_field_of_the_charter_declares_its_label():
    assert [n for n, f in CharterContent.model_fields.items() if not f.title] == []


def test_the_edit_form_has_every_field_with_its_declared_label_and_help(web, world, v1):
    page = web(world.sponsor_lead).get(f"/projects/{world.project.id}/charter/edit/")
    html = page.content.decode()
    for name, info in CharterContent.model_fields.items():
        assert _title(CharterContent, name) in html, name
        if info.description:
            assert escape(info.description) in html, name
    assert 'name="team-0-role"' in html and 'name="escalation_ladder-0-response_hours.low"' in html
    assert '<textarea name="methods"' in html and 'name="fte_budget"' in html


def test_each_row_shows_the_columns_its_item_declares(web, world, v1):
    html = web(world.partner_lead).get(f"/projects/{world.project.id}/charter/").content.decode()
    for label in ["Who is reached", "Facility", "Decision point", "Low (h)", "Critical (h)"]:
        assert f"<th>{label}</th>" in html, label
    assert "R&amp;D lab" in html and "Partner lead" in html  # choices by their names
