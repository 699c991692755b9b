"""Registration chemistry: cobench's isolated parallel standardization against the stock pipeline.

The stock ChEMBL structure pipeline runs molecule by molecule in this process
(check_molblock + standardize_mol + get_parent_mol + InChIKey), as a script would;
cobench's `parse_and_standardize_many` does the same work and more (registration key,
removed fragments, stereo) in disposable worker processes on every core. The ratio
is cobench's rate over the stock rate (target: at least 1.5), and every molecule's
output (parent SMILES, InChIKey, exclusion flag, checker issues) must be identical.
Molecules: the first N of MOSES (bench/moses.py), 20,000 by default, 500 with --quick.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import moses
from chembl_structure_pipeline import checker
from chembl_structure_pipeline import standardizer as stock
from rdkit import Chem

from cobench.chem import VERSIONS, Standardized, parse, parse_and_standardize_many, standardize
from cobench.chem.isolation import default_workers

Output = tuple[str, str, bool, tuple[tuple[int, str], ...]]


def _stock(smiles: str) -> Output:
    mol = Chem.MolFromSmiles(smiles)
    issues = tuple((int(p), str(m)) for p, m in checker.check_molblock(Chem.MolToMolBlock(mol)))
    std = stock.standardize_mol(mol)
    parent, exclude = stock.get_parent_mol(std)
    return Chem.MolToSmiles(parent), Chem.MolToInchiKey(parent), bool(exclude), issues


def _ours(result: Any) -> Output | None:
    if not isinstance(result, Standardized):
        return None
    issues = tuple((i.penalty, i.message) for i in result.issues)
    return result.parent_smiles, result.inchikey, result.excluded, issues


def run(*, quick: bool) -> Iterator[dict[str, Any]]:
    n = 500 if quick else 20_000
    smiles = moses.smiles(n)
    workers = default_workers()

    started = time.perf_counter()
    expected = [_stock(s) for s in smiles]
    stock_rate = n / (time.perf_counter() - started)

    started = time.perf_counter()
    results = parse_and_standardize_many(smiles, workers=workers)
    rate = n / (time.perf_counter() - started)
    mismatches = sum(_ours(r) != e for r, e in zip(results, expected, strict=True))

    serial_n = n // 10  # cobench's steps in this process, one core: what the parent step saves
    started = time.perf_counter()
    for s in smiles[:serial_n]:
        standardize(parse(s))
    serial_rate = serial_n / (time.perf_counter() - started)

    yield {
        "name": "registration_standardize",
        "molecules": n,
        "workers": workers,
        "stock_per_s": round(stock_rate, 1),
        "cobench_per_s": round(rate, 1),
        "cobench_one_core_per_s": round(serial_rate, 1),
        "ratio": round(rate / stock_rate, 3),
        "mismatches": mismatches,
        "errors": sum(not isinstance(r, Standardized) for r in results),
        **VERSIONS,
    }
