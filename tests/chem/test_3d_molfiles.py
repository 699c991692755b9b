"""A molfile with 3D coordinates (an SDF of minimized or docked ligands, such as the demo's
CDK2 set) registers as the same compound as its 2D drawing or SMILES, stereo included."""

from pathlib import Path

import pytest
from rdkit import Chem

import cobench
from cobench.chem import parse, standardize

CDK2 = Path(cobench.__file__).parent / "demo" / "data" / "cdk2.sdf"


def _records() -> dict[str, str]:
    """The set's molfiles by ZINC id, as written in the file (3D, explicit hydrogens)."""
    blocks = CDK2.read_text().split("$$$$\n")
    return {b.split("\n", 1)[0]: b.split("M  END")[0] + "M  END\n" for b in blocks if b.strip()}


@pytest.mark.parametrize(
    ("zinc_id", "smiles"),
    [
        ("ZINC01649340", "CC[C@H](CO)Nc1nc(NCc2ccccc2)c2ncn(C(C)C)c2n1"),  # roscovitine
        ("ZINC03814467", "COc1ccc2c(c1)/C(=C/c1cnc[nH]1)C(=O)N2"),  # a Z-configured oxindole
    ],
)
def test_a_3d_record_standardizes_like_its_smiles(zinc_id, smiles):
    molblock = _records()[zinc_id]
    assert " 3D" in molblock.split("\n")[1]
    as_3d = standardize(parse(molblock), molblock=molblock)
    as_smiles = standardize(parse(smiles))
    assert as_3d.parent_smiles == as_smiles.parent_smiles == Chem.CanonSmiles(smiles)
    assert as_3d.registration_key == as_smiles.registration_key
