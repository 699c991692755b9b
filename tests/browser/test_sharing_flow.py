"""Sharing from the browser: the sponsor lead uploads results, turns a partner's rule for
the assay from hidden to categories, and the partner's chemist sees on the SAR page the
category, never the number."""

import pytest
from playwright.sync_api import expect

from cobench.assays.models import Result
from cobench.compounds import services as compounds

from ..assays.objects import new_assay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROSCOVITINE = "CC[C@H](CO)Nc1nc(NCc2ccccc2)c2ncn(C(C)C)c2n1"
PURVALANOL = "CC(C)n1cnc2c(Nc3cccc(Cl)c3)nc(N[C@@H](CO)C(C)C)nc21"


def test_a_partner_sees_the_category_of_a_binned_assay_not_its_number(
    page, log_in, world, tmp_path, screenshot
):
    roscovitine, purvalanol = (
        compounds.register_structure(
            actor=world.partner_scientist, project=world.project, structure=s
        ).compound
        for s in (ROSCOVITINE, PURVALANOL)
    )
    new_assay(world, name="CDK2 IC50")
    results = tmp_path / "cdk2-ic50.csv"
    results.write_text(
        "registry_id,value,run_date\n"
        f"{roscovitine.registry_id},456.789,2026-03-02\n"
        f"{purvalanol.registry_id},34.567,2026-03-02\n"
    )

    # alice, the sponsor lead, uploads the results, checks them and imports them
    log_in("alice", world.password)
    page.get_by_role("link", name="PRJ-CDK2 · CDK2 inhibitors").click()
    page.goto(f"/projects/{world.project.id}/assays/imports/")
    page.get_by_label("File").set_input_files(str(results))
    page.get_by_label("Assay").select_option(label="CDK2 IC50")
    page.get_by_label("Unit").fill("nM")
    page.get_by_role("button", name="Upload and check").click()
    # the dry run and the import start worker processes: slow on a busy machine
    expect(page.get_by_text("2 good")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Import 2 results").click()
    expect(page.get_by_role("link", name="See CDK2 IC50")).to_be_visible(timeout=30_000)
    assert Result.objects.filter(assay__name="CDK2 IC50").count() == 2

    # Northbridge sees nothing of the assay yet: she shares it as categories
    page.goto(f"/projects/{world.project.id}/sharing/")
    expect(page.locator("table.sharing-grid").first).to_contain_text("Hidden")
    page.locator("select[name=assay_id]").select_option(label="CDK2 IC50")
    page.locator("select[name=partner_id]").select_option(label="Northbridge Chemistry")
    page.locator("select[name=mode]").select_option("binned")
    page.locator("textarea[name=bins]").fill("100 < 100 nM\n1000 100 nM – 1 µM\n> 1 µM")
    page.locator("input[name=reason]").fill("The chemists need the potency ranking")
    screenshot("sharing-rule")
    page.get_by_role("button", name="Set the rule").click()
    expect(page.locator("table.sharing-grid").first).to_contain_text("Categories only")
    page.get_by_role("button", name="Log out").click()

    # pete, Northbridge's chemist, sees the categories on the SAR page and no number
    log_in("pete", world.password)
    page.goto(f"/projects/{world.project.id}/sar/")
    table = page.locator("main")
    expect(table).to_contain_text("CDK2 IC50")
    expect(table).to_contain_text("100 nM – 1 µM")
    expect(table).to_contain_text("< 100 nM")
    screenshot("sar-partner")
    html = page.content()
    for number in ("456.789", "457 nM", "34.567", "34.6 nM"):
        assert number not in html, f"the partner's SAR page shows {number}"
