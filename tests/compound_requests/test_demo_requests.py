"""The demo shows requests in every state, and a push-back whose alternative was accepted."""

from cobench.compound_requests.models import CompoundRequest, State
from cobench.demo import loader


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
    helena = api(demo.user(loader.Role.SPONSOR_LEAD))
    board = helena.get(f"/api/v1/projects/{demo.project.id}/requests?overdue=true").json()
    assert [r["title"] for r in board["items"]] == ["Aminothiazole amide"]
