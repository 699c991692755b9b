"""Points selected on the SAR plots select rows of the SAR table: the `compounds` filter
(registry ids) through the API, the page, the exports and `cobench sar export`."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cobench.compounds import services as compounds

from .sharing_objects import cdk2_biology, share

ISATIN = "O=C1Nc2ccccc2C1=O"


@pytest.fixture
def bio(world):
    return cdk2_biology(world)


@pytest.fixture
def kras_compound(world):
    """A compound of the sponsor's other project (same registry, another project)."""
    return compounds.register_structure(
        actor=world.other_lead, project=world.other_project, structure=ISATIN
    ).compound


def _text(page):
    """What a reader of `page` sees: its text without the tags, spaces folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())


def _ids(data):
    return [row["registry_id"] for row in data["rows"]]


def _api_table(api, user, world, query):
    return api(user).get(f"/api/v1/projects/{world.project.id}/sar?{query}")


# The API ------------------------------------------------------------------------------------


def test_the_api_shows_exactly_the_selected_rows(world, bio, api):
    rosco, purva = (c.registry_id for c in bio.compounds)
    r = _api_table(api, world.sponsor_lead, world, f"compounds={purva}")
    assert r.status_code == 200, r.content
    assert _ids(r.json()) == [purva] and r.json()["count"] == 1
    both = _api_table(api, world.sponsor_lead, world, f"compounds={purva},{rosco}").json()
    assert _ids(both) == [rosco, purva]
    repeated = _api_table(api, world.sponsor_lead, world, f"compounds={rosco}&compounds={purva}")
    assert _ids(repeated.json()) == [rosco, purva]


def test_the_selection_keeps_sort_and_columns(world, bio, api):
    rosco, purva = (c.registry_id for c in bio.compounds)
    query = f"compounds={rosco},{purva}&sort=-{bio.potency.pk}&columns=mw,{bio.potency.pk}"
    data = _api_table(api, world.sponsor_lead, world, query).json()
    assert _ids(data) == [purva, rosco]
    assert data["properties"] == ["mw"] and [c["name"] for c in data["columns"]] == ["CDK2 IC50"]


def test_unknown_ids_and_another_projects_compounds_match_nothing(world, bio, api, kras_compound):
    rosco = bio.compounds[0].registry_id
    query = f"compounds={rosco},CB-999999,{kras_compound.registry_id}"
    for who in (world.sponsor_lead, world.partner_scientist):
        data = _api_table(api, who, world, query).json()
        assert _ids(data) == [rosco] and data["count"] == 1
        assert kras_compound.registry_id not in str(data)
    alone = _api_table(api, world.sponsor_lead, world, f"compounds={kras_compound.registry_id}")
    assert alone.status_code == 200 and alone.json()["count"] == 0


def test_an_outsider_cannot_use_the_filter_on_the_project(world, bio, api):
    query = f"compounds={bio.compounds[0].registry_id}"
    assert _api_table(api, world.outsider, world, query).status_code == 404
    assert _api_table(api, world.other_member, world, query).status_code == 404


@pytest.mark.parametrize(
    "selection", ["CB-000001;DROP TABLE", "<script>", "CB-000001,,%2F..%2Fetc", "x" * 41]
)
def test_a_malformed_selection_is_refused_with_its_reason(world, bio, api, selection):
    r = _api_table(api, world.sponsor_lead, world, f"compounds={selection}")
    assert r.status_code == 422
    assert "not a registry id" in r.json()["errors"]["compounds"][0]


def test_a_huge_selection_is_refused(world, bio, api):
    many = ",".join(f"CB-{n:06d}" for n in range(1, 302))
    r = _api_table(api, world.sponsor_lead, world, f"compounds={many}")
    assert r.status_code == 422
    assert "At most 300 compounds" in r.json()["errors"]["compounds"][0]
    most = ",".join(f"CB-{n:06d}" for n in range(1, 301))
    assert len(f"GET /api/v1/projects/{world.project.id}/sar?compounds={most}") < 4000
    data = _api_table(api, world.sponsor_lead, world, f"compounds={most}").json()
    assert data["count"] == 2
    twice = _api_table(api, world.sponsor_lead, world, f"compounds={most}&compounds={most}")
    assert twice.json()["count"] == 2


def test_a_binned_partner_sees_only_the_labels_of_the_selection(world, bio, api):
    share(world, bio.potency, "binned")
    purva = bio.compounds[1].registry_id
    r = _api_table(api, world.partner_scientist, world, f"compounds={purva}")
    assert r.status_code == 200
    cell = r.json()["rows"][0]["cells"][str(bio.potency.pk)]
    assert (cell["text"], cell["value"]) == ("> 1 µM", None)
    body = r.content.decode()
    assert "10000" not in body and "Kinetic solubility" not in body
    preview = f"compounds={purva}&as_partner={world.partner.id}"
    assert _api_table(api, world.sponsor_lead, world, preview).json()["rows"] == r.json()["rows"]


def test_the_export_of_a_selection_exports_only_it(world, bio, api):
    share(world, bio.potency, "binned")
    rosco, purva = (c.registry_id for c in bio.compounds)
    path = f"/api/v1/projects/{world.project.id}/sar/export?format=csv&compounds={rosco}"
    mine = api(world.sponsor_lead).get(path).content.decode()
    assert rosco in mine and purva not in mine and "136" in mine
    theirs = api(world.partner_lead).get(path).content.decode()
    assert rosco in theirs and purva not in theirs
    assert "100 nM – 1 µM" in theirs and "136" not in theirs


# The page -----------------------------------------------------------------------------------


def test_the_page_shows_the_selection_as_a_filter_that_clears(world, bio, web):
    rosco, purva = (c.registry_id for c in bio.compounds)
    path = f"/projects/{world.project.id}/sar/?compounds={purva},CB-999999&col=mw&sort=-mw"
    page = web(world.sponsor_scientist).get(path)
    body = page.content.decode()
    assert page.status_code == 200
    assert f'data-registry-id="{purva}" class="selected"' in body
    assert f'data-registry-id="{rosco}"' not in body
    assert "2 compounds selected on the plot (1 not in this table)" in _text(page)
    assert "Clear the selection" in body and "?col=mw&amp;sort=-mw" in body
    # the filter form keeps the selection when the columns change
    assert f'name="compounds" value="{purva},CB-999999"' in body
    # and the plots page opens with it, in the table's view
    assert f"/sar/plots/?sort=-mw&amp;col=mw&amp;compounds={purva},CB-999999" in body
    cleared = web(world.sponsor_scientist).get(f"/projects/{world.project.id}/sar/?col=mw")
    assert rosco in cleared.content.decode() and "selected on the plot" not in (
        cleared.content.decode()
    )


def test_the_pages_export_of_a_selection_is_the_selection(world, bio, web):
    rosco, purva = (c.registry_id for c in bio.compounds)
    path = f"/projects/{world.project.id}/sar/?compounds={purva}&format=csv"
    export = web(world.sponsor_lead).get(path).content.decode()
    assert purva in export and rosco not in export


def test_the_page_says_what_is_wrong_with_a_selection(world, bio, web):
    base = f"/projects/{world.project.id}/sar/"
    page = web(world.sponsor_lead).get(f"{base}?compounds=<b>bad</b>")
    assert page.status_code == 422
    body = page.content.decode()
    assert 'role="alert"' in body and "is not a registry id" in body and "<b>bad" not in body
    many = ",".join(f"CB-{n:06d}" for n in range(1, 302))
    page = web(world.sponsor_lead).get(f"{base}?compounds={many}")
    assert page.status_code == 422 and "At most 300 compounds" in page.content.decode()


def test_a_binned_partner_sees_bins_only_on_the_selected_rows(world, bio, web, kras_compound):
    share(world, bio.potency, "binned")
    rosco = bio.compounds[0].registry_id
    path = f"/projects/{world.project.id}/sar/?compounds={rosco},{kras_compound.registry_id}"
    page = web(world.partner_scientist).get(path)
    body = page.content.decode()
    assert "100 nM – 1 µM" in body and "136 nM" not in body and "123.46" not in body
    assert f'data-registry-id="{kras_compound.registry_id}"' not in body
    assert "(1 not in this table)" in _text(page)


def test_the_plots_page_links_back_to_the_table_it_came_from(world, bio, web):
    path = f"/projects/{world.project.id}/sar/plots/?sort=-mw&col=mw&compounds=CB-000001&page=3"
    body = web(world.sponsor_lead).get(path).content.decode()
    assert "Show selected in the SAR table" in body
    assert 'data-table-query="sort=-mw&amp;col=mw"' in body
    assert f'href="/projects/{world.project.id}/sar/?sort=-mw&amp;col=mw"' in body


def test_the_plots_preview_of_a_partner_is_the_sponsors_only(world, bio, web, api):
    share(world, bio.potency, "binned")
    path = f"/projects/{world.project.id}/sar/plots/?as_partner={world.partner.id}"
    body = web(world.sponsor_lead).get(path).content.decode()
    assert "as Northbridge Chemistry sees it" in body
    assert f'data-as-partner="{world.partner.id}"' in body
    assert web(world.partner_lead).get(path).status_code == 403
    plot = f"/api/v1/projects/{world.project.id}/sar/plot?as_partner={world.partner.id}"
    data = api(world.sponsor_lead).get(plot).json()
    assert [a["mode"] for a in data["assays"]] == ["binned"]
    assert all(p["y"] is None for p in data["points"])
    assert api(world.partner_lead).get(plot).status_code == 403


# The command line ---------------------------------------------------------------------------


def _export(*args):
    out = StringIO()
    call_command("sar", "export", "--project=PRJ-CDK2", *args, stdout=out)
    return out.getvalue()


def test_the_command_exports_a_selection(world, bio, kras_compound):
    share(world, bio.potency, "binned")
    rosco, purva = (c.registry_id for c in bio.compounds)
    mine = _export("--as=alice", f"--compounds={purva}")
    assert purva in mine and rosco not in mine
    theirs = _export("--as=pete", f"--compounds={rosco}", f"--compounds={kras_compound}")
    assert rosco in theirs and purva not in theirs and str(kras_compound) not in theirs
    assert "100 nM – 1 µM" in theirs and "136" not in theirs


def test_the_command_refuses_a_malformed_selection(world, bio):
    with pytest.raises(CommandError, match="not a registry id"):
        _export("--as=alice", "--compounds=CB-1;rm")
