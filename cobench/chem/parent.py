"""The ChEMBL parent step (isotopes, solvents, salts, charges) with its patterns compiled once.

`chembl_structure_pipeline.standardizer.get_parent_mol` reads and compiles its
solvent and salt SMARTS from disk on every call, which is most of the pipeline's
time. :func:`get_parent_mol` here follows the same steps in the same order on the
same pattern files, compiled once per process, and its output is identical (a
golden test compares the two on thousands of molecules). It also reports which
fragments were removed, so salts and solvents can be recorded beside the parent.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from chembl_structure_pipeline import standardizer as _stock
from chembl_structure_pipeline.exclude_flag import exclude_flag
from rdkit import Chem

_FRAGMENT_SANITIZE_OPS = (
    Chem.SANITIZE_SYMMRINGS
    | Chem.SANITIZE_FINDRADICALS
    | Chem.SANITIZE_SETAROMATICITY
    | Chem.SANITIZE_ADJUSTHS
)


@dataclass(frozen=True)
class _Pattern:
    name: str
    query: Chem.Mol
    atoms: int
    bonds: int


def _read_patterns(path: str) -> tuple[_Pattern, ...]:
    # The same reading rules as the stock pipeline: skip comments, keep "name<TAB>SMARTS" lines.
    patterns = []
    with open(path) as inf:
        for line in inf:
            if not line or line[0] == "#":
                continue
            fields = line.strip().split("\t")
            if len(fields) != 2:
                continue
            query = Chem.MolFromSmarts(fields[1])
            patterns.append(_Pattern(fields[0], query, query.GetNumAtoms(), query.GetNumBonds()))
    return tuple(patterns)


@functools.cache
def solvents() -> tuple[_Pattern, ...]:
    """The pipeline's solvent patterns, in file order, compiled on first use."""
    return _read_patterns(_stock._solvents_file)


@functools.cache
def salts() -> tuple[_Pattern, ...]:
    """The pipeline's salt patterns, in file order, compiled on first use."""
    return _read_patterns(_stock._salts_file)


def _strip(frags: list[Chem.Mol], patterns: tuple[_Pattern, ...]) -> list[int]:
    """1 for each fragment that matches none of `patterns` exactly (same size), else 0."""
    keep = [1] * len(frags)
    sizes = [(f.GetNumAtoms(), f.GetNumBonds()) for f in frags]
    for pattern in patterns:
        for i, frag in enumerate(frags):
            if (
                keep[i]
                and sizes[i] == (pattern.atoms, pattern.bonds)
                and frag.HasSubstructMatch(pattern.query)
            ):
                keep[i] = 0
        if not max(keep):
            break
    return keep


def _combine(frags: list[Chem.Mol]) -> Chem.Mol:
    res = frags[0]
    for frag in frags[1:]:
        res = Chem.CombineMols(res, frag)
    return res


def _fragment_smiles(frag: Chem.Mol, neutralize: bool) -> str:
    """The stock pipeline's SMILES of a kept fragment, used to see whether the kept ones differ."""
    cfrag = _stock.uncharge_mol(frag) if neutralize else Chem.Mol(frag)
    cfrag = Chem.RemoveHs(cfrag, sanitize=False)
    # aromaticity perception for a reasonable SMILES, without risking a full sanitization
    cfrag.ClearComputedProps()
    cfrag.UpdatePropertyCache(False)
    Chem.SanitizeMol(cfrag, sanitizeOps=_FRAGMENT_SANITIZE_OPS)
    return str(Chem.MolToSmiles(cfrag))


def get_fragment_parent_mol(
    m: Chem.Mol, *, check_exclusion: bool = False, neutralize: bool = False
) -> tuple[Chem.Mol, bool, list[Chem.Mol]]:
    """The stock fragment parent of `m`, whether it is excluded, and the fragments removed."""
    input_frags = list(Chem.GetMolFrags(m, asMols=True, sanitizeFrags=False))
    frags = []
    for frag in input_frags:
        frag = Chem.RemoveHs(frag, sanitize=False)
        frag.UpdatePropertyCache(strict=False)
        Chem.SetAromaticity(frag)
        frags.append(frag)
    keep = _strip(frags, solvents())
    if not max(keep):
        # Everything is a solvent: the parent is the input molecule.
        exclude = (
            bool(exclude_flag(m, includeRDKitSanitization=False)) if check_exclusion else False
        )
        res = _stock.uncharge_mol(m) if neutralize else Chem.Mol(m)
        return res, exclude, []
    removed = [f for f, k in zip(input_frags, keep, strict=True) if not k]
    frags = [f for f, k in zip(frags, keep, strict=True) if k]
    input_frags = [f for f, k in zip(input_frags, keep, strict=True) if k]

    keep = _strip(frags, salts())
    if not max(keep):
        keep = [1] * len(frags)  # everything is a salt: keep everything
    kept = [i for i, k in enumerate(keep) if k]
    if len(kept) == 1 or len({_fragment_smiles(input_frags[i], neutralize) for i in kept}) == 1:
        # One distinct fragment left (copies of one fragment count once): it is the parent.
        res = input_frags[kept[0]]
    else:
        res = _combine([input_frags[i] for i in kept])
    exclude = bool(exclude_flag(res, includeRDKitSanitization=False)) if check_exclusion else False
    if exclude:
        # Still excluded after stripping salts: back to the parent after solvent stripping.
        res = _combine(input_frags)
    else:
        removed += [f for f, k in zip(input_frags, keep, strict=True) if not k]
    if neutralize:
        res = _stock.uncharge_mol(res)
    return res, exclude, removed


def get_parent_mol(
    m: Chem.Mol, *, neutralize: bool = True, check_exclusion: bool = True
) -> tuple[Chem.Mol, bool, list[Chem.Mol]]:
    """As the stock `get_parent_mol(m)`, plus the salt and solvent fragments that were removed."""
    isotope_parent = _stock.get_isotope_parent_mol(m)
    return get_fragment_parent_mol(
        isotope_parent, check_exclusion=check_exclusion, neutralize=neutralize
    )
