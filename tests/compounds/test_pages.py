"""The compound pages: the list with pictures, the register form, a compound, a lot's custody."""

from django.core.files.uploadedfile import SimpleUploadedFile

from cobench.compounds.models import Compound, Lot, Shipment

from .objects import PDF, ROSCOVITINE, register


def test_the_compounds_tab_lists_pictures_and_registry_ids(web, world):
    register(world)
    page = web(world.auditor).get(f"/projects/{world.project.id}/compounds/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "CB-000001" in html and "<svg" in html and "C19H26N6O" in html
    assert "Register a compound" not in html  # auditors read only
    assert "Export SDF" in html


def test_registering_on_the_web_finds_the_salts_parent(web, world):
    client = web(world.partner_scientist)
    url = f"/projects/{world.project.id}/compounds/register/"
    assert client.get(url).status_code == 200
    first = client.post(url, {"structure": ROSCOVITINE, "amount_unit": "mg", "purity": "99"})
    assert first.status_code == 302
    again = client.post(url, {"structure": f"{ROSCOVITINE}.Cl", "amount_unit": "g"}, follow=True)
    html = again.content.decode()
    assert "registered before" in html and "CB-000001-002" in html
    assert Compound.objects.count() == 1 and Lot.objects.count() == 2


def test_an_unreadable_structure_shows_rdkits_message_on_the_form(web, world):
    url = f"/projects/{world.project.id}/compounds/register/"
    page = web(world.partner_scientist).post(url, {"structure": "c1cccc1", "amount_unit": "mg"})
    assert page.status_code == 422
    assert "kekulize" in page.content.decode().lower()
    assert Compound.objects.count() == 0


def test_auditors_get_no_register_form(web, world):
    url = f"/projects/{world.project.id}/compounds/register/"
    assert web(world.auditor).get(url).status_code == 403


def test_the_compound_page_shows_properties_warnings_and_lots(web, world):
    registration = register(world, appearance="Off-white solid")
    url = f"/projects/{world.project.id}/compounds/{registration.compound.id}/"
    html = web(world.sponsor_lead).get(url).content.decode()
    assert "C19H26N6O" in html and "Off-white solid" in html and "CB-000001-001" in html
    assert "Pipeline warnings" in html
    assert web(world.other_member).get(url).status_code == 404


def test_the_lot_page_attaches_files_ships_and_receives(web, world):
    lot = register(world).lot
    partner, sponsor = web(world.partner_lead), web(world.sponsor_lead)
    page = f"/lots/{lot.id}/"
    upload = SimpleUploadedFile("lcms.pdf", PDF, content_type="application/pdf")
    r = partner.post(f"/lots/{lot.id}/files/", {"kind": "lcms", "file": upload})
    assert r.status_code == 302
    assert "lcms.pdf" in partner.get(page).content.decode()
    r = partner.post(
        f"/lots/{lot.id}/ship/",
        {"to_org": str(world.sponsor.id), "carrier": "World Courier", "tracking_number": "WC-1"},
    )
    assert r.status_code == 302
    shipment = Shipment.objects.get()
    html = sponsor.get(page).content.decode()
    assert "in transit" in html and "Record its arrival" in html
    r = sponsor.post(f"/shipments/{shipment.id}/receive/", {"condition": "good"})
    assert r.status_code == 302
    html = sponsor.get(page).content.decode()
    assert "Received" in html and "Send it on" in html
    download = sponsor.get(f"/lot-files/{lot.files.get().id}/")
    assert download.status_code == 200 and download.content == PDF


def test_a_ship_form_with_a_bad_carrier_stays_on_the_lot_page(web, world):
    lot = register(world).lot
    r = web(world.partner_lead).post(
        f"/lots/{lot.id}/ship/", {"to_org": str(world.sponsor.id), "carrier": " "}
    )
    assert r.status_code == 422


def test_the_registry_section_renders_for_the_project_home(world):
    from django.template import Context, Template

    register(world)
    html = Template("{% load compound_tags %}{% registry_section project %}").render(
        Context(
            {
                "project": world.project,
                "can": {"register_compound": True},
                "viewer": world.partner_scientist,
            }
        )
    )
    assert "1</strong> compound" in html and "CB-000001" in html and "<svg" in html


def test_the_project_home_card_shows_registered_compounds(web, world):
    register(world)
    html = web(world.partner_scientist).get(f"/projects/{world.project.id}/").content.decode()
    assert 'id="registry-summary"' in html and "CB-000001" in html


def test_a_compound_and_its_lot_show_their_history_to_members_only(web, world):
    registration = register(world)
    compound, lot = registration.compound, registration.lot
    page = web(world.sponsor_scientist).get(
        f"/projects/{world.project.id}/compounds/{compound.id}/"
    )
    history = f"/history/compounds.compound/{compound.id}/"
    assert history in page.content.decode()
    shown = web(world.sponsor_scientist).get(history)
    assert shown.status_code == 200
    assert "compound.registered" in shown.content.decode()
    assert world.project.code in shown.content.decode()
    lot_history = web(world.partner_scientist).get(f"/history/compounds.lot/{lot.id}/")
    assert "lot.registered" in lot_history.content.decode()
    assert web(world.outsider).get(history).status_code == 404
    assert web(world.outsider).get(f"/history/compounds.lot/{lot.id}/").status_code == 404
