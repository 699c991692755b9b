"""`cobench assays import`: the same import from the shell, with its report and exit status."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cobench.assays.models import Result

from ..compounds.objects import register
from .objects import new_assay


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("assays", "import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_then_import(world, tmp_path):
    assay = new_assay(world)
    rid = register(world).compound.registry_id
    path = tmp_path / "plate.csv"
    path.write_text(f"Compound ID,Result (nM),Date\n{rid},12,2026-03-01\n{rid},>1000,2026-03-01\n")
    common = [str(path), "--project=PRJ-CDK2", "--as=sam", f"--assay={assay.name}"]
    maps = ["--map", "registry_id=Compound ID", "--map", "value=Result (nM)"]
    out, _ = _run(*common, *maps, "--map", "run_date=Date", "--dry-run")
    assert "2 rows, 0 bad" in out and "Dry run: nothing was written." in out
    assert not Result.objects.exists()
    out, err = _run(*common, *maps, "--map", "run_date=Date")
    assert "Imported 2 results into PRJ-CDK2" in out and "importing" in err
    assert Result.objects.count() == 2


def test_bad_rows_fail_with_the_row_numbers(world, tmp_path):
    assay = new_assay(world)
    rid = register(world).compound.registry_id
    path = tmp_path / "plate.csv"
    path.write_text(f"registry_id,value\n{rid},12\n{rid},lots\n")
    with pytest.raises(CommandError, match="1 rows are bad: nothing was imported"):
        _run(str(path), "--project=PRJ-CDK2", "--as=sam", f"--assay={assay.name}")
    assert not Result.objects.exists()


def test_unknown_assay_project_or_person(world, tmp_path):
    path = tmp_path / "plate.csv"
    path.write_text("registry_id,value\nCB-000001,1\n")
    with pytest.raises(CommandError, match="No assay 'Nope'"):
        _run(str(path), "--project=PRJ-CDK2", "--as=sam", "--assay=Nope")
    with pytest.raises(CommandError, match="No project"):
        _run(str(path), "--project=PRJ-CDK2", "--as=oscar", "--assay=Nope")
    with pytest.raises(CommandError, match="not target=column"):
        new_assay(world)
        _run(str(path), "--project=PRJ-CDK2", "--as=sam", "--assay=CDK2 IC50", "--map", "value")
