"""`cobench search` prints a table of what the user may see."""

import pytest
from django.core.management import CommandError, call_command

from .objects import CDK2_SERIES, KRAS_ONLY


def _run(capsys, *args):
    call_command("search", *args)
    return capsys.readouterr()


def test_similarity_from_the_shell(capsys, world, compounds):
    out = _run(capsys, "--as", "alice", "--query", CDK2_SERIES["roscovitine"], "--top", "2")
    lines = out.out.splitlines()
    assert lines[0].startswith("registry id")
    assert lines[1].split()[:3] == [compounds["roscovitine"].registry_id, "1.000", "PRJ-CDK2"]
    assert "2 hits" in out.err and "first 2 hits of more" in out.err


def test_the_shell_never_shows_another_projects_compound(capsys, world, compounds):
    out = _run(capsys, "--as", "alice", "--mode", "substructure", "--query", "*")
    assert compounds["kras"].registry_id not in out.out
    with pytest.raises(CommandError, match="No project"):
        _run(capsys, "--as", "alice", "--query", KRAS_ONLY, "--project", "PRJ-KRAS")


def test_a_bad_query_is_a_clear_error(capsys, world, compounds):
    with pytest.raises(CommandError, match="not a valid SMILES or SMARTS"):
        _run(capsys, "--as", "alice", "--mode", "substructure", "--query", "C1CC(")
