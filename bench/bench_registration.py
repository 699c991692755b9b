"""Registration: cobench's full bulk import against the stock ChEMBL pipeline, molecule by molecule.

The stock ChEMBL structure pipeline runs molecule by molecule in this process
(check_molblock + standardize_mol + get_parent_mol + InChIKey, no database), as a
script would. cobench imports the same molecules as a SMILES file through
`cobench.compounds.imports` (bench/registry.py `populate`): parse, check,
standardize, parent, registration key, properties and picture in disposable
workers on every core, while the main process de-duplicates and stores each
batch (compounds, project links, lots and their audit events) in the SQLite
database. The ratio is cobench's rate over the stock rate (target: at least 1.5),
and every stored compound must match the stock pipeline's output for the molecule
that created it (parent SMILES, InChIKey, exclusion flag, checker findings); a
molecule that became a lot of an earlier compound must share its InChIKey. The two
take turns on four slices of the molecules, so that other work on the machine
weighs on both alike.
Molecules: the first N of MOSES (bench/moses.py): 20,000, or 500 with --quick.
With --full it also builds (once; cached under var/) the registry of 1,000,000
MOSES molecules that the search benchmarks use, and reports how long that took.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import moses
import registry
from chembl_structure_pipeline import checker
from chembl_structure_pipeline import standardizer as stock
from rdkit import Chem

from cobench.chem import VERSIONS
from cobench.chem.isolation import default_workers

Output = tuple[str, str, bool, tuple[str, ...]]
EXCLUDED = "The ChEMBL pipeline excludes this structure from parent generation."


def _stock(smiles: str) -> Output:
    mol = Chem.MolFromSmiles(smiles)
    issues = tuple(f"{m} (penalty {p})" for p, m in checker.check_molblock(Chem.MolToMolBlock(mol)))
    std = stock.standardize_mol(mol)
    parent, exclude = stock.get_parent_mol(std)
    return Chem.MolToSmiles(parent), Chem.MolToInchiKey(parent), bool(exclude), issues


def _stored(compound: Any) -> Output:
    issues = tuple(w for w in compound.warnings if w.endswith(")") and "(penalty " in w)
    return compound.smiles, compound.inchikey, EXCLUDED in compound.warnings, issues


def run(*, quick: bool, full: bool = False) -> Iterator[dict[str, Any]]:
    from cobench.compounds.models import Lot

    n = 500 if quick else 20_000
    rounds = 1 if quick else 4  # alternated, so a change in the machine's load hits both alike
    smiles = moses.smiles(n)
    workers = default_workers()
    user, project = registry.world(workers=workers)
    expected: list[Output] = []
    stock_s = cobench_s = 0.0
    new = failed = 0
    size = n // rounds
    for r in range(rounds):
        chunk = smiles[r * size : (r + 1) * size]
        started = time.perf_counter()
        expected += [_stock(s) for s in chunk]
        stock_s += time.perf_counter() - started
        result = registry.import_smiles(user, project, chunk, first=r * size + 1)
        cobench_s += result["seconds"]
        new, failed = new + result["job"].new_compounds, failed + result["job"].failed

    lots = Lot.objects.filter(project=project).select_related("compound")
    by_record = {int(lot.notes.rsplit("-", 1)[1]): lot for lot in lots}
    mismatches, deduplicated = 0, 0
    for i, want in enumerate(expected, start=1):
        lot = by_record.get(i)
        if lot is None:
            mismatches += 1
        elif lot.number == 1:
            mismatches += _stored(lot.compound) != want
        else:
            deduplicated += 1
            mismatches += lot.compound.inchikey != want[1]

    yield {
        "name": "registration_import",
        "molecules": n,
        "workers": workers,
        "stock_per_s": round(n / stock_s, 1),
        "cobench_per_s": round(n / cobench_s, 1),
        "ratio": round(stock_s / cobench_s, 3),
        "mismatches": mismatches,
        "compounds": new,
        "deduplicated": deduplicated,
        "errors": failed,
        **VERSIONS,
    }
    if full:
        yield registry.build_report(1_000_000)
