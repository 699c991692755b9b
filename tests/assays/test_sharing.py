"""The sponsor decides what each partner sees of each assay: full, binned or hidden."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cobench.assays import sharing
from cobench.assays.models import Assay, Result, SharingRule
from cobench.audit.models import AuditEvent
from cobench.core.errors import Forbidden, InvalidInput, NotFound

from .sharing_objects import POTENCY_BINS, cdk2_biology, share

BINS = POTENCY_BINS


@pytest.fixture
def bio(world):
    return cdk2_biology(world)


def assay_names(user):
    return set(Assay.objects.visible_to(user).values_list("name", flat=True))


def values(user):
    return sorted(Result.objects.visible_to(user).values_list("value", flat=True))


def test_by_default_a_partner_sees_no_assay_and_no_value(world, bio):
    for user in (world.partner_lead, world.partner_scientist):
        assert assay_names(user) == set() and values(user) == []


@pytest.mark.parametrize("who", ["sponsor_lead", "sponsor_scientist", "executive", "auditor"])
def test_the_sponsors_people_see_every_assay_and_value(world, bio, who):
    user = getattr(world, who)
    assert assay_names(user) == {"CDK2 IC50", "Kinetic solubility"}
    assert len(values(user)) == 4


def test_full_shows_the_raw_values_binned_lists_the_assay_without_values(world, bio):
    share(world, bio.potency, "binned")
    assert assay_names(world.partner_scientist) == {"CDK2 IC50"}
    assert values(world.partner_scientist) == []
    share(world, bio.potency, "full")
    assert values(world.partner_lead) == [123.456789, 150.0, 10000.0]
    share(world, bio.potency, "hidden", reason="Paused")
    assert assay_names(world.partner_lead) == set() and values(world.partner_lead) == []


def test_members_of_another_project_and_outsiders_see_nothing(world, bio):
    share(world, bio.potency, "full")
    for user in (world.other_member, world.outsider, None):
        assert assay_names(user) == set() and values(user) == []


def test_a_scheduled_rule_takes_effect_at_its_start(world, bio):
    now = timezone.now()
    share(world, bio.potency, "full", starts_at=now + timedelta(days=2))
    assert values(world.partner_lead) == []
    assert sharing.rule_in_force(bio.potency, world.partner, now) is None
    assert sharing.rule_in_force(bio.potency, world.partner, now + timedelta(days=3)).mode == "full"


def test_a_rule_is_audited_with_its_reason_and_what_was_in_force(world, bio):
    share(world, bio.potency, "binned", reason="Hinge binders only")
    rule = share(world, bio.potency, "full", reason="Charter signed")
    event = AuditEvent.objects.get(target_id=str(rule.id))
    assert event.event == "sharing_rule.set" and event.reason == "Charter signed"
    assert event.changes["mode"] == ["binned", "full"]
    assert event.changes["partner"] == [None, "Northbridge Chemistry"]


@pytest.mark.parametrize("who", ["sponsor_scientist", "executive", "partner_lead"])
def test_only_the_sponsor_lead_sets_rules(world, bio, who):
    with pytest.raises(Forbidden):
        sharing.set_rule(
            actor=getattr(world, who),
            assay=bio.potency,
            partner=world.partner,
            mode="full",
            reason="x",
        )


def test_an_outsider_cannot_tell_the_assay_exists(world, bio):
    with pytest.raises(NotFound):
        sharing.set_rule(
            actor=world.outsider, assay=bio.potency, partner=world.partner, mode="full", reason="x"
        )


@pytest.mark.parametrize(
    "change, field",
    [
        ({"reason": " "}, "reason"),
        ({"mode": "partial"}, "mode"),
        ({"mode": "binned", "bins": None}, "bins"),
        ({"mode": "full", "bins": BINS}, "bins"),
        ({"starts_at": timezone.now() - timedelta(days=1)}, "starts_at"),
        ({"partner": "other_partner"}, "partner"),
    ],
)
def test_bad_rules_are_refused_and_nothing_is_written(world, bio, change, field):
    kwargs = {"mode": "full", "reason": "ok", "partner": world.partner} | change
    if kwargs["partner"] == "other_partner":
        kwargs["partner"] = world.other_partner
    with pytest.raises(InvalidInput) as err:
        sharing.set_rule(actor=world.sponsor_lead, assay=bio.potency, **kwargs)
    assert field in err.value.errors
    assert not SharingRule.objects.exists()


@pytest.mark.parametrize(
    "bins",
    [
        [],
        [{"upper": None, "label": "all"}],
        [{"upper": 100, "label": "a"}, {"upper": 50, "label": "b"}, {"upper": None, "label": "c"}],
        [{"upper": 100, "label": "a"}, {"upper": 200, "label": "b"}],
        [{"upper": "100", "label": "a"}, {"upper": None, "label": "b"}],
        [{"upper": float("nan"), "label": "a"}, {"upper": None, "label": "b"}],
        [{"upper": 100, "label": ""}, {"upper": None, "label": "b"}],
        [{"upper": 100, "label": "a"}, {"upper": None, "label": "a"}],
        [{"upper": 100, "label": "a", "value": 3}, {"upper": None, "label": "b"}],
        [{"upper": 100, "label": "x" * 61}, {"upper": None, "label": "b"}],
        "< 100 nM",
        [{"upper": 1, "label": str(i)} for i in range(13)],
    ],
)
def test_bins_must_ascend_with_labels_and_end_open(bins):
    with pytest.raises(InvalidInput):
        sharing.validate_bins(bins, "nM")


@pytest.mark.parametrize(
    "qualifier, value, label",
    [
        ("=", 12, "< 100 nM"),
        ("=", 100, "100 nM – 1 µM"),
        ("~", 999.9, "100 nM – 1 µM"),
        ("=", 1000, "> 1 µM"),
        (">", 10000, "> 1 µM"),  # the whole range lies in the open-ended bin
        (">", 1000, "> 1 µM"),
        (">", 500, "> 100 nM"),  # spans two bins: the bound the bins allow, not 500
        (">", 50, "unclassified (> a bound)"),
        ("<", 50, "< 100 nM"),
        ("<", 100, "< 100 nM"),
        ("<", 500, "< 1000 nM"),
        ("<", 5000, "unclassified (< a bound)"),
    ],
)
def test_a_label_is_qualifier_aware_and_never_shows_the_value(qualifier, value, label):
    assert sharing.bin_label(value, qualifier, BINS, "nM") == label


def test_labels_sort_in_bin_order():
    keys = [
        sharing.bin_order(v, q, BINS)
        for q, v in [("<", 50), ("=", 50), (">", 500), ("=", 500), ("=", 5000), (">", 5000)]
    ]
    assert keys == sorted(keys)


def test_the_trail_keeps_assays_values_and_rules_from_partners(world, bio, api):
    share(world, bio.potency, "binned", reason="Secret reason")
    path = f"/api/v1/projects/{world.project.id}/audit?page_size=500"
    assert "123.456789" in api(world.auditor).get(path).content.decode()
    seen = api(world.partner_lead).get(path).content.decode()
    assert "123.456789" not in seen and "Secret reason" not in seen
    assert "Kinetic solubility" not in seen
