"""Telling people what they should know: the inbox, e-mail now, or e-mail in a daily digest."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from cobench.audit import services as audit
from cobench.audit.events import Event
from cobench.core.errors import InvalidInput
from cobench.tenancy.access import home_organization

from .kinds import DEFAULT_DELIVERY, Delivery, Kind
from .models import Notification, Preference

log = logging.getLogger(__name__)


def deliveries(user: Any) -> dict[str, str]:
    """How `user` receives each kind of notification."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY) for kind in Kind.values}


def notify(
    *,
    kind: Kind,
    recipients: Iterable[Any],
    about: Model | None,
    title: str,
    body: str = "",
    url: str = "",
    project: Any = None,
    dedupe_key: str = "",
) -> list[Notification]:
    """Put a notification in each recipient's inbox (in the caller's transaction).

    `about` is the object it tells of (None: nothing beyond the project): only those who
    see it are told, so a partner never hears of another partner's work. People who
    turned `kind` off get nothing; with `dedupe_key`, a person is told about the same
    thing once. Immediate e-mails go out after the commit.
    """
    people = {r.pk: r for r in recipients if r is not None and r.is_active}
    if about is not None:
        rows = type(about)._default_manager.filter(pk=about.pk)
        people = {
            pk: person
            for pk, person in people.items()
            if rows.visible_to(person).exists()  # type: ignore[attr-defined]
        }
    off = set(
        Preference.objects.filter(user__in=people, kind=kind, delivery=Delivery.OFF).values_list(
            "user_id", flat=True
        )
    )
    if dedupe_key:
        off |= set(
            Notification.objects.filter(recipient__in=people, dedupe_key=dedupe_key).values_list(
                "recipient_id", flat=True
            )
        )
    created = [
        Notification.objects.create(
            recipient=person,
            project=project,
            kind=kind,
            title=title[:300],
            body=body,
            url=url,
            dedupe_key=dedupe_key[:200],
        )
        for pk, person in people.items()
        if pk not in off
    ]
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: send_immediate(ids))
    return created


def _absolute(url: str) -> str:
    return settings.COBENCH_BASE_URL.rstrip("/") + url if url.startswith("/") else url


def send_immediate(ids: list[Any]) -> int:
    """E-mail the notifications among `ids` whose recipients want them at once."""
    sent = 0
    for note in Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related(
        "recipient"
    ):
        if (
            deliveries(note.recipient)[note.kind] != Delivery.IMMEDIATELY
            or not note.recipient.email
        ):
            continue
        text = "\n\n".join(filter(None, [note.body, _absolute(note.url)]))
        if _mail(f"[cobench] {note.title}", text, note.recipient.email):
            Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent


def _mail(subject: str, text: str, to: str) -> bool:
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    except Exception:  # a mail server outage must not lose the inbox entry
        log.exception("could not e-mail %s", to)
        return False
    return True


def send_digests(*, now: datetime | None = None) -> int:
    """E-mail each person, once a day after the digest hour, what they chose to get as a digest.

    Safe to run any number of times: a person who got today's digest gets no second one,
    and nothing is e-mailed twice. Returns how many digests went out.
    """
    now = now or timezone.now()
    cutoff = now.replace(hour=settings.COBENCH_DIGEST_HOUR_UTC, minute=0, second=0, microsecond=0)
    if now < cutoff:
        return 0
    done_today = set(
        Notification.objects.filter(in_digest=True, emailed_at__gte=cutoff).values_list(
            "recipient_id", flat=True
        )
    )
    pending: dict[Any, list[Notification]] = defaultdict(list)
    notes = Notification.objects.filter(emailed_at__isnull=True, created_at__lte=now)
    for note in notes.exclude(recipient_id__in=done_today).select_related("recipient"):
        if deliveries(note.recipient)[note.kind] == Delivery.DAILY_DIGEST:
            pending[note.recipient].append(note)
    sent = 0
    for person, items in pending.items():
        if not person.email:
            continue
        items.sort(key=lambda n: n.created_at)
        lines = [f"- {n.title}" + (f"\n  {_absolute(n.url)}" if n.url else "") for n in items]
        subject = f"[cobench] Your daily digest: {len(items)} notification(s)"
        if _mail(subject, "\n".join(lines), person.email):
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                emailed_at=now, in_digest=True
            )
            sent += 1
    return sent


@transaction.atomic
def mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of `actor`'s notifications read."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, actor: Any) -> int:
    return Notification.objects.for_user(actor).unread().update(read_at=timezone.now())


@transaction.atomic
def set_delivery(*, actor: Any, kind: str, delivery: str) -> str:
    """Choose how `actor` receives `kind`: immediately, in a daily digest, or not at all."""
    if kind not in Kind.values:
        raise InvalidInput("Unknown kind.", errors={"kind": [f"One of: {', '.join(Kind.values)}."]})
    if delivery not in Delivery.values:
        raise InvalidInput(
            "Unknown delivery.", errors={"delivery": [f"One of: {', '.join(Delivery.values)}."]}
        )
    before = deliveries(actor)[kind]
    Preference.objects.update_or_create(user=actor, kind=kind, defaults={"delivery": delivery})
    if before != delivery:
        audit.record(
            actor=actor,
            organization=home_organization(actor),
            event=Event.PROFILE_UPDATED,
            target=actor,
            changes={f"notifications.{kind}": [before, delivery]},
        )
    return delivery
