"""Parsing, standardization for registration, properties, stereo and pictures."""

import re

import pytest
from rdkit import Chem
from rdkit.Chem import rdDepictor

from cobench.chem import (
    VERSIONS,
    InvalidStructure,
    Issue,
    depict_svg,
    parse,
    parse_and_standardize_many,
    properties,
    standardize,
    stereo,
)

ASPIRIN = "CC(=O)Oc1ccccc1C(=O)O"


def test_parse_reads_smiles_and_both_molfile_versions():
    mol = parse(ASPIRIN)
    for molfile in (Chem.MolToMolBlock(mol), Chem.MolToV3KMolBlock(mol)):
        assert Chem.MolToSmiles(parse(molfile)) == Chem.MolToSmiles(mol)
        assert Chem.MolToSmiles(parse(molfile, fmt="molfile")) == Chem.MolToSmiles(mol)


def test_parse_raises_with_rdkits_own_message_instead_of_returning_none():
    with pytest.raises(InvalidStructure) as e:
        parse("C(C)(C)(C)(C)C")
    assert e.value.messages == ("Explicit valence for atom # 0 C, 5, is greater than permitted",)
    assert "Explicit valence" in str(e.value)


def test_rdkit_messages_are_captured_not_printed(capfd):
    with pytest.raises(InvalidStructure):
        parse("c1cccc1")
    assert "kekulize" not in capfd.readouterr().err


def test_empty_and_oversized_structures_are_refused():
    for text in (
        "",
        "  \n",
        "\n     RDKit          2D\n\n  0  0  0  0  0  0  0  0  0  0999 V2000\nM  END\n",
    ):
        with pytest.raises(InvalidStructure, match="empty"):
            parse(text)
    with pytest.raises(InvalidStructure, match="at most 10 are accepted"):
        parse("C" * 11, max_heavy_atoms=10)


def test_free_base_and_hcl_salt_give_one_parent_and_one_key():
    base, salt = (
        standardize(parse("CN1CCC(CC1)c1ccccc1")),
        standardize(parse("CN1CCC(CC1)c1ccccc1.Cl")),
    )
    assert salt.parent_smiles == base.parent_smiles == "CN1CCC(c2ccccc2)CC1"
    assert salt.registration_key == base.registration_key == base.inchikey
    assert salt.removed_fragments == ("Cl",) and salt.stripped and not base.stripped
    assert salt.smiles != base.smiles  # the structure as given keeps its salt


def test_tautomers_of_a_fully_defined_structure_share_a_key():
    hydroxy, pyridone = standardize(parse("Oc1ccccn1")), standardize(parse("O=c1cccc[nH]1"))
    assert hydroxy.parent_smiles != pyridone.parent_smiles
    assert hydroxy.registration_key == pyridone.registration_key == hydroxy.inchikey


def test_undefined_stereo_adds_a_hash_of_the_canonical_parent_to_the_key():
    racemic = standardize(parse("CC(N)C(=O)O"))
    assert re.fullmatch(rf"{racemic.inchikey}-[0-9a-f]{{12}}", racemic.registration_key)
    assert standardize(parse("NC(C)C(O)=O.O")).registration_key == racemic.registration_key
    defined = standardize(parse("C[C@H](N)C(=O)O"))
    assert defined.registration_key == defined.inchikey != racemic.inchikey


def test_undefined_stereo_tautomers_stay_apart():
    enol, keto = standardize(parse("OC1=CCC(C)CC1")), standardize(parse("O=C1CCC(C)CC1"))
    assert enol.registration_key != keto.registration_key


def test_checker_issues_are_kept_as_warnings_with_versions():
    result = standardize(parse("CC(N)C(=O)O"))
    assert any("undefined stereo" in issue.message for issue in result.issues)
    assert result.versions == VERSIONS and set(VERSIONS) == {"rdkit", "chembl_structure_pipeline"}


def test_a_molfile_is_checked_as_drawn():
    mol = Chem.MolFromSmiles("CC(N)C(=O)O")
    rdDepictor.Compute2DCoords(mol)
    lines = Chem.MolToMolBlock(mol).splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith("  1  2  1"))
    lines[i] = lines[i][:9] + "  1"  # a wedge drawn from the methyl: the drawing is wrong
    molblock = "\n".join(lines) + "\n"
    mismatch = Issue(5, "InChi_RDKit/Mol stereo mismatch")
    assert mismatch in standardize(parse(molblock), molblock=molblock).issues
    assert mismatch not in standardize(parse(molblock)).issues  # RDKit's rewrite hides it
    assert mismatch in parse_and_standardize_many([molblock])[0].issues


def test_aspirin_properties_are_the_hand_values():
    p = properties(parse(ASPIRIN))
    assert (p.formula, p.hbd, p.hba, p.rotatable_bonds, p.rings) == ("C9H8O4", 1, 3, 2, 1)
    assert p.mw == pytest.approx(180.159, abs=1e-3)
    assert p.exact_mass == pytest.approx(180.04226, abs=1e-5)
    assert p.tpsa == pytest.approx(63.6, abs=0.01)
    assert p.clogp == pytest.approx(1.31, abs=0.01)
    assert p.lipinski_violations == 0


def test_lipinski_violations_are_counted():
    cyclosporin = (
        "CC[C@H]1C(=O)N(CC(=O)N([C@H](C(=O)N[C@H](C(=O)N([C@H](C(=O)N[C@H](C(=O)N[C@@H]"
        "(C(=O)N([C@H](C(=O)N([C@H](C(=O)N([C@H](C(=O)N([C@H](C(=O)N1)[C@@H]([C@H](C)C/C=C/C)O)C)"
        "C(C)C)C)CC(C)C)C)CC(C)C)C)C)C)CC(C)C)C)C(C)C)CC(C)C)C)C"
    )
    assert properties(parse(cyclosporin)).lipinski_violations == 2  # MW and acceptors


def test_stereo_counts_defined_and_undefined_centres_and_double_bonds():
    s = stereo(parse("C[C@H](N)C(O)C/C=C/CC=CC"))
    assert (s.defined_centres, s.undefined_centres) == (1, 1)
    assert (s.defined_double_bonds, s.undefined_double_bonds) == (1, 1)
    assert not s.fully_defined and stereo(parse(ASPIRIN)).fully_defined


def test_depiction_is_deterministic_svg_and_highlights_a_match():
    mol = parse(ASPIRIN)
    plain = depict_svg(mol)
    assert plain.startswith("<?xml") and "</svg>" in plain and plain == depict_svg(parse(ASPIRIN))
    highlighted = depict_svg(mol, highlight=Chem.MolFromSmarts("C(=O)[OH]"), size=(400, 300))
    assert highlighted != depict_svg(mol, size=(400, 300))
    assert "width='400px'" in highlighted
