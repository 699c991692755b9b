"""Every kind of notification cobench sends; each person chooses per kind how to get it."""

from django.db import models


class Kind(models.TextChoices):
    CONCERN_RAISED = "concern_raised", "A concern was raised"
    CONCERN_ESCALATED = "concern_escalated", "A concern escalated to you"
    CONCERN_ASSIGNED = "concern_assigned", "A concern was assigned to you"
    CONCERN_RESOLVED = "concern_resolved", "A concern was resolved"
    ACTION_ITEM_ASSIGNED = "action_item_assigned", "An action item was assigned to you"
    ACTION_ITEM_OVERDUE = "action_item_overdue", "Your action item is overdue"
    STATUS_STALE = "status_stale", "A status document went stale"
    STATUS_UPDATED = "status_updated", "A status document was updated"
    ENGAGEMENT_WARNING = "engagement_warning", "Attendance of key members fell"
    CHARTER_AWAITING_SIGNATURE = "charter_awaiting_signature", "A charter awaits your signature"
    REQUEST_NEW = "request_new", "A compound was requested from your organization"
    REQUEST_ANSWERED = (
        "request_answered",
        "A partner pushed back on a request or proposed an alternative",
    )


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately (in-app and e-mail)"
    DAILY_DIGEST = "daily_digest", "In-app, and e-mail in a daily digest"
    OFF = "off", "Off"


DEFAULT_DELIVERY = Delivery.IMMEDIATELY
