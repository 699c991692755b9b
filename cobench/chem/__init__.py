"""Chemistry for cobench: RDKit and the ChEMBL structure pipeline behind a small typed API.

Pure Python and RDKit, nothing of Django: parse text into molecules
(:func:`parse`), standardize them for registration (:func:`standardize`),
calculate properties and stereo (:func:`properties`, :func:`stereo`), draw them
(:func:`depict_svg`), and do any of it for untrusted input in disposable worker
processes (:func:`parse_and_standardize_many`, :func:`run_isolated`).
"""

from cobench.chem.depict import depict_svg
from cobench.chem.isolation import RecordError, parse_and_standardize_many, run_isolated
from cobench.chem.parsing import MAX_HEAVY_ATOMS, InvalidStructure, parse, rdkit_messages
from cobench.chem.properties import Properties, Stereo, properties, stereo
from cobench.chem.standardize import VERSIONS, Issue, Standardized, registration_key, standardize

__all__ = [
    "MAX_HEAVY_ATOMS",
    "VERSIONS",
    "InvalidStructure",
    "Issue",
    "Properties",
    "RecordError",
    "Standardized",
    "Stereo",
    "depict_svg",
    "parse",
    "parse_and_standardize_many",
    "properties",
    "rdkit_messages",
    "registration_key",
    "run_isolated",
    "standardize",
    "stereo",
]
