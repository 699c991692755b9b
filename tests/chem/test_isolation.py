"""Untrusted structures run in disposable workers: a bad one is its own error, not the caller's."""

from pathlib import Path

from cobench.chem import RecordError, Standardized, parse_and_standardize_many, run_isolated
from tests.chem import workers

CORPUS = Path(__file__).parent / "corpus"
NASTY = {
    "unparsable.smi": ("invalid", "SMILES Parse Error"),
    "wrong_valence.smi": ("invalid", "Explicit valence"),
    "empty.smi": ("invalid", "empty structure"),
    "empty_atoms.mol": ("invalid", "empty molecule"),
    "atoms_2000.smi": ("invalid", "2,000 heavy atoms"),
    "malformed_sgroup.mol": ("invalid", "S group XXX"),
    "huge_fused_rings.smi": ("timeout", "gave up after 1 s"),  # about 2 s of work, over the cap
}


def test_every_nasty_input_is_a_per_record_error_and_good_records_survive():
    names = sorted(NASTY)
    records = ["CCO"] + [(CORPUS / name).read_text() for name in names] + ["CN.Cl"]
    results = parse_and_standardize_many(records, timeout_s=1.0, workers=2)
    assert isinstance(results[0], Standardized) and results[0].parent_smiles == "CCO"
    assert isinstance(results[-1], Standardized) and results[-1].parent_smiles == "CN"
    for i, name in enumerate(names, start=1):
        error = results[i]
        kind, text = NASTY[name]
        assert isinstance(error, RecordError), name
        assert (error.index, error.kind) == (i, kind), name
        assert text in f"{error.message} {' '.join(error.messages)}", name


def test_results_come_back_in_input_order():
    smiles = ["C" * n for n in range(1, 41)]
    results = parse_and_standardize_many(smiles, workers=2)
    assert [r.parent_smiles for r in results] == smiles


def test_a_hanging_item_is_stopped_and_the_rest_carry_on():
    results = run_isolated(workers.sleep_then_echo, ["a", "hang", "b"], timeout_s=0.5, workers=1)
    assert results[0] == "a" and results[2] == "b"
    assert isinstance(results[1], RecordError) and results[1].kind == "timeout"


def test_an_item_that_kills_its_worker_becomes_an_error():
    results = run_isolated(workers.kill_self_then_echo, ["a", "crash", "b", "c"], workers=2)
    assert [results[0], results[2], results[3]] == ["a", "b", "c"]
    assert results[1] == RecordError(1, "crashed", "the worker was killed by SIGKILL")


def test_an_item_over_the_memory_cap_becomes_an_error():
    results = run_isolated(workers.allocate_then_echo, ["a", "hog", "b"], memory_mb=256, workers=1)
    assert results[0] == "a" and results[2] == "b"
    assert isinstance(results[1], RecordError) and results[1].kind == "memory"


def test_an_exception_in_the_work_becomes_an_error():
    results = run_isolated(workers.fail_then_echo, ["a", "boom"], workers=1)
    assert results == ["a", RecordError(1, "error", "ValueError: boom")]


def test_no_items_start_no_workers():
    assert run_isolated(workers.echo, [], workers=2) == []
