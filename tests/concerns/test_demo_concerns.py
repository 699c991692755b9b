"""The demo shows concerns in several states, one escalated and one raised confidentially."""

from cobench.concerns.models import Concern
from cobench.core.permissions import Role
from cobench.demo import loader


def test_demo_concerns(db, api):
    demo = loader.load_demo()
    concerns = Concern.objects.filter(project=demo.project)
    assert {"open", "in_progress", "resolved", "closed"} <= set(
        concerns.values_list("state", flat=True)
    )
    escalated = demo.extra["concerns"]["escalated"]
    assert escalated.escalations.count() == 1 and Concern.objects.get(pk=escalated.pk).level == 2
    secret = demo.extra["concerns"]["confidential"]
    assert secret.confidential and secret.escalations.count() == 0
    erik = api(demo.user(Role.EXECUTIVE)).get(f"/api/v1/concerns/{secret.id}").json()
    assert erik["raised_by"] is None and erik["raised_by_label"] == "Confidential reporter"
