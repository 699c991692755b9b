"""The parent step gives exactly the stock ChEMBL pipeline's output, on thousands of molecules.

The molecules are 2,000 MOSES structures (tests/chem/data/moses_2000.smi, every
100th of the first 200,000 of MOSES' training set) and, so that every branch of the
salt and solvent stripping is exercised, the same structures with salts, solvents,
isotopes, charges and repeated fragments added, chosen by a fixed seed.
"""

import random
from pathlib import Path

import pytest
from chembl_structure_pipeline import standardizer as stock
from rdkit import Chem

from cobench.chem.parent import get_parent_mol
from cobench.chem.parsing import rdkit_messages

MOSES = (Path(__file__).parent / "data" / "moses_2000.smi").read_text().split()
EXTRAS = ["Cl", "O", "[Na+]", "[Cl-]", "OC(=O)C(F)(F)F", "CS(=O)(=O)O", "O=C(O)/C=C\\C(=O)O",
          "CCO", "ClCCl", "[K+]", "O=S(=O)(O)O", "[Br-]", "CC(=O)O", "C1CCOC1"]  # fmt: skip


def _variants() -> list[str]:
    rng = random.Random(4)
    out = []
    for smi in MOSES:
        kind = rng.randrange(6)
        if kind == 1:
            smi = f"{smi}.{rng.choice(EXTRAS)}"
        elif kind == 2:
            smi = ".".join([smi, *rng.sample(EXTRAS, 2)])
        elif kind == 3:
            smi = f"{smi}.{smi}"
        elif kind == 4:
            smi = ".".join(rng.sample(EXTRAS, 2))
        elif kind == 5:
            with rdkit_messages():  # "[2H]" before an atom that has no hydrogen to spare fails
                labelled = Chem.MolFromSmiles(f"[2H]{smi}")
            smi = f"[2H]{smi}.[2H]O[2H]" if labelled is not None else f"{smi}.[2H]O[2H]"
        out.append(smi)
    return MOSES + out


def _standardized(smi: str) -> Chem.Mol:
    return stock.standardize_mol(Chem.MolFromSmiles(smi))


@pytest.mark.parametrize("chunk", range(4))
def test_parent_is_identical_to_the_stock_pipeline(chunk):
    molecules = _variants()[chunk::4]
    mismatches = []
    for smi in molecules:
        mol = _standardized(smi)
        expected, expected_exclude = stock.get_parent_mol(Chem.Mol(mol))
        got, exclude, _removed = get_parent_mol(Chem.Mol(mol))
        if (Chem.MolToMolBlock(got), exclude) != (Chem.MolToMolBlock(expected), expected_exclude):
            mismatches.append(smi)
    assert len(molecules) == 1000
    assert mismatches == []


def test_removed_fragments_are_the_salts_and_solvents():
    mol = _standardized("CC(=O)Oc1ccccc1C(=O)O.Cl.O")
    parent, _, removed = get_parent_mol(mol)
    assert Chem.MolToSmiles(parent) == "CC(=O)Oc1ccccc1C(=O)O"
    assert sorted(Chem.MolToSmiles(f) for f in removed) == ["Cl", "O"]


def test_nothing_is_removed_when_every_fragment_is_a_salt():
    parent, _, removed = get_parent_mol(_standardized("[Na+].[Cl-]"))
    assert Chem.MolToSmiles(parent) == "[Cl-].[Na+]" and removed == []
