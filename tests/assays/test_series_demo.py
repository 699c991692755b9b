"""The demo's series and the data behind its open requests."""

from cobench.assays.models import Series
from cobench.assays.sar import series
from cobench.compound_requests.models import CompoundRequest
from cobench.core.permissions import Role
from cobench.demo import cast, loader


def test_the_demo_has_series_by_core_and_by_hand_and_requests_with_evidence(db):
    demo = loader.load_demo()
    found = {s.name: s for s in Series.objects.filter(project=demo.project)}
    assert set(found) == {"Purines", "Oxindoles", "Anilinopyrimidines"}
    maria = demo.user(Role.PARTNER_SCIENTIST, cast.BOSTON.name)
    roscovitine = demo.extra["compounds"]["ZINC01649340"]
    purines = series.membership(actor=maria, series=found["Purines"])
    assert roscovitine.pk in purines.by_core and len(purines.compounds) >= 7
    assert len(series.membership(actor=maria, series=found["Oxindoles"]).by_core) >= 10
    assert len(series.membership(actor=maria, series=found["Anilinopyrimidines"]).tagged) == 2
    backed = CompoundRequest.objects.filter(project=demo.project, evidence__isnull=False)
    assert backed.distinct().count() == 2
