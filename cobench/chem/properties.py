"""Calculated properties and stereochemistry of a molecule, as shown beside a compound.

The definitions are RDKit's, as ChEMBL reports them: `hbd` and `hba` are RDKit's
donor and acceptor counts, rotatable bonds exclude amide-like and terminal bonds
(RDKit's default), and Lipinski violations use Lipinski's own counts (N+O atoms as
acceptors, NH+OH as donors) against MW 500, cLogP 5, 5 donors and 10 acceptors.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdkit import Chem
from rdkit.Chem import Crippen, Descriptors, rdMolDescriptors


@dataclass(frozen=True)
class Properties:
    """The calculated properties of a structure (RDKit's definitions)."""

    formula: str
    mw: float
    exact_mass: float
    clogp: float
    tpsa: float
    hbd: int
    hba: int
    rotatable_bonds: int
    rings: int
    lipinski_violations: int


@dataclass(frozen=True)
class Stereo:
    """How much of a structure's stereochemistry is defined."""

    defined_centres: int
    undefined_centres: int
    defined_double_bonds: int
    undefined_double_bonds: int

    @property
    def fully_defined(self) -> bool:
        """No stereocentre or stereo double bond is left undefined."""
        return not (self.undefined_centres or self.undefined_double_bonds)


def properties(mol: Chem.Mol) -> Properties:
    """Formula, masses, cLogP (Crippen), TPSA, Lipinski donors/acceptors, rings, violations."""
    # Descriptors and Crippen make these at import time, out of sight of RDKit's stubs
    mw = Descriptors.MolWt(mol)  # type: ignore[attr-defined]
    clogp = Crippen.MolLogP(mol)  # type: ignore[attr-defined]
    violations = sum(
        (
            mw > 500,
            clogp > 5,
            rdMolDescriptors.CalcNumLipinskiHBD(mol) > 5,
            rdMolDescriptors.CalcNumLipinskiHBA(mol) > 10,
        )
    )
    return Properties(
        formula=rdMolDescriptors.CalcMolFormula(mol),
        mw=round(mw, 3),
        exact_mass=round(Descriptors.ExactMolWt(mol), 5),  # type: ignore[attr-defined]
        clogp=round(clogp, 3),
        tpsa=round(rdMolDescriptors.CalcTPSA(mol), 2),
        hbd=rdMolDescriptors.CalcNumHBD(mol),
        hba=rdMolDescriptors.CalcNumHBA(mol),
        rotatable_bonds=rdMolDescriptors.CalcNumRotatableBonds(mol),
        rings=rdMolDescriptors.CalcNumRings(mol),
        lipinski_violations=violations,
    )


def stereo(mol: Chem.Mol) -> Stereo:
    """Counts of defined and undefined stereocentres and stereo double bonds."""
    centres = [0, 0]
    bonds = [0, 0]
    for info in Chem.FindPotentialStereo(mol):
        defined = int(info.specified == Chem.StereoSpecified.Specified)
        if info.type == Chem.StereoType.Atom_Tetrahedral:
            centres[defined] += 1
        elif info.type == Chem.StereoType.Bond_Double:
            bonds[defined] += 1
    return Stereo(
        defined_centres=centres[1],
        undefined_centres=centres[0],
        defined_double_bonds=bonds[1],
        undefined_double_bonds=bonds[0],
    )
