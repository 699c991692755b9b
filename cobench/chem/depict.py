"""Pictures of structures: SVG text from RDKit's drawing code, the same bytes for the same input."""

from __future__ import annotations

from rdkit import Chem
from rdkit.Chem import rdDepictor
from rdkit.Chem.Draw import rdMolDraw2D


def depict_svg(
    mol: Chem.Mol, *, highlight: Chem.Mol | None = None, size: tuple[int, int] = (300, 200)
) -> str:
    """SVG of `mol`; atoms and bonds of the first match of the query `highlight` are highlighted."""
    drawer = rdMolDraw2D.MolDraw2DSVG(*size)
    options = drawer.drawOptions()
    options.clearBackground = False  # type: ignore[assignment]  # the stubs type it as MolDrawOptions
    atoms: list[int] = []
    bonds: list[int] = []
    if highlight is not None and (match := mol.GetSubstructMatch(highlight)):
        atoms = list(match)
        for qbond in highlight.GetBonds():
            bond = mol.GetBondBetweenAtoms(
                match[qbond.GetBeginAtomIdx()], match[qbond.GetEndAtomIdx()]
            )
            if bond is not None:
                bonds.append(bond.GetIdx())
    # A fixed 2D layout (no random coordinates) keeps the drawing deterministic.
    copy = Chem.Mol(mol)
    if not copy.GetNumConformers() or copy.GetConformer().Is3D():
        rdDepictor.Compute2DCoords(copy)
    rdMolDraw2D.PrepareAndDrawMolecule(drawer, copy, highlightAtoms=atoms, highlightBonds=bonds)
    drawer.FinishDrawing()
    return str(drawer.GetDrawingText())
