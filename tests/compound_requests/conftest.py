"""Requests on CDK2: alice (sponsor lead) asks Northbridge (paula, pete) for compounds."""

import pytest

# illustrative CDK2-inhibitor-like structures (aminopurine and aminopyrimidine hinge binders)
OLOMOUCINE_LIKE = "CNc1nc(NCc2ccccc2)c2ncn(C)c2n1"
ALTERNATIVE = "Nc1nc(Nc2ccc(F)cc2)c2nc[nH]c2n1"
REVISED = "Nc1nc(Nc2ccccc2)c2nc[nH]c2n1"


def request_body(world, **overrides):
    body = {
        "structure": OLOMOUCINE_LIKE,
        "partner_id": str(world.partner.id),
        "rationale": "Probe the N9-methyl pocket: the des-methyl lost 10x on CDK2.",
        "priority": "high",
        "due_date": "2099-01-31",
        "title": "N9-methyl probe",
    }
    return body | overrides


@pytest.fixture
def create(api, world):
    """`create(user=alice, **overrides)` posts a request and returns (status, json)."""

    def make(user=None, **overrides):
        r = api(user or world.sponsor_lead).post(
            f"/api/v1/projects/{world.project.id}/requests", request_body(world, **overrides)
        )
        return r.status_code, r.json()

    return make


@pytest.fixture
def in_synthesis(world):
    """Request #1 of CDK2 for OLOMOUCINE_LIKE, accepted and in synthesis at Northbridge."""
    from cobench.compound_requests import services

    request = services.create_request(
        actor=world.sponsor_lead,
        project=world.project,
        structure=OLOMOUCINE_LIKE,
        partner=world.partner,
        rationale="Probe the N9 pocket.",
    )
    services.accept_request(actor=world.partner_lead, request=request)
    return services.start_synthesis(actor=world.partner_scientist, request=request)
