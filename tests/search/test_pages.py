"""The search page: a form, hit cards with pictures, the matched substructure highlighted."""

from urllib.parse import urlencode

from cobench.search import pictures
from cobench.search.queries import parse_query

from .objects import CDK2_SERIES


def _page(web, user, **params):
    return web(user).get("/search/?" + urlencode(params))


def test_the_nav_and_the_compounds_page_lead_to_search(web, world, compounds):
    listing = web(world.sponsor_lead).get(f"/projects/{world.project.id}/compounds/")
    assert f"/search/?project={world.project.id}" in listing.content.decode()
    empty = web(world.sponsor_lead).get(f"/search/?project={world.project.id}")
    assert empty.status_code == 200
    html = empty.content.decode()
    assert 'name="query"' in html and 'href="/search/"' in html


def test_substructure_hits_show_cards_with_the_match_highlighted(web, world, compounds):
    r = _page(web, world.partner_scientist, mode="substructure", query="NCc1ccccc1")
    html = r.content.decode()
    assert r.status_code == 200
    assert 'name="top" value="50"' in html  # the options not given show their defaults
    roscovitine = compounds["roscovitine"]
    assert roscovitine.registry_id in html and compounds["aspirin"].registry_id not in html
    assert f"/projects/{world.project.id}/compounds/{roscovitine.id}/" in html
    # RDKit draws highlighted bonds and atoms in its highlight colour
    assert "<svg" in html and "#FF7F7F" in html.upper()
    query = parse_query("NCc1ccccc1")
    from django.core.cache import cache

    assert "#FF7F7F" in cache.get(pictures.cache_key(roscovitine.id, query)).upper()


def test_similarity_cards_show_the_score(web, world, compounds):
    r = _page(web, world.sponsor_lead, mode="similarity", query=CDK2_SERIES["caffeine"], top=1)
    html = r.content.decode()
    assert compounds["caffeine"].registry_id in html and "Tanimoto 1.000" in html


def test_a_bad_query_is_shown_beside_the_form(web, world, compounds):
    r = _page(web, world.sponsor_lead, mode="substructure", query="C1CC(")
    assert r.status_code == 422
    assert "not a valid SMILES or SMARTS" in r.content.decode()


def test_the_page_never_shows_another_projects_compound(web, world, compounds):
    r = _page(web, world.sponsor_lead, mode="substructure", query="*")
    assert compounds["kras"].registry_id not in r.content.decode()
    r = _page(
        web, world.sponsor_lead, mode="substructure", query="*", project=world.other_project.id
    )
    assert r.status_code == 422 and compounds["kras"].registry_id not in r.content.decode()
