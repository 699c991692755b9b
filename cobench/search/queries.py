"""Reading search queries: SMILES, SMARTS or a molfile, bounded before any search work.

A query is untrusted text. SMILES and SMARTS are read in this process, but only
after a cheap unsanitized read has counted their atoms: more than
`MAX_QUERY_ATOMS` is refused before ring perception or matching could take long.
Molfiles (from the structure editor, or pasted) are read in a disposable worker
(`cobench.chem.run_isolated`), because malformed blocks can hang or crash RDKit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rdkit import Chem

from cobench import chem
from cobench.chem.parsing import detect_format, rdkit_messages
from cobench.core.errors import InvalidInput
from cobench.core.text import NUL_MESSAGE, contains_nul

QueryType = Literal["auto", "smiles", "smarts", "molfile"]
Kind = Literal["smiles", "smarts", "molfile"]

MAX_QUERY_ATOMS = 150
"""Largest query (atoms, hydrogens not counted) for substructure and similarity searches."""

MAX_LINE_CHARS = 2_000
"""Longest SMILES or SMARTS query."""

MAX_MOLFILE_CHARS = 200_000
"""Longest molfile query."""

FIELD = "query"


@dataclass(frozen=True)
class Query:
    """A parsed query: its text as given (trimmed), how it was read, and the molecule."""

    text: str
    kind: Kind
    mol: Chem.Mol

    @property
    def smiles(self) -> str:
        """The query as SMILES, for a database that takes no RDKit molecule (molfiles only)."""
        return Chem.MolToSmiles(self.mol)


def _refuse(message: str, details: list[str] | None = None) -> InvalidInput:
    return InvalidInput(message, errors={FIELD: [message, *(details or [])]})


def _check_size(mol: Chem.Mol) -> None:
    heavy = sum(1 for atom in mol.GetAtoms() if atom.GetAtomicNum() != 1)
    if heavy > MAX_QUERY_ATOMS:
        raise _refuse(
            f"The query has {heavy:,} atoms; a search query may have at most "
            f"{MAX_QUERY_ATOMS} (hydrogens not counted)."
        )


def _read_smiles(text: str) -> tuple[Chem.Mol | None, list[str]]:
    with rdkit_messages() as messages:
        mol = Chem.MolFromSmiles(text, sanitize=False)
        if mol is None:
            return None, list(messages)
        _check_size(mol)
        try:
            Chem.SanitizeMol(mol)
        except Exception as e:  # RDKit raises its own sanitization errors
            return None, [*messages, str(e)]
    return mol, []


def _read_smarts(text: str) -> tuple[Chem.Mol | None, list[str]]:
    with rdkit_messages() as messages:
        mol = Chem.MolFromSmarts(text)
    if mol is None:
        return None, list(messages)
    _check_size(mol)
    return mol, []


def read_molfile(text: str) -> Chem.Mol:
    """A molfile read and sanitized (runs in a worker process: see the module docstring)."""
    return chem.parse(text, fmt="molfile", max_heavy_atoms=MAX_QUERY_ATOMS)


def _has_dummies(mol: Chem.Mol) -> bool:
    return any(atom.GetAtomicNum() == 0 for atom in mol.GetAtoms())


def parse_query(text: object, *, query_type: QueryType = "auto", smarts: bool = True) -> Query:
    """The query in `text`, or InvalidInput naming the field `query` with RDKit's messages.

    `auto` reads a molfile as such, else a SMILES, else (when `smarts` is allowed,
    i.e. for substructure searches) a SMARTS; a SMILES with `*` atoms is read as
    SMARTS, where `*` means any atom.
    """
    if not isinstance(text, str):
        raise _refuse("The query must be text: a SMILES, a SMARTS or a molfile.")
    if contains_nul(text):
        raise _refuse(NUL_MESSAGE)
    molfile = query_type == "molfile" or (query_type == "auto" and detect_format(text) == "molfile")
    text = text.rstrip() + "\n" if molfile else text.strip()
    if not text.strip():
        raise _refuse("Give a query: a SMILES, a SMARTS or a molfile.")
    limit = MAX_MOLFILE_CHARS if molfile else MAX_LINE_CHARS
    if len(text) > limit:
        raise _refuse(f"The query is longer than {limit:,} characters.")
    if molfile:
        (result,) = chem.run_isolated(read_molfile, [text], timeout_s=5.0, workers=1)
        if isinstance(result, chem.RecordError):
            raise _refuse(
                f"The molfile cannot be read: {result.message}",
                list(dict.fromkeys([result.message, *result.messages])),
            )
        return Query(text=text, kind="molfile", mol=result)
    if query_type == "smarts" and not smarts:
        raise _refuse("SMARTS queries are for substructure searches.")
    messages: list[str] = []
    if query_type in ("auto", "smiles"):
        mol, messages = _read_smiles(text)
        if mol is not None and not (query_type == "auto" and smarts and _has_dummies(mol)):
            return Query(text=text, kind="smiles", mol=mol)
        if query_type == "smiles" or not smarts:
            raise _refuse("The query is not a valid SMILES.", messages or None)
    mol, smarts_messages = _read_smarts(text)
    if mol is None:
        what = "a valid SMARTS" if query_type == "smarts" else "a valid SMILES or SMARTS"
        raise _refuse(f"The query is not {what}.", messages + smarts_messages or None)
    return Query(text=text, kind="smarts", mol=mol)
