"""The structure editor in a real browser: JSME (served from our own static files) draws a
structure into the request form, the draw/type toggle carries a typed SMILES into the
drawing, and without JavaScript the plain textarea still works."""

import re

import pytest
from playwright.sync_api import expect

from cobench.compound_requests import services
from cobench.compound_requests.models import CompoundRequest
from cobench.compounds.models import Compound

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLUORO = "Nc1nc(Nc2ccc(F)cc2)c2nc[nH]c2n1"
ROSCOVITINE = "CC[C@H](CO)Nc1nc(NCc2ccccc2)c2ncn(C(C)C)c2n1"
# predicates are functions: a string would be evaluated with eval, which the CSP refuses
EDITOR_READY = "() => document.querySelector('.structure-editor').jsme !== undefined"


def test_draw_a_structure_and_request_it(page, log_in, world, screenshot):
    log_in("alice", world.password)
    page.goto(f"/projects/{world.project.id}/requests/new/")
    page.wait_for_function(EDITOR_READY)
    structure = page.locator("textarea[name=structure]")
    expect(page.get_by_role("button", name="Draw", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(structure).to_be_hidden()
    # what a chemist's drawing does: the editor reports a change and writes its molfile
    page.evaluate(
        "s => document.querySelector('.structure-editor').jsme.readGenericMolecularInput(s)",
        FLUORO,
    )
    expect(structure).to_have_value(re.compile(r"V2000"))
    screenshot("structure-editor-request")
    page.get_by_label("Why").fill("Does the para-fluoro keep the hinge contacts?")
    page.get_by_label("Partner asked to make it").select_option(str(world.partner.id))
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("#smiles")).to_have_text(FLUORO)
    expect(page.locator(".req-head img")).to_be_visible()
    assert CompoundRequest.objects.get().smiles == FLUORO


def test_the_partner_draws_an_alternative_in_a_closed_step_form(page, log_in, world):
    request = services.create_request(
        actor=world.sponsor_lead,
        project=world.project,
        structure=ROSCOVITINE,
        partner=world.partner,
        rationale="Reference compound",
    )
    log_in("pete", world.password)
    page.goto(f"/projects/{world.project.id}/requests/{request.id}/")
    step = page.locator("#step-propose_alternative")
    step.get_by_text("Propose an alternative…").click()  # the editor is made when it opens
    editor = "document.querySelector('#step-propose_alternative .structure-editor')"
    page.wait_for_function(f"() => {editor}.jsme !== undefined")
    # JSME drew itself at the open form's width, not the closed one's zero
    assert page.evaluate(f"{editor}.querySelector('.structure-canvas > div').offsetWidth") > 300
    page.evaluate(f"s => {editor}.jsme.readGenericMolecularInput(s)", FLUORO)
    textarea = step.locator("textarea[name='propose_alternative-structure']")
    expect(textarea).to_have_value(re.compile(r"V2000"))
    step.get_by_label("Reasoning").fill("Achiral, and the same hinge contacts.")
    step.get_by_role("button", name="Propose an alternative").click()
    expect(page.locator("#request-state")).to_have_text("Alternative proposed")
    expect(page.locator("#thread")).to_contain_text(FLUORO)


def test_a_typed_smiles_is_drawn_and_registered_as_typed(page, log_in, world):
    log_in("pete", world.password)
    page.goto(f"/projects/{world.project.id}/compounds/register/")
    page.wait_for_function(EDITOR_READY)
    page.get_by_role("button", name="Type SMILES / molfile").click()
    structure = page.locator("textarea[name=structure]")
    structure.fill(ROSCOVITINE)
    page.get_by_role("button", name="Draw", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('.structure-editor').jsme.smiles().length > 0"
    )
    expect(structure).to_have_value(ROSCOVITINE)  # drawing it did not rewrite what was typed
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("CB-000001").first).to_be_visible()
    assert Compound.objects.get().smiles == ROSCOVITINE


def test_without_javascript_the_textarea_is_the_input(open_page, world):
    page = open_page(java_script_enabled=False)
    page.goto("/login/")
    page.get_by_label("User name").fill("alice")
    page.get_by_label("Password").fill(world.password)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/projects/{world.project.id}/requests/new/")
    expect(page.get_by_role("button", name="Draw", exact=True)).to_be_hidden()
    page.get_by_label("Structure").fill(FLUORO)
    page.get_by_label("Why").fill("Typed, not drawn.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("#smiles")).to_have_text(FLUORO)
