"""Every audit event type cobench writes. docs/audit-events.md lists each one (a test checks)."""

from django.db import models


class Event(models.TextChoices):
    ORGANIZATION_CREATED = "organization.created", "An organization was registered"
    ORGANIZATION_MFA_CHANGED = (
        "organization.mfa_changed",
        "An organization began or stopped requiring two-factor sign-in of its people",
    )
    USER_CREATED = "user.created", "An account was created for a person"
    ORGANIZATION_JOINED = (
        "organization.joined",
        "A person was recorded as working for an organization",
    )
    PROJECT_CREATED = "project.created", "A project was created"
    PROJECT_UPDATED = "project.updated", "A project's name, description, phase or status changed"
    PARTNER_ADDED = "partner.added", "A partner organization joined a project"
    PARTNER_UPDATED = "partner.updated", "A partner's dates or scope of work changed"
    PARTNER_REMOVED = "partner.removed", "A partner organization was removed from a project"
    PARTNER_COMPOUNDS_SHARED = (
        "partner.compounds_shared",
        "What a partner sees of a project's compounds changed",
    )
    PROJECT_CONSORTIUM_CHANGED = (
        "project.consortium_changed",
        "A project opened its partners' work to each other, or walled it again",
    )
    MEMBER_ADDED = "member.added", "A person was added to a project"
    MEMBER_UPDATED = "member.updated", "A member's role or key-member flag changed"
    MEMBER_REMOVED = "member.removed", "A person was removed from a project"
    CHARTER_VERSION_CREATED = "charter.version_created", "A new charter version was written"
    CHARTER_SIGNED = "charter.signed", "A lead signed a charter version for their organization"
    TOKEN_CREATED = "token.created", "A personal API token was created"
    TOKEN_REVOKED = "token.revoked", "A personal API token was revoked"
    PROFILE_UPDATED = "profile.updated", "A person changed their profile or notification choices"
    PASSWORD_CHANGED = "password.changed", "A person's password was changed"
    SESSION_ENDED = "session.ended", "A signed-in session was ended before it expired"
    STATUS_CREATED = "status.created", "A partner wrote the first version of its status document"
    STATUS_UPDATED = "status.updated", "A partner saved a new version of its status document"
    CONCERN_RAISED = "concern.raised", "A concern was raised"
    CONCERN_ACKNOWLEDGED = "concern.acknowledged", "A concern was acknowledged"
    CONCERN_STARTED = "concern.started", "Work on a concern started"
    CONCERN_RESOLVED = "concern.resolved", "A concern was resolved with a written resolution"
    CONCERN_CLOSED = "concern.closed", "A resolved concern was closed"
    CONCERN_REOPENED = "concern.reopened", "A resolved or closed concern was reopened"
    CONCERN_ASSIGNED = "concern.assigned", "A concern's owner or due date changed"
    CONCERN_COMMENTED = "concern.commented", "Someone commented on a concern"
    CONCERN_ESCALATED = "concern.escalated", "A concern overdue for a response escalated"
    MEETING_SERIES_CREATED = "meeting_series.created", "A meeting series was set up"
    MEETING_SERIES_UPDATED = (
        "meeting_series.updated",
        "A meeting series' name, cadence, attendees or key members changed",
    )
    MEETING_SCHEDULED = "meeting.scheduled", "A meeting was scheduled"
    MEETING_UPDATED = "meeting.updated", "A meeting's time, agenda, minutes or status changed"
    ATTENDANCE_RECORDED = "meeting.attendance_recorded", "Attendance at a meeting was recorded"
    MEETING_FILE_ADDED = "meeting.file_added", "A file was attached to a meeting"
    MEETING_FILE_REMOVED = "meeting.file_removed", "A file was removed from a meeting"
    ACTION_ITEM_CREATED = "action_item.created", "An action item was given to a member"
    ACTION_ITEM_UPDATED = (
        "action_item.updated",
        "An action item's title, owner, due date or status changed",
    )
    ENGAGEMENT_WARNING_RAISED = (
        "engagement.warning_raised",
        "Key members' attendance of a series fell below the project's thresholds",
    )
    ENGAGEMENT_WARNING_CLEARED = (
        "engagement.warning_cleared",
        "Key members' attendance of a series recovered",
    )
    ENGAGEMENT_THRESHOLDS_SET = (
        "engagement.thresholds_set",
        "The project's engagement thresholds changed",
    )
    CALENDAR_FEED_RESET = "calendar.feed_reset", "A person created or replaced their calendar feed"
    COMPOUND_REGISTERED = "compound.registered", "A new structure entered a sponsor's registry"
    COMPOUND_LINKED = "compound.linked", "A registered compound was registered in a project"
    LOT_REGISTERED = "lot.registered", "A lot of a compound was registered"
    LOT_UPDATED = "lot.updated", "A lot's details changed"
    LOT_FILE_ADDED = "lot.file_added", "An analytical file was attached to a lot"
    SHIPMENT_SENT = "shipment.sent", "A lot was sent to another organization"
    SHIPMENT_RECEIVED = "shipment.received", "A shipped lot was received"
    IMPORT_CREATED = "compound_import.created", "A file of structures was uploaded for import"
    IMPORT_CONFIGURED = (
        "compound_import.configured",
        "An import's SMILES column or field mapping changed, or its dry run was queued",
    )
    IMPORT_CHECKED = "compound_import.checked", "An import's dry run reported what it would do"
    IMPORT_STARTED = "compound_import.started", "An import was started (or resumed)"
    IMPORT_FINISHED = "compound_import.finished", "An import wrote its last record"
    REQUEST_CREATED = "compound_request.created", "The sponsor requested a compound from a partner"
    REQUEST_ACCEPTED = "compound_request.accepted", "A partner accepted a compound request"
    REQUEST_PUSHED_BACK = "compound_request.pushed_back", "A partner pushed back on a request"
    REQUEST_ALTERNATIVE_PROPOSED = (
        "compound_request.alternative_proposed",
        "A partner proposed an alternative structure for a request",
    )
    REQUEST_ALTERNATIVE_ACCEPTED = (
        "compound_request.alternative_accepted",
        "The sponsor accepted a partner's alternative structure",
    )
    REQUEST_ANSWERED = (
        "compound_request.answered",
        "The sponsor answered a push-back or an alternative",
    )
    REQUEST_SYNTHESIS_STARTED = (
        "compound_request.synthesis_started",
        "A partner started making a requested compound",
    )
    REQUEST_MADE = "compound_request.made", "A partner made a requested compound"
    REQUEST_COMPOUND_LINKED = (
        "compound_request.compound_linked",
        "A made request was linked to its registered compound",
    )
    REQUEST_SHIPPED = "compound_request.shipped", "A partner shipped a requested compound"
    REQUEST_RECEIVED = "compound_request.received", "The sponsor received a requested compound"
    REQUEST_TESTED = "compound_request.tested", "The sponsor tested a requested compound"
    REQUEST_ABANDONED = "compound_request.abandoned", "The sponsor abandoned a compound request"
    REQUEST_EVIDENCE_CHANGED = (
        "compound_request.evidence_changed",
        "The compounds whose data back a request's rationale changed",
    )
    SERIES_CREATED = "series.created", "A chemical series was defined"
    SERIES_UPDATED = "series.updated", "A chemical series' name, core or description changed"
    SERIES_TAGGED = "series.tagged", "A compound was tagged with a chemical series"
    SERIES_UNTAGGED = "series.untagged", "A compound's tag with a chemical series was removed"
    ASSAY_CREATED = "assay.created", "An assay was defined"
    ASSAY_UPDATED = (
        "assay.updated",
        "An assay's name, target, type, endpoint, unit or owner changed",
    )
    ASSAY_FILE_ADDED = "assay.file_added", "A protocol or other file was attached to an assay"
    RESULT_RECORDED = "result.recorded", "A result was recorded for a compound in an assay"
    RESULT_FLAGGED = "result.flagged", "A result was flagged invalid or outlier, or its flag lifted"
    RESULT_IMPORT_CREATED = "result_import.created", "A file of results was uploaded for import"
    RESULT_IMPORT_CHECKED = "result_import.checked", "A result import's dry run reported its rows"
    RESULT_IMPORT_FINISHED = "result_import.finished", "A result import wrote all its results"
    SHARING_RULE_SET = (
        "sharing_rule.set",
        "The sponsor set what a partner sees of an assay's values, from a date on",
    )


# Biology events name assays and carry raw values: in the trail only the sponsor's own people
# read them (what a partner sees of assays is the sharing rules' business, assays.sharing).
SPONSOR_ONLY_PREFIXES = ("assay.", "result.", "result_import.", "sharing_rule.")
