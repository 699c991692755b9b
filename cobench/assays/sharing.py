"""What each partner organization sees of a project's assay values: the sponsor's rules.

Per assay and partner organization the sponsor lead sets a rule: *full* (raw values),
*binned* (only the category of each value, from bins the sponsor defines) or *hidden*
(the assay does not exist for that partner). Rules are never edited: a change is a new
rule with its own start, and the rule in force at a moment is the latest one that has
started by then (none: hidden). A rule starting later is scheduled.

Who sees what, at one moment:

* members of the project's sponsor organization (every role: leads, scientists,
  executives, QA auditors) see every assay and every value;
* members of the organization that runs an assay see its values (they measured them);
* any other member sees what the rule in force for their organization says.

The restriction is SQL (`querysets.mode_for_user`), used by `Result.objects.visible_to` and
`Assay.objects.visible_to`, so every door reads through it; a binned value reaches a
partner only as its label, computed here (`bin_label`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from cobench.audit import services as audit
from cobench.audit.events import Event
from cobench.core.errors import Forbidden, InvalidInput
from cobench.core.permissions import Action
from cobench.core.text import contains_nul
from cobench.tenancy.access import ensure_can, ensure_may_preview, sees_everything
from cobench.tenancy.models import Organization, Project, ProjectMember, ProjectPartner, User

from .aggregate import number
from .models import Assay, SharingRule
from .querysets import latest_first, mode_for_user, mode_in_force

FULL, BINNED, HIDDEN = SharingRule.Mode.FULL, SharingRule.Mode.BINNED, SharingRule.Mode.HIDDEN
MAX_BINS = 12
MAX_LABEL = 60
MAX_REASON = 5000
# a rule may not start in the past (that would rewrite what a partner saw); a form's
# "now" that took a while to send is still now
PAST_SLACK = timedelta(minutes=5)


# The rule in force ---------------------------------------------------------------------------


def rule_in_force(
    assay: Assay, partner: Organization, at: datetime | None = None
) -> SharingRule | None:
    """The rule for `partner` on `assay` at `at` (default now): the latest started one, or None."""
    rules = SharingRule.objects.filter(
        assay=assay, partner=partner, starts_at__lte=at or timezone.now()
    )
    return latest_first(rules).first()


# Columns: what one viewer sees of each assay ----------------------------------------------


@dataclass(frozen=True)
class Column:
    """An assay as one viewer sees it: `mode` full or binned (hidden assays are no column),
    with the bins of a binned rule."""

    assay: Assay
    mode: str
    bins: tuple[dict[str, Any], ...] = ()


def columns_for(
    user: Any,
    project: Project,
    *,
    as_partner: Organization | None = None,
    at: datetime | None = None,
) -> list[Column]:
    """The assays of `project` `user` sees (as `as_partner` would, for the sponsor's preview),
    by name, each with its mode and bins. One query, a second for the bins of binned ones."""
    # filtered and ordered before the restriction: each step copies the query and its subqueries
    assays = Assay.objects.filter(project=project).order_by("name").visible_to(user)
    partner: Any = None
    if as_partner is not None:
        ensure_may_preview(user, project)
        mode: Any = Case(
            When(owner_id=as_partner.pk, then=Value(FULL)),
            default=mode_in_force(as_partner.pk, assay="pk", at=at),
        )
        partner = as_partner.pk
    elif at is None and "_share" in assays.query.annotations:
        mode = F("_share")  # what `visible_to` filtered on, now: read, not built again
    else:
        mode = mode_for_user(user, assay="pk", owner="owner_id", at=at)
    at = at or timezone.now()
    shown = [a for a in assays.annotate(_mode=mode) if a._mode in (FULL, BINNED)]
    binned = [a.pk for a in shown if a._mode == BINNED]
    bins: dict[Any, Any] = {}
    if binned:  # the bins of the binned rules in force (a partner's own organization's)
        if partner is None:
            partner = (
                ProjectMember.objects.filter(user=user, project=project)
                .values_list("organization_id", flat=True)
                .first()
            )
        rules = SharingRule.objects.filter(
            assay_id__in=binned, partner_id=partner, mode=BINNED, starts_at__lte=at
        )
        for assay_id, rule_bins in latest_first(rules).values_list("assay_id", "bins"):
            bins.setdefault(assay_id, rule_bins)
    return [Column(a, a._mode, tuple(bins.get(a.pk) or ())) for a in shown]


# Bins ---------------------------------------------------------------------------------------


def validate_bins(bins: Any, unit: str) -> list[dict[str, Any]]:
    """`bins` checked and cleaned: ascending finite upper bounds in the assay's `unit`, each
    with a label, the last one open-ended (upper null); InvalidInput says what is wrong."""

    def bad(message: str) -> InvalidInput:
        return InvalidInput("The bins are not valid.", errors={"bins": [message]})

    if not isinstance(bins, list) or not 2 <= len(bins) <= MAX_BINS:
        raise bad(f"From 2 to {MAX_BINS} bins, each an upper bound in {unit} and a label.")
    cleaned: list[dict[str, Any]] = []
    for i, item in enumerate(bins, 1):
        if not isinstance(item, dict) or set(item) - {"upper", "label"}:
            raise bad(f"Bin {i}: give an upper bound and a label.")
        upper, label = item.get("upper"), item.get("label")
        if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL:
            raise bad(f"Bin {i}: a label of 1 to {MAX_LABEL} characters.")
        if contains_nul(label):
            raise bad(f"Bin {i}: the label holds a NUL character.")
        last = i == len(bins)
        if last:
            if upper is not None:
                raise bad(f"The last bin is open-ended: no upper bound (above {unit} values).")
        else:
            if isinstance(upper, bool) or not isinstance(upper, int | float):
                raise bad(f"Bin {i}: the upper bound must be a number in {unit}.")
            if not math.isfinite(upper):
                raise bad(f"Bin {i}: the upper bound must be a finite number.")
            if cleaned and upper <= cleaned[-1]["upper"]:
                raise bad(f"Bin {i}: upper bounds must ascend.")
        cleaned.append({"upper": None if upper is None else float(upper), "label": label.strip()})
    if len({b["label"] for b in cleaned}) != len(cleaned):
        raise bad("Each bin needs its own label.")
    return cleaned


def bin_index(value: float, bins: Any) -> int:
    """The bin holding `value`: each bin runs from the previous upper bound (included) to its
    own (excluded); the last has no upper bound."""
    for i, b in enumerate(bins):
        if b["upper"] is None or value < b["upper"]:
            return i
    return len(bins) - 1


def bin_label(value: float, qualifier: str, bins: Any, unit: str = "") -> str:
    """The label a partner sees for `qualifier` `value` (qualifier-aware).

    An exact value ("=", "~") gets its bin's label. A censored one gets a bin's label only
    when the whole range it stands for lies in that bin ("> 10 µM" in an open-ended
    "> 1 µM" bin); otherwise the label states the tightest bound the bins allow ("> 1 µM"
    for "> 5 µM" when bins end at 1 and 10 µM), never the value itself.
    """
    i = bin_index(value, bins)
    unit = f" {unit}" if unit else ""
    if qualifier == ">":
        lower = bins[i - 1]["upper"] if i else None
        if bins[i]["upper"] is None:
            return bins[i]["label"]
        return f"> {number(lower)}{unit}" if lower is not None else "unclassified (> a bound)"
    if qualifier == "<":
        # (-inf, value): the bins up to the one whose upper bound reaches value
        j = next((k for k, b in enumerate(bins) if b["upper"] is None or value <= b["upper"]), 0)
        if j == 0:
            return bins[0]["label"]
        upper = bins[j]["upper"]
        return f"< {number(upper)}{unit}" if upper is not None else "unclassified (< a bound)"
    return bins[i]["label"]


def bin_order(value: float, qualifier: str, bins: Any) -> float:
    """Where a value's label sorts among bins: the bin index, a censored value that spans
    bins placed between them (half a step towards the side it points to)."""
    i = bin_index(value, bins)
    if qualifier == ">" and bins[i]["upper"] is not None:
        return i - 0.5 if i else -0.75
    if qualifier == "<":
        j = next((k for k, b in enumerate(bins) if b["upper"] is None or value <= b["upper"]), 0)
        return j - 0.5 if j else 0
    return i


# Setting a rule -----------------------------------------------------------------------------


def _describe(rule: SharingRule | None) -> dict[str, Any]:
    if rule is None:
        return {"mode": HIDDEN, "bins": [], "starts_at": None}
    return {"mode": rule.mode, "bins": rule.bins, "starts_at": rule.starts_at}


@transaction.atomic
def set_rule(
    *,
    actor: User,
    assay: Assay,
    partner: Organization | None,
    mode: str,
    reason: str,
    bins: list[dict[str, Any]] | None = None,
    starts_at: datetime | None = None,
    now: datetime | None = None,
) -> SharingRule:
    """Decide what `partner` sees of `assay`'s values from `starts_at` (default now; later:
    scheduled). Only the sponsor's lead; the partner must be a partner of the project."""
    project = assay.project
    member = ensure_can(actor, project, Action.SHARE_RESULTS)
    if member.organization_id != project.sponsor_id:
        raise Forbidden("Only the sponsor's lead decides what partners see.")
    now = now or timezone.now()
    starts_at = starts_at or now
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ["Say why the partner should see this (or no longer)."]
    elif len(reason) > MAX_REASON or contains_nul(reason):
        errors["reason"] = [f"At most {MAX_REASON} characters, no NUL."]
    if partner is None:
        errors["partner"] = ["Choose the partner the rule is for."]
    elif not ProjectPartner.objects.filter(project=project, organization=partner).exists():
        errors["partner"] = [f"{partner} is not a partner of {project.code}."]
    if mode not in SharingRule.Mode.values:
        errors["mode"] = [f"One of {', '.join(SharingRule.Mode.values)}."]
    if starts_at.tzinfo is None:
        errors["starts_at"] = ["Give a time zone."]
    elif starts_at < now - PAST_SLACK:
        errors["starts_at"] = ["Not in the past: what a partner saw stays as it was."]
    cleaned: list[dict[str, Any]] = []
    if mode == BINNED:
        try:
            cleaned = validate_bins(bins, assay.unit)
        except InvalidInput as exc:
            errors |= exc.errors
    elif bins:
        errors["bins"] = ["Bins are for a binned rule only."]
    if errors or partner is None:  # no partner is an error above
        raise InvalidInput("The sharing rule is not valid.", errors=errors)
    before = rule_in_force(assay, partner, now)
    rule = SharingRule.objects.create(
        project=project,
        assay=assay,
        partner=partner,
        mode=mode,
        bins=cleaned,
        starts_at=max(starts_at, now),
        reason=reason,
        created_by=actor,
        created_by_label=actor.display_name,
        created_at=now,
    )
    after = _describe(rule)
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.SHARING_RULE_SET,
        target=rule,
        changes={
            "assay": [None, assay.name],
            "partner": [None, partner.name],
            **{k: [v, after[k]] for k, v in _describe(before).items()},
        },
        reason=reason,
    )
    return rule


def history(actor: User, project: Project) -> Any:
    """Every rule of `project`, newest first (the sponsor's people only)."""
    if not sees_everything(actor, project):
        raise Forbidden("Only the sponsor's people see the sharing rules.")
    return (
        SharingRule.objects.visible_to(actor)
        .filter(project=project)
        .select_related("assay", "partner")
        .order_by("-created_at")
    )


def partners(project: Project) -> list[Organization]:
    """The partner organizations of `project`, by name."""
    return [p.organization for p in project.partners.select_related("organization")]


def grid(actor: User, project: Project, at: datetime | None = None) -> list[dict[str, Any]]:
    """Per assay, the rule in force (and the next scheduled one) for each partner."""
    if not sees_everything(actor, project):
        raise Forbidden("Only the sponsor's people see the sharing rules.")
    at = at or timezone.now()
    orgs = partners(project)
    rules = list(SharingRule.objects.filter(project=project).order_by("starts_at", "created_at"))
    rows = []
    for assay in Assay.objects.visible_to(actor).filter(project=project).order_by("name"):
        cells = []
        for org in orgs:
            mine = [r for r in rules if r.assay_id == assay.pk and r.partner_id == org.pk]
            started = [r for r in mine if r.starts_at <= at]
            cells.append(
                {
                    "partner": org,
                    "rule": started[-1] if started else None,
                    "scheduled": [r for r in mine if r.starts_at > at],
                }
            )
        rows.append({"assay": assay, "cells": cells})
    return rows
