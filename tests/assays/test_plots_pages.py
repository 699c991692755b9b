"""The series and SAR plot pages, through the browser-like client."""

import pytest

from cobench.assays.models import Series

from ..compounds.objects import register
from .series_objects import PURINE, new_series

ISATIN = "O=C1Nc2ccccc2C1=O"


def test_a_partner_scientist_defines_a_series_on_its_page(web, world):
    roscovitine = register(world).compound
    page = web(world.partner_scientist)
    url = f"/projects/{world.project.id}/series/"
    assert "Define a series" in page.get(url).content.decode()
    r = page.post(url, {"name": "Purines", "core": PURINE, "description": ""})
    assert r.status_code == 302
    detail = page.get(r["Location"]).content.decode()
    assert f'id="member-{roscovitine.registry_id}"' in detail and "matches the core" in detail


def test_a_bad_core_is_explained_beside_the_field(web, world):
    r = web(world.sponsor_scientist).post(
        f"/projects/{world.project.id}/series/", {"name": "Bad", "core": "c1ccc("}
    )
    assert r.status_code == 422
    assert "not a valid SMILES or SMARTS" in r.content.decode()
    assert not Series.objects.exists()


def test_tagging_and_untagging_on_the_series_page(web, world):
    isatin = register(world, ISATIN).compound
    found = new_series(world, name="Hand-picked", core="")
    page = web(world.sponsor_lead)
    url = f"/projects/{world.project.id}/series/{found.id}/"
    r = page.post(url, {"action": "tag", "registry_id": "CB-424242"})
    assert r.status_code == 422 and "No compound CB-424242" in r.content.decode()
    assert page.post(url, {"action": "tag", "registry_id": isatin.registry_id}).status_code == 302
    assert f'id="member-{isatin.registry_id}"' in page.get(url).content.decode()
    r = page.post(url, {"action": "untag", "registry_id": isatin.registry_id})
    assert r.status_code == 302
    assert f'id="member-{isatin.registry_id}"' not in page.get(url).content.decode()


def test_readers_see_series_without_the_forms(web, world):
    found = new_series(world)
    page = web(world.auditor)
    assert (
        "Define a series" not in page.get(f"/projects/{world.project.id}/series/").content.decode()
    )
    url = f"/projects/{world.project.id}/series/{found.id}/"
    assert "Tag a compound" not in page.get(url).content.decode()
    assert page.post(url, {"action": "tag", "registry_id": "CB-000001"}).status_code == 403


def test_the_plots_page_loads_chartjs_from_the_site(web, world):
    body = web(world.partner_scientist).get(f"/projects/{world.project.id}/sar/plots/").content
    body = body.decode()
    assert "/static/vendor/chartjs/chart.umd.min.js" in body and "assays/plots.js" in body
    assert f"/api/v1/projects/{world.project.id}/sar/plot" in body


def test_a_compound_picture_is_an_svg_that_runs_nothing(web, world):
    compound = register(world).compound
    r = web(world.partner_scientist).get(
        f"/projects/{world.project.id}/sar/pictures/{compound.id}.svg"
    )
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in r["Content-Security-Policy"]


@pytest.mark.parametrize("who", ["other_member", "outsider"])
def test_outsiders_get_404_on_every_series_and_plot_page(web, world, who):
    found = new_series(world)
    compound = register(world).compound
    page = web(getattr(world, who))
    base = f"/projects/{world.project.id}"
    for url in (
        f"{base}/series/",
        f"{base}/series/{found.id}/",
        f"{base}/sar/plots/",
        f"{base}/sar/pictures/{compound.id}.svg",
    ):
        assert page.get(url).status_code == 404, url
