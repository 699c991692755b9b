"""`cobench demo` loads a partnership that shows every part of the product."""

import pytest

from cobench.audit.models import AuditEvent
from cobench.charters.content import gaps
from cobench.charters.models import CharterVersion
from cobench.core.permissions import Role
from cobench.demo import cast
from cobench.tenancy.models import Project, ProjectMember, User
from tests.cli.commands import cobench


@pytest.fixture
def demo(db, capsys):
    assert cobench("demo") == 0
    return capsys.readouterr().out


@pytest.fixture
def project(demo) -> Project:
    return Project.objects.get(code=cast.PROJECT_CODE)


def test_demo_prints_every_login_and_the_password(demo):
    assert cast.PASSWORD in demo
    for person in cast.PEOPLE:
        assert person.username in demo


def test_every_demo_login_works_with_the_printed_password(demo):
    for person in cast.PEOPLE:
        assert User.objects.get(username=person.username).check_password(cast.PASSWORD)


def test_every_role_is_on_the_project(project):
    roles = set(ProjectMember.objects.filter(project=project).values_list("role", flat=True))
    assert roles == set(Role.values)


def test_three_partners_on_three_continents_take_part(project):
    partners = {p.organization.name: p.organization for p in project.partners.all()}
    assert set(partners) == {cast.BOSTON.name, cast.HYDERABAD.name, cast.BASEL.name}
    assert partners[cast.BASEL.name].time_zone == "Europe/Zurich"
    assert partners[cast.BOSTON.name].time_zone == "America/New_York"
    assert partners[cast.HYDERABAD.name].time_zone == "Asia/Kolkata"
    assert project.sponsor.time_zone == "Europe/Berlin"


def test_people_see_times_in_their_own_time_zone(demo):
    zones = {u.username: u.time_zone for u in User.objects.all()}
    assert zones["helena"] == "Europe/Berlin"
    assert zones["brian"] == "America/New_York"
    assert zones["priya"] == "Asia/Kolkata"


def test_charter_v1_is_signed_by_the_sponsor_lead_and_both_partner_leads(project):
    v1 = CharterVersion.objects.get(project=project, number=1)
    assert v1.signed_at is not None
    signers = {s.signer.username: s.side for s in v1.signatures.all()}
    assert signers == {"helena": "sponsor", "brian": "partner", "priya": "partner"}
    assert gaps(v1.parsed) == []


def test_charter_v2_is_an_unsigned_draft_with_a_reason(project):
    v2 = CharterVersion.objects.get(project=project, number=2)
    assert v2.signed_at is None and not v2.signatures.exists()
    assert v2.reason.strip()
    assert CharterVersion.objects.filter(project=project).count() == 2


def test_the_audit_trail_is_intact_after_loading(demo, capsys):
    assert cobench("audit", "verify") == 0
    assert "audit trail intact" in capsys.readouterr().out


def test_the_whole_load_is_one_action(demo):
    assert AuditEvent.objects.exists()
    assert AuditEvent.objects.values("request_id").distinct().count() == 1


def test_demo_leaves_a_database_with_other_data_alone(db, capsys):
    assert cobench("demo") == 0
    Project.objects.filter(code=cast.PROJECT_CODE).update(code="PRJ-OWN")  # someone's own data
    assert cobench("demo") == 0
    assert "not loaded" in capsys.readouterr().out
    assert not Project.objects.filter(code=cast.PROJECT_CODE).exists()


def test_reset_wipes_everything_and_loads_again(transactional_db, capsys):
    # transactional: a reset follows a committed load, as it does outside tests
    assert cobench("demo") == 0
    before = AuditEvent.objects.count()
    assert cobench("demo", "--reset") == 0
    assert Project.objects.count() == 1
    assert User.objects.count() == len(cast.PEOPLE)
    assert AuditEvent.objects.count() == before
    assert cobench("audit", "verify") == 0


def test_the_demo_registry_holds_the_cdk2_set_and_made_requests_link_it(project):
    from cobench.compound_requests.models import CompoundRequest
    from cobench.compounds.models import Compound

    assert Compound.objects.in_project(project, seen_by=None).count() == 47
    linked = CompoundRequest.objects.filter(project=project).exclude(compound=None)
    assert sorted(linked.values_list("state", flat=True)) == [
        "made",
        "received",
        "shipped",
        "tested",
    ]


def test_the_biology_partner_sees_coded_samples_and_none_of_the_chemists_work(project, api):
    from cobench.assays.models import Assay, Result
    from cobench.status.models import StatusDocument

    lukas = User.objects.get(username="lukas")
    client = api(lukas)
    listed = client.get(f"/api/v1/projects/{project.id}/compounds?page_size=100").json()
    assert listed["count"] == 47
    assert all(c["coded"] and not c["smiles"] for c in listed["items"])
    beacon = StatusDocument.objects.get(project=project, organization__name=cast.BOSTON.name)
    assert client.get(f"/api/v1/status-documents/{beacon.id}").status_code == 404
    assert client.get(f"/api/v1/projects/{project.id}/requests").json()["count"] == 0
    cellular = Assay.objects.get(project=project, endpoint="EC50")
    assert cellular.owner.name == cast.BASEL.name
    assert Result.objects.filter(assay=cellular, created_by=lukas).exists()
    assert [a["name"] for a in client.get(f"/api/v1/projects/{project.id}/assays").json()] == [
        cellular.name
    ]
