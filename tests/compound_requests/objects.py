"""CDK2's compound requests for the shared suites (isolation, audit coverage)."""

from typing import Any

from cobench.compound_requests import services
from cobench.compound_requests.models import CompoundRequest, RequestMessage

from ..conftest import World


def new_request(w: World) -> CompoundRequest:
    return services.create_request(
        actor=w.sponsor_lead,
        project=w.project,
        structure="CNc1nc(NCc2ccccc2)c2ncn(C)c2n1",
        partner=w.partner,
        rationale="Secret N9 hypothesis",
        title="Hinge probe 9",
    )


def new_message(w: World) -> RequestMessage:
    request = services.push_back_request(
        actor=w.partner_lead,
        request=new_request(w),
        reason="stability",
        text="Enamine falls apart",
    )
    return request.messages.order_by("-seq").first()


def cdk2_requests(w: World) -> dict[str, Any]:
    """A pushed-back request on CDK2, and what would betray it to an intruder."""
    message = new_message(w)
    request = message.request
    return {
        "compound_request": request,
        "markers": [
            "Secret N9 hypothesis",
            "Hinge probe 9",
            "Enamine falls apart",
            "CNc1nc(NCc2ccccc2)c2ncn(C)c2n1",
            str(request.id),
        ],
    }
