"""Pictures of search hits: the compound drawn with the matched substructure highlighted, cached.

A drawing depends only on the compound's parent and the query, so it is cached
(Django's cache) under the compound's id and a digest of the query; hits of other
modes show the compound's stored picture.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from rdkit import Chem

from cobench import chem
from cobench.compounds.models import Compound

from .queries import Query

CACHE_SECONDS = 7 * 24 * 3600


def cache_key(compound: Compound, query: Query) -> str:
    digest = hashlib.sha256(f"{query.kind}\n{query.text}".encode()).hexdigest()[:32]
    return f"search:hit-svg:{compound.pk}:{digest}"


def hit_svg(compound: Compound, query: Query | None, mode: str) -> str:
    """SVG of `compound`; for a substructure hit, with the atoms and bonds matching `query` lit."""
    if mode != "substructure" or query is None:
        return compound.svg
    key = cache_key(compound, query)
    svg = cache.get(key)
    if svg is None:
        mol = Chem.MolFromSmiles(compound.smiles)
        svg = chem.depict_svg(mol, highlight=query.mol) if mol is not None else compound.svg
        cache.set(key, svg, CACHE_SECONDS)
    return svg
