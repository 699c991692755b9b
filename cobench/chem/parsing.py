"""Reading structures: SMILES and molfiles (V2000, V3000) into RDKit molecules.

Parsing never returns ``None``: a structure RDKit cannot read raises
:class:`InvalidStructure` carrying RDKit's own messages, captured from its log
rather than left on the process's stderr.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from rdkit import Chem, rdBase

Format = Literal["auto", "smiles", "molfile"]

MAX_HEAVY_ATOMS = 1000
"""Largest structure accepted by default; bigger ones are refused before any work on them."""

MAX_TEXT_CHARS = 1_000_000
"""Longest text accepted as one structure."""

_TIMESTAMP = re.compile(r"^\[\d\d:\d\d:\d\d\]\s*")


class InvalidStructure(ValueError):
    """A structure that cannot be read or is not acceptable; `messages` are RDKit's own words."""

    def __init__(self, reason: str, messages: tuple[str, ...] = ()) -> None:
        self.reason = reason
        self.messages = tuple(messages)
        detail = f": {'; '.join(self.messages)}" if self.messages else ""
        super().__init__(f"{reason}{detail}")


class _Capture(logging.Filter):
    """Takes RDKit's log records for a thread inside `rdkit_messages()`; others pass on as usual."""

    def __init__(self) -> None:
        super().__init__()
        self.local = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        sink: list[str] | None = getattr(self.local, "sink", None)
        if sink is None:
            return True
        sink.append(_TIMESTAMP.sub("", record.getMessage()).strip())
        return False


_capture = _Capture()
_capture_lock = threading.Lock()
_installed = False


def _install() -> None:
    # RDKit's C++ logs go to the Python logger "rdkit" once, for the whole process.
    global _installed
    with _capture_lock:
        if not _installed:
            rdBase.LogToPythonLogger()
            logging.getLogger("rdkit").addFilter(_capture)
            _installed = True


@contextmanager
def rdkit_messages() -> Iterator[list[str]]:
    """Within the block, RDKit's log messages from this thread are appended to the yielded list."""
    _install()
    outer = getattr(_capture.local, "sink", None)
    sink: list[str] = []
    _capture.local.sink = sink
    try:
        yield sink
    finally:
        _capture.local.sink = outer
        if outer is not None:
            outer.extend(sink)


def detect_format(text: str) -> Literal["smiles", "molfile"]:
    """`molfile` for a connection table (several lines, V2000/V3000 or M  END), else `smiles`."""
    if "\n" in text.strip("\r\n") and ("V2000" in text or "V3000" in text or "M  END" in text):
        return "molfile"
    return "smiles"


def parse(text: str, *, fmt: Format = "auto", max_heavy_atoms: int = MAX_HEAVY_ATOMS) -> Chem.Mol:
    """The molecule written in `text` (SMILES or molfile), sanitized; raises `InvalidStructure`."""
    if not isinstance(text, str):
        raise InvalidStructure(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidStructure(f"structure text is longer than {MAX_TEXT_CHARS:,} characters")
    if not text.strip():
        raise InvalidStructure("empty structure")
    kind = detect_format(text) if fmt == "auto" else fmt
    with rdkit_messages() as messages:
        if kind == "smiles":
            mol = Chem.MolFromSmiles(text.strip())
        elif kind == "molfile":
            mol = Chem.MolFromMolBlock(text, sanitize=True, removeHs=False)
        else:
            raise InvalidStructure(f"unknown structure format {fmt!r}")
    if mol is None:
        raise InvalidStructure(f"not a valid {kind}", tuple(messages))
    if mol.GetNumAtoms() == 0:
        raise InvalidStructure("empty molecule: no atoms", tuple(messages))
    heavy = mol.GetNumHeavyAtoms()
    if heavy > max_heavy_atoms:
        raise InvalidStructure(f"{heavy:,} heavy atoms; at most {max_heavy_atoms:,} are accepted")
    return mol
