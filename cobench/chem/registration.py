"""A structure made ready to file in a registry: everything registration stores, as plain data.

Standardizing is only part of a registration's chemistry: the compound also keeps
its parent as a molfile, its properties, stereo counts and picture. :func:`prepare`
computes all of it from a :class:`Standardized`, so a bulk import can do that work
in the worker processes that standardize (:func:`prepare_text` is their work
function) and send back small picklable data instead of molecules, leaving the
main process only the writing.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdkit import Chem

from cobench.chem.depict import depict_svg
from cobench.chem.isolation import parse_and_standardize
from cobench.chem.parsing import Format
from cobench.chem.properties import Properties, properties, stereo
from cobench.chem.standardize import Issue, Standardized


@dataclass(frozen=True)
class Prepared:
    """A standardized structure with its registry data: what a new compound row holds."""

    parent_smiles: str
    molblock: str
    inchi: str
    inchikey: str
    registration_key: str
    excluded: bool
    removed_fragments: tuple[str, ...]
    issues: tuple[Issue, ...]
    inchi_warnings: tuple[str, ...]
    properties: Properties
    stereo: dict[str, int | bool]
    svg: str
    versions: dict[str, str]


def prepare(std: Standardized) -> Prepared:
    """The registry data of a standardized structure (parent molfile, properties, picture)."""
    st = stereo(std.parent)
    return Prepared(
        parent_smiles=std.parent_smiles,
        molblock=Chem.MolToMolBlock(std.parent),
        inchi=std.inchi,
        inchikey=std.inchikey,
        registration_key=std.registration_key,
        excluded=std.excluded,
        removed_fragments=std.removed_fragments,
        issues=std.issues,
        inchi_warnings=std.inchi_warnings,
        properties=properties(std.parent),
        stereo={**st.__dict__, "fully_defined": st.fully_defined},
        svg=depict_svg(std.parent),
        versions=dict(std.versions),
    )


def prepare_text(task: tuple[str, Format]) -> Prepared:
    """Parse, standardize and prepare one structure: the work function of import workers."""
    return prepare(parse_and_standardize(task))


def registration_key_of_text(task: tuple[str, Format]) -> str:
    """Parse and standardize one structure to its registration key: the work function of an
    import's dry run, which needs no more (a third cheaper than :func:`prepare_text`)."""
    return parse_and_standardize(task).registration_key
