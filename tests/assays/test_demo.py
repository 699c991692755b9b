"""The demo's biology: four CDK2 assays with replicates, a few censored values, two flags."""

from cobench.assays.aggregate import per_compound
from cobench.assays.models import Assay, Result
from cobench.demo import loader


def test_the_demo_has_four_cdk2_assays_with_replicates_and_qualifiers(db):
    demo = loader.load_demo()
    assays = {a.endpoint: a for a in Assay.objects.filter(project=demo.project)}
    assert set(assays) == {"IC50", "EC50", "solubility", "clearance"}
    assert assays["IC50"].owner.name == "Helix Bio" and assays["IC50"].unit == "nM"
    assert assays["clearance"].owner.name == "Beacon Street Chemistry"
    ic50 = Result.objects.filter(assay=assays["IC50"])
    tested = ic50.values("compound").distinct().count()
    assert 35 <= tested <= 47  # the most recently made compounds are not tested yet
    assert ic50.count() > tested  # replicates
    assert ic50.filter(qualifier=">").exists()
    assert Result.objects.filter(assay=assays["solubility"]).exclude(qualifier="=").exists()
    assert sorted(Result.objects.exclude(flag="").values_list("flag", flat=True)) == [
        "invalid",
        "outlier",
    ]
    rows = ic50.values_list("compound__registry_id", "qualifier", "value", "flag")
    aggregates = per_compound(rows, endpoint="IC50", unit="nM")
    roscovitine = demo.extra["compounds"]["ZINC01649340"].registry_id
    # roscovitine is drawn near its published 0.7 µM
    assert 300 < aggregates[roscovitine].value < 1500
    assert 5.8 < aggregates[roscovitine].p_value < 6.5
