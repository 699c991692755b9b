"""Standardization for registration: the ChEMBL checks, standardizer and parent, and a key.

The registration key decides which structures are the same compound:

* It is the standard InChIKey of the parent (salts, solvents and isotopes removed,
  charges neutralised). Standard InChI treats mobile hydrogens as one structure, so
  tautomers such as 2-hydroxypyridine and 2-pyridone of a fully defined structure
  share a key: registering one after the other finds the first.
* Where InChI is lossy the InChIKey alone would merge structures a chemist keeps
  apart, so the key becomes ``<InChIKey>-<h>``, where ``<h>`` is the first 12 hex
  digits of the SHA-256 of the parent's canonical SMILES. That happens when
  the parent has an undefined stereocentre or stereo double bond (InChI drops
  what it cannot see, so an "unknown" centre could otherwise meet a tautomer or a
  relative of another registration), or when InChI generation gives a warning (for
  example on unusual valences or charges, where InChI may normalise away a difference).
  Such structures then match only a registration with the same canonical parent SMILES.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib.metadata import version

import rdkit
from chembl_structure_pipeline import checker
from chembl_structure_pipeline import standardizer as _stock
from rdkit import Chem
from rdkit.Chem import rdDepictor

from cobench.chem.parent import get_parent_mol
from cobench.chem.parsing import InvalidStructure, rdkit_messages
from cobench.chem.properties import stereo

VERSIONS: dict[str, str] = {
    "rdkit": rdkit.__version__,
    "chembl_structure_pipeline": version("chembl_structure_pipeline"),
}
"""Versions of the toolkits that made derived data, stored beside it."""

_HASH_DIGITS = 12


@dataclass(frozen=True)
class Issue:
    """One finding of the ChEMBL checker, shown as a warning: higher penalties are worse."""

    penalty: int
    message: str


@dataclass(frozen=True)
class Standardized:
    """A structure as registration sees it: standardized, its parent, and how to find duplicates."""

    mol: Chem.Mol
    parent: Chem.Mol
    smiles: str
    parent_smiles: str
    inchi: str
    inchikey: str
    registration_key: str
    excluded: bool
    removed_fragments: tuple[str, ...]
    issues: tuple[Issue, ...]
    inchi_warnings: tuple[str, ...]
    versions: dict[str, str] = field(default_factory=lambda: dict(VERSIONS))

    @property
    def stripped(self) -> bool:
        """Whether salts or solvents were removed to reach the parent."""
        return bool(self.removed_fragments)


def registration_key(parent: Chem.Mol, inchikey: str, inchi_warnings: tuple[str, ...]) -> str:
    """The de-duplication key of a parent: see the module's documentation for the rule."""
    s = stereo(parent)
    if s.undefined_centres or s.undefined_double_bonds or inchi_warnings:
        smiles = Chem.MolToSmiles(parent)
        return f"{inchikey}-{hashlib.sha256(smiles.encode()).hexdigest()[:_HASH_DIGITS]}"
    return inchikey


def standardize(mol: Chem.Mol, *, molblock: str | None = None) -> Standardized:
    """Check, standardize and take the parent of `mol` as ChEMBL does; or `InvalidStructure`.

    `molblock` is the molfile `mol` was read from, if any: the checker then sees the
    structure as drawn (coordinates, wedges) rather than as RDKit writes it back.
    """
    with rdkit_messages() as messages:
        try:
            molblock = molblock if molblock is not None else Chem.MolToMolBlock(mol)
            issues = tuple(Issue(int(p), str(m)) for p, m in checker.check_molblock(molblock))
            std = _stock.standardize_mol(_flat(mol))
            parent, excluded, removed = get_parent_mol(std)
            inchi, aux = _inchi(parent)
        except (ValueError, RuntimeError) as e:
            raise InvalidStructure(f"cannot standardize: {e}", tuple(messages)) from e
    if not inchi:
        raise InvalidStructure("no InChI for the parent structure", tuple(messages) + aux)
    inchikey = Chem.InchiToInchiKey(inchi)  # type: ignore[no-untyped-call]  # untyped in RDKit
    return Standardized(
        mol=std,
        parent=parent,
        smiles=Chem.MolToSmiles(std),
        parent_smiles=Chem.MolToSmiles(parent),
        inchi=inchi,
        inchikey=inchikey,
        registration_key=registration_key(parent, inchikey, aux),
        excluded=excluded,
        removed_fragments=tuple(Chem.MolToSmiles(f) for f in removed),
        issues=issues,
        inchi_warnings=aux,
    )


def _flat(mol: Chem.Mol) -> Chem.Mol:
    """A copy of `mol` the ChEMBL standardizer takes: it tidies drawings and refuses 3D
    coordinates (an SDF of minimized or docked ligands). Their stereo was read from the
    coordinates when the molfile was parsed, so a 2D layout replaces them, drawn without
    the explicit hydrogens such files carry (no wedge to an H is then needed)."""
    if not (mol.GetNumConformers() and mol.GetConformer().Is3D()):
        return Chem.Mol(mol)
    flat = Chem.RemoveHs(mol)
    flat.RemoveAllConformers()
    rdDepictor.Compute2DCoords(flat)
    return flat


def _inchi(mol: Chem.Mol) -> tuple[str, tuple[str, ...]]:
    """Standard InChI of `mol` and the warnings InChI gave making it."""
    inchi, code, message, _log, _aux = Chem.rdinchi.MolToInchi(mol)
    warnings = tuple(w.strip() for w in message.split(";") if w.strip()) if code else ()
    return inchi, warnings
