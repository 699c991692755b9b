"""Pictures of search hits: the compound drawn with the matched substructure highlighted, cached.

A drawing depends only on the compound's parent and the query, so it is cached
(Django's cache) under the compound's id and a digest of the query; hits of other
modes show the compound's stored picture.
"""

from __future__ import annotations

import hashlib
from uuid import UUID

from django.core.cache import cache
from rdkit import Chem

from cobench import chem
from cobench.compounds.models import Compound

from .queries import Query
from .services import Hit

CACHE_SECONDS = 7 * 24 * 3600


def cache_key(compound_id: UUID, query: Query) -> str:
    digest = hashlib.sha256(f"{query.kind}\n{query.text}".encode()).hexdigest()[:32]
    return f"search:hit-svg:{compound_id}:{digest}"


def hit_svgs(hits: list[Hit], query: Query | None, mode: str) -> list[str]:
    """SVGs of the hits' compounds; for substructure hits, with the atoms and bonds matching
    `query` lit (drawn once per compound and query, then cached)."""
    stored = dict(
        Compound.objects.filter(pk__in=[h.compound_id for h in hits]).values_list("pk", "svg")
    )
    if mode != "substructure" or query is None:
        return [stored.get(h.compound_id, "") for h in hits]
    keys = {h.compound_id: cache_key(h.compound_id, query) for h in hits}
    found = cache.get_many(list(keys.values()))
    pictures = []
    for hit in hits:
        svg = found.get(keys[hit.compound_id])
        if svg is None:
            mol = Chem.MolFromSmiles(hit.smiles)
            svg = stored.get(hit.compound_id, "")
            if mol is not None:
                svg = chem.depict_svg(mol, highlight=query.mol)
            cache.set(keys[hit.compound_id], svg, CACHE_SECONDS)
        pictures.append(svg)
    return pictures
