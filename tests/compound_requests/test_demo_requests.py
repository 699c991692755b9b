"""The demo shows requests in every state, a push-back whose alternative was accepted, and
made requests linked to the compounds of the registry."""

from cobench.compound_requests.models import CompoundRequest, State
from cobench.core.permissions import Role
from cobench.demo import loader

DELIVERED = (State.MADE, State.SHIPPED, State.RECEIVED, State.TESTED)


def test_demo_has_a_request_in_every_state(db, api):
    demo = loader.load_demo()
    requests = CompoundRequest.objects.filter(project=demo.project)
    assert set(requests.values_list("state", flat=True)) == set(State.values)
    rosco = requests.get(title="Roscovitine reference")
    kinds = list(rosco.messages.values_list("kind", flat=True))
    assert kinds[:5] == [
        "requested",
        "pushed_back",
        "answered",
        "alternative",
        "alternative_accepted",
    ]
    first, *_, alternative = rosco.messages.exclude(smiles="")
    assert "[C@H]" in first.smiles and rosco.smiles == alternative.smiles
    helena = api(demo.user(Role.SPONSOR_LEAD))
    board = helena.get(f"/api/v1/projects/{demo.project.id}/requests?overdue=true").json()
    assert [r["title"] for r in board["items"]] == ["Aminothiazole amide"]
    made = requests.filter(state__in=DELIVERED)
    assert made.count() == 4 and not made.filter(compound=None).exists()
    assert not requests.exclude(state__in=DELIVERED).exclude(compound=None).exists()
    for request in made:  # what was made is what was asked for
        assert request.compound.smiles == request.smiles
    tested = helena.get(f"/api/v1/requests/{requests.get(state='tested').id}").json()
    assert tested["registry_id"] == requests.get(state="tested").compound.registry_id
