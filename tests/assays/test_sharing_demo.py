"""The demo's sharing rules: Beacon Street sees full potency values, Deccan bands and no ADME."""

from cobench.assays.sar import sar
from cobench.core.permissions import Role
from cobench.demo import cast, loader


def test_one_partner_sees_values_the_other_bands_and_no_adme(db):
    demo = loader.load_demo()
    beacon = demo.user(Role.PARTNER_SCIENTIST, cast.BOSTON.name)
    deccan = demo.user(Role.PARTNER_LEAD, cast.HYDERABAD.name)
    theirs = sar.table(beacon, demo.project, sort="-registry_id")
    assert {c.assay.endpoint: c.mode for c in theirs.columns} == {
        "IC50": "full",
        "EC50": "full",
        "solubility": "full",
        "clearance": "full",
    }
    page = sar.table(deccan, demo.project)
    assert {c.assay.endpoint: c.mode for c in page.columns} == {"IC50": "binned", "EC50": "binned"}
    labels = {cell.text for row in page.rows for cell in row.cells.values()}
    assert labels - {"—"} <= {
        "< 100 nM",
        "100 nM – 1 µM",
        "> 1 µM",
        "< 1 µM",
        "1 – 10 µM",
        "> 10 µM",
    }
    assert all(cell.value is None for row in page.rows for cell in row.cells.values())
