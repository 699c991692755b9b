"""Reading a requested structure in a disposable worker: canonical SMILES, molfile and picture.

Pure chemistry (nothing of Django), so the worker imports only `cobench.chem`.
A structure that cannot be read, hangs or kills its worker becomes `InvalidStructure`
with RDKit's own messages; the web process carries on.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdkit import Chem

from cobench.chem import InvalidStructure, RecordError, depict_svg, parse, run_isolated

TIMEOUT_S = 10.0
MEMORY_MB = 1024


@dataclass(frozen=True)
class Structure:
    """A structure as a request keeps it: canonical SMILES, a molfile and its SVG picture."""

    smiles: str
    molblock: str
    svg: str


def read(text: str) -> Structure:
    """The structure written in `text` (SMILES or molfile), read in this process."""
    mol = parse(text)
    return Structure(
        smiles=Chem.MolToSmiles(mol), molblock=Chem.MolToMolBlock(mol), svg=depict_svg(mol)
    )


def read_isolated(text: str) -> Structure:
    """`read` in a disposable worker with a time and memory cap; raises `InvalidStructure`."""
    (result,) = run_isolated(read, [text], timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB, workers=1)
    if isinstance(result, RecordError):
        reason = result.message or "the structure could not be read"
        raise InvalidStructure(reason, result.messages)
    return result
