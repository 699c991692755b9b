"""Who may do what on a project: the one role table every service asks.

A user's power on a project comes from their membership's role. Not being a
member at all means the project does not exist for them (404, never 403).
"""

from django.db import models


class Role(models.TextChoices):
    SPONSOR_LEAD = "sponsor_lead", "Sponsor lead"
    SPONSOR_SCIENTIST = "sponsor_scientist", "Sponsor scientist"
    PARTNER_LEAD = "partner_lead", "Partner lead"
    PARTNER_SCIENTIST = "partner_scientist", "Partner scientist"
    EXECUTIVE = "executive", "Executive"
    QA_AUDITOR = "qa_auditor", "QA auditor"


SPONSOR_ROLES = frozenset({Role.SPONSOR_LEAD, Role.SPONSOR_SCIENTIST})
PARTNER_ROLES = frozenset({Role.PARTNER_LEAD, Role.PARTNER_SCIENTIST})


class Action(models.TextChoices):
    VIEW = "view", "See the project and its records"
    EDIT_PROJECT = "edit_project", "Change the project's name, phase and status"
    MANAGE_PARTNERS = "manage_partners", "Add, change and end partner organizations"
    MANAGE_MEMBERS = "manage_members", "Add, change and remove members"
    EDIT_CHARTER = "edit_charter", "Write a new charter version"
    SIGN_CHARTER = "sign_charter", "Sign a charter version for their organization"
    EDIT_STATUS = "edit_status", "Write a new version of their organization's status document"
    RAISE_CONCERN = "raise_concern", "Raise a concern"
    RESPOND_CONCERN = "respond_concern", "Acknowledge, start, resolve, close and reopen concerns"
    ASSIGN_CONCERN = "assign_concern", "Give a concern an owner and a due date"
    COMMENT_CONCERN = "comment_concern", "Comment on a concern"
    MANAGE_MEETINGS = "manage_meetings", "Set up meeting series and schedule or cancel meetings"
    RECORD_MEETINGS = (
        "record_meetings",
        "Write agendas and minutes, take attendance, attach files, add action items",
    )
    SET_ENGAGEMENT = "set_engagement", "Set the project's engagement thresholds"
    REGISTER_COMPOUND = (
        "register_compound",
        "Register compounds and lots, change lots and attach their analytical files",
    )
    SHIP_LOT = "ship_lot", "Send lots and record their receipt"
    REQUEST_COMPOUND = (
        "request_compound",
        "Request compounds, answer push-backs, accept alternatives, receive and abandon",
    )
    ANSWER_REQUEST = (
        "answer_request",
        "Accept, push back on or propose alternatives to requests, report synthesis progress",
    )
    TAG_SERIES = "tag_series", "Define chemical series and tag compounds with them"
    MANAGE_ASSAYS = "manage_assays", "Define and change assays and attach their protocols"
    RECORD_RESULTS = (
        "record_results",
        "Record, import and flag results of the assays their organization runs",
    )
    SHARE_RESULTS = (
        "share_results",
        "Decide what each partner sees of each assay's values (full, binned, hidden)",
    )


_EVERYONE = frozenset(Role)

ROLE_TABLE: dict[Action, frozenset[Role]] = {
    Action.VIEW: _EVERYONE,
    Action.EDIT_PROJECT: frozenset({Role.SPONSOR_LEAD}),
    Action.MANAGE_PARTNERS: frozenset({Role.SPONSOR_LEAD}),
    # a partner lead manages the members of their own organization only
    Action.MANAGE_MEMBERS: frozenset({Role.SPONSOR_LEAD, Role.PARTNER_LEAD}),
    Action.EDIT_CHARTER: frozenset({Role.SPONSOR_LEAD, Role.PARTNER_LEAD}),
    Action.SIGN_CHARTER: frozenset({Role.SPONSOR_LEAD, Role.PARTNER_LEAD}),
    # a partner's people write their own organization's status document only (status.services)
    Action.EDIT_STATUS: frozenset({Role.PARTNER_LEAD, Role.PARTNER_SCIENTIST}),
    Action.RAISE_CONCERN: _EVERYONE - {Role.QA_AUDITOR},
    # a concern's owner may respond to it too, whatever their role (concerns.services)
    Action.RESPOND_CONCERN: frozenset({Role.SPONSOR_LEAD, Role.PARTNER_LEAD}),
    Action.ASSIGN_CONCERN: frozenset({Role.SPONSOR_LEAD, Role.PARTNER_LEAD}),
    Action.COMMENT_CONCERN: _EVERYONE - {Role.QA_AUDITOR},
    Action.MANAGE_MEETINGS: frozenset({Role.SPONSOR_LEAD, Role.PARTNER_LEAD}),
    # an action item's owner may also close their own item, whatever their role
    Action.RECORD_MEETINGS: frozenset(
        {Role.SPONSOR_LEAD, Role.SPONSOR_SCIENTIST, Role.PARTNER_LEAD, Role.PARTNER_SCIENTIST}
    ),
    Action.SET_ENGAGEMENT: frozenset({Role.SPONSOR_LEAD}),
    Action.REGISTER_COMPOUND: frozenset(
        {Role.SPONSOR_LEAD, Role.SPONSOR_SCIENTIST, Role.PARTNER_LEAD, Role.PARTNER_SCIENTIST}
    ),
    # a shipment is received by someone of the organization it was sent to (compounds.services)
    Action.SHIP_LOT: frozenset(
        {Role.SPONSOR_LEAD, Role.SPONSOR_SCIENTIST, Role.PARTNER_LEAD, Role.PARTNER_SCIENTIST}
    ),
    Action.REQUEST_COMPOUND: SPONSOR_ROLES,
    # only the people of the partner a request is assigned to (compound_requests.services)
    Action.ANSWER_REQUEST: PARTNER_ROLES,
    Action.TAG_SERIES: SPONSOR_ROLES | PARTNER_ROLES,
    Action.MANAGE_ASSAYS: SPONSOR_ROLES,
    # only the people of the organization that runs the assay (assays.services)
    Action.RECORD_RESULTS: SPONSOR_ROLES | PARTNER_ROLES,
    # and only a lead of the project's sponsor organization (assays.sharing)
    Action.SHARE_RESULTS: frozenset({Role.SPONSOR_LEAD}),
}


def roles_for(action: Action) -> frozenset[Role]:
    """The roles that may do `action`."""
    return ROLE_TABLE[action]


def role_may(role: str, action: Action) -> bool:
    """Whether a member with `role` may do `action`."""
    return role in ROLE_TABLE[action]
