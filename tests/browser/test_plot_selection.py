"""Selecting points on a SAR plot selects rows of the SAR table: the sponsor's chemist
opens the plots from a sorted table, drags a box around the two most potent compounds,
clicks the weakest, and "Show selected in the SAR table" ends on the table showing
exactly those three rows, with the table's columns and sort kept."""

import pytest
from playwright.sync_api import expect

from cobench.compounds import services as compounds

from ..assays.sharing_objects import new_assay, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# five kinase-like structures of different cLogP, from the most potent to the weakest
STRUCTURES = [
    "CC[C@H](CO)Nc1nc(NCc2ccccc2)c2ncn(C(C)C)c2n1",
    "CC(C)n1cnc2c(Nc3cccc(Cl)c3)nc(N[C@@H](CO)C(C)C)nc21",
    "O=C1Nc2ccccc2C1=O",
    "Nc1nc(Nc2ccc(F)cc2)c2nc[nH]c2n1",
    "CCCCCCc1ccc(O)cc1",
]
IC50_NM = ["10", "30", "100", "300", "1000"]

# pixel positions of the plotted points, by registry id, from the page's Chart.js chart
POINTS_JS = """() => {
  const chart = Chart.getChart("plot-canvas");
  const rect = chart.canvas.getBoundingClientRect();
  const meta = chart.getDatasetMeta(0);
  const points = meta.data.map((el, i) => ({
    id: chart.data.datasets[0].data[i].point.registry_id,
    x: rect.left + el.x,
    y: rect.top + el.y,
  }));
  return { points, left: rect.left + 1, right: rect.right - 1, top: rect.top + 1 };
}"""


def test_points_selected_on_the_plot_are_the_rows_of_the_table(page, log_in, world, screenshot):
    made = [
        compounds.register_structure(
            actor=world.partner_scientist, project=world.project, structure=s
        ).compound
        for s in STRUCTURES
    ]
    potency = new_assay(world, "CDK2 IC50", target="CDK2")
    for compound, value in zip(made, IC50_NM, strict=True):
        record(world, potency, compound, value)
    ids = [c.registry_id for c in made]

    # sam, the sponsor's scientist, looks at the table by MW with two columns
    log_in("sam", world.password)
    page.goto(f"/projects/{world.project.id}/sar/?col=mw&col={potency.pk}&sort=-mw")
    expect(page.locator("tr[data-registry-id]")).to_have_count(5)
    page.get_by_role("navigation", name="SAR").get_by_role("link", name="Plots").click()
    expect(page.get_by_role("heading", name="SAR plots")).to_be_visible()
    page.wait_for_function(
        "() => window.Chart && Chart.getChart('plot-canvas')"
        " && Chart.getChart('plot-canvas').getDatasetMeta(0).data.length === 5"
    )
    # the whole plot in the window, so every point can be pointed at
    page.locator("#plot-area").evaluate("area => area.scrollIntoView({block: 'center'})")
    shown = page.evaluate(POINTS_JS)
    at = {p["id"]: p for p in shown["points"]}
    assert set(at) == set(ids)

    # a box over the top of the plot: the two most potent (highest pIC50) and nothing else
    below_second = (at[ids[1]]["y"] + at[ids[2]]["y"]) / 2
    page.mouse.move(shown["left"], shown["top"])
    page.mouse.down()
    page.mouse.move((shown["left"] + shown["right"]) / 2, below_second, steps=5)
    page.mouse.move(shown["right"], below_second, steps=5)
    page.mouse.up()
    expect(page.locator("#plot-selected-count")).to_have_text("(2)")
    # and a click on the weakest
    page.mouse.click(at[ids[4]]["x"], at[ids[4]]["y"])
    expect(page.locator("#plot-selected-count")).to_have_text("(3)")
    listed = page.locator("#plot-selection tbody tr")
    assert sorted(listed.evaluate_all("rows => rows.map(r => r.cells[0].textContent)")) == sorted(
        [ids[0], ids[1], ids[4]]
    )
    screenshot("plot-selection")

    page.get_by_role("button", name="Show selected in the SAR table").click()
    expect(page.locator("#sar-selection")).to_contain_text("3 compounds selected on the plot")
    rows = page.locator("tr[data-registry-id]")
    expect(rows).to_have_count(3)
    assert sorted(rows.evaluate_all("rows => rows.map(r => r.dataset.registryId)")) == sorted(
        [ids[0], ids[1], ids[4]]
    )
    expect(page.locator("tr.selected")).to_have_count(3)
    assert "sort=-mw" in page.url and "compounds=" in page.url
    header = page.locator("table.sar-table thead")
    expect(header).to_contain_text("MW")
    expect(header).not_to_contain_text("cLogP")
    screenshot("sar-selection")

    # back on the plot, the same three are selected
    page.get_by_role("link", name="See them on the plot").click()
    expect(page.locator("#plot-selected-count")).to_have_text("(3)")
    page.go_back()
    expect(page.locator("tr[data-registry-id]")).to_have_count(3)

    # clearing the filter shows every compound again, the view kept
    page.get_by_role("link", name="Clear the selection").click()
    expect(page.locator("tr[data-registry-id]")).to_have_count(5)
    expect(page.locator("tr.selected")).to_have_count(0)
    assert "sort=-mw" in page.url and "compounds" not in page.url
