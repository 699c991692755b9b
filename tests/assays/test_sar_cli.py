"""`cobench sar export` and `cobench sar share`: the table and the rules from the shell."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cobench.assays.models import SharingRule

from .sharing_objects import cdk2_biology


@pytest.fixture
def bio(world):
    return cdk2_biology(world)


def _run(*args):
    out = StringIO()
    call_command("sar", *args, stdout=out)
    return out.getvalue()


def test_the_sponsor_lead_shares_bands_and_the_partner_exports_them(world, bio, tmp_path):
    said = _run(
        "share",
        "--project=PRJ-CDK2",
        "--as=alice",
        "--assay=CDK2 IC50",
        "--partner=Northbridge Chemistry",
        "--mode=binned",
        "--bin=100=potent",
        "--bin=weak",
        "--reason=Bands only",
    )
    assert "sees categories only" in said
    assert SharingRule.objects.get().bins[1] == {"upper": None, "label": "weak"}
    csv = _run("export", "--project=PRJ-CDK2", "--as=pete", "--sort=-CDK2 IC50")
    assert "weak" in csv and "136" not in csv and "Kinetic solubility" not in csv
    mine = _run("export", "--project=PRJ-CDK2", "--as=alice", "--as-partner=Northbridge Chemistry")
    assert mine == _run("export", "--project=PRJ-CDK2", "--as=pete")
    path = tmp_path / "sar.xlsx"
    assert "2 compounds" in _run(
        "export", "--project=PRJ-CDK2", "--as=alice", "--format=xlsx", "-o", str(path)
    )
    assert path.read_bytes().startswith(b"PK")


@pytest.mark.parametrize(
    "args",
    [
        [
            "share",
            "--project=PRJ-CDK2",
            "--as=paula",
            "--assay=CDK2 IC50",
            "--partner=Northbridge Chemistry",
            "--mode=full",
            "--reason=x",
        ],
        [
            "share",
            "--project=PRJ-CDK2",
            "--as=alice",
            "--assay=CDK2 IC50",
            "--partner=Kestrel Labs",
            "--mode=full",
            "--reason=x",
        ],
        [
            "share",
            "--project=PRJ-CDK2",
            "--as=alice",
            "--assay=CDK2 IC50",
            "--partner=Northbridge Chemistry",
            "--mode=binned",
            "--bin=x=y",
            "--bin=z",
            "--reason=x",
        ],
        ["export", "--project=PRJ-CDK2", "--as=oscar"],
        ["export", "--project=PRJ-CDK2", "--as=pete", "--as-partner=Northbridge Chemistry"],
        ["export", "--project=PRJ-CDK2", "--as=alice", "--format=xlsx"],
    ],
)
def test_refusals_are_said(world, bio, args):
    with pytest.raises(CommandError):
        _run(*args)
    assert not SharingRule.objects.exists()
