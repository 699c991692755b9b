"""The SAR table page and the sharing-rules page, through the browser's door."""

import pytest

from cobench.assays.models import SharingRule

from .sharing_objects import cdk2_biology, share


@pytest.fixture
def bio(world):
    return cdk2_biology(world)


def test_the_sponsor_sees_the_table_with_values_and_n(world, bio, web):
    page = web(world.sponsor_scientist).get(f"/projects/{world.project.id}/sar/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "136 nM (n=2)" in body and "Kinetic solubility" in body
    assert bio.compounds[0].registry_id in body and "<svg" in body


def test_a_binned_partner_sees_categories_and_no_hidden_assay(world, bio, web):
    share(world, bio.potency, "binned")
    body = web(world.partner_scientist).get(f"/projects/{world.project.id}/sar/").content.decode()
    assert "100 nM – 1 µM" in body and "136 nM" not in body and "123.46" not in body
    assert "Kinetic solubility" not in body
    assert "What does this partner see" not in body


def test_the_preview_and_the_query_string_keep_the_choices(world, bio, web):
    share(world, bio.potency, "binned")
    path = (
        f"/projects/{world.project.id}/sar/?as_partner={world.partner.id}"
        f"&col=mw&col={bio.potency.id}&sort=-{bio.potency.id}"
    )
    body = web(world.sponsor_lead).get(path).content.decode()
    assert "as Northbridge Chemistry sees it" in body
    assert "100 nM – 1 µM" in body and "136 nM" not in body and "cLogP</a>" not in body
    assert web(world.partner_lead).get(path).status_code == 403


def test_the_page_filters_by_value_and_exports(world, bio, web):
    path = f"/projects/{world.project.id}/sar/?min.{bio.potency.id}=&max.{bio.potency.id}=1000"
    body = web(world.sponsor_lead).get(path).content.decode()
    assert bio.compounds[0].registry_id in body and bio.compounds[1].registry_id not in body
    export = web(world.sponsor_lead).get(path + "&format=csv")
    assert export["Content-Type"].startswith("text/csv")
    assert bio.compounds[1].registry_id not in export.content.decode()


@pytest.mark.parametrize(
    "query",
    ["sort=nonsense", "range=x:y", "threshold=abc", "as_partner=not-an-id", "columns=inchi"],
)
def test_bad_parameters_are_said_not_crashed_on(world, bio, web, query):
    page = web(world.sponsor_lead).get(f"/projects/{world.project.id}/sar/?{query}")
    assert page.status_code == 422
    assert 'role="alert"' in page.content.decode()


def test_the_sponsor_lead_sets_a_binned_rule_on_the_sharing_page(world, bio, web):
    client = web(world.sponsor_lead)
    path = f"/projects/{world.project.id}/sharing/"
    form = {
        "assay_id": bio.potency.id,
        "partner_id": world.partner.id,
        "mode": "binned",
        "bins": "100 potent\n1000 moderate\nweak",
        "reason": "Bands for the chemists",
    }
    assert client.post(path, form).status_code == 302
    rule = SharingRule.objects.get()
    assert rule.bins[0] == {"upper": 100.0, "label": "potent"} and rule.bins[2]["upper"] is None
    body = client.get(path).content.decode()
    assert "Bands for the chemists" in body and "Categories only" in body
    partner = web(world.partner_lead).get(f"/projects/{world.project.id}/sar/").content.decode()
    assert "moderate" in partner


def test_bad_rules_are_shown_on_the_form(world, bio, web):
    path = f"/projects/{world.project.id}/sharing/"
    form = {"assay_id": bio.potency.id, "partner_id": world.partner.id, "mode": "binned"}
    page = web(world.sponsor_lead).post(path, form | {"bins": "abc x\nweak", "reason": "x"})
    assert page.status_code == 422 and not SharingRule.objects.exists()
    page = web(world.sponsor_lead).post(path, form | {"bins": "10 a\nb", "reason": ""})
    assert page.status_code == 422 and "reason" in page.content.decode()


@pytest.mark.parametrize("who", ["partner_lead", "sponsor_scientist"])
def test_only_the_sponsor_lead_changes_rules(world, bio, web, who):
    path = f"/projects/{world.project.id}/sharing/"
    form = {
        "assay_id": bio.potency.id,
        "partner_id": world.partner.id,
        "mode": "full",
        "reason": "x",
    }
    page = web(getattr(world, who)).post(path, form)
    assert page.status_code in (403, 404) and not SharingRule.objects.exists()


@pytest.mark.parametrize(
    ("partner", "said"),
    [
        ("outsider", "Not a partner of this project."),
        ("not-an-id", "Not a partner of this project."),
        ("", "Choose the partner the rule is for."),
    ],
)
def test_the_sharing_page_names_a_partner_that_is_not_the_projects(world, bio, web, partner, said):
    partner_id = world.outsider_org.id if partner == "outsider" else partner
    form = {
        "assay_id": bio.potency.id,
        "partner_id": partner_id,
        "mode": "full",
        "reason": "Full values for the chemists",
    }
    page = web(world.sponsor_lead).post(f"/projects/{world.project.id}/sharing/", form)
    assert page.status_code == 422
    assert said in page.content.decode() and not SharingRule.objects.exists()
