"""Each compound's aggregate per assay, stored (`Summary`) and kept in step with its results.

Every service that adds results or changes what they aggregate to (recording, importing,
flagging, changing an assay's endpoint) calls `refresh` in its own transaction, so a
summary is never older than its results. The aggregate is `aggregate.aggregate`'s, the
one rule: the SAR table and its SQL read these rows, they do not aggregate again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from .aggregate import aggregate
from .models import Assay, Result, Summary

_CHUNK = 500  # ids in one IN (...): well within every database's limit on parameters


@transaction.atomic
def refresh(assay: Assay, compound_ids: Iterable[Any] | None = None) -> int:
    """Aggregate `assay`'s valid results again for `compound_ids` (all of the assay's
    compounds when None) and store them; returns how many it wrote."""
    # one writer per assay at a time: a second waits here and then reads the first's results
    list(Assay.objects.select_for_update().filter(pk=assay.pk).values_list("pk"))
    results = Result.objects.filter(assay_id=assay.pk).exclude(flag=Result.Flag.INVALID)
    stored = Summary.objects.filter(assay_id=assay.pk)
    if compound_ids is None:
        chunks: list[Any] = [(results, stored)]
    else:
        ids = sorted(set(compound_ids), key=str)
        chunks = [
            (results.filter(compound_id__in=part), stored.filter(compound_id__in=part))
            for part in (ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK))
        ]
    made = 0
    for valid, old in chunks:
        grouped: dict[Any, list[tuple[str, float]]] = {}
        for compound_id, qualifier, value in valid.order_by().values_list(
            "compound_id", "qualifier", "value"
        ):
            grouped.setdefault(compound_id, []).append((qualifier, value))
        old.delete()
        rows = []
        for compound_id, pairs in grouped.items():
            agg = aggregate(pairs, endpoint=assay.endpoint)
            if agg.value is None:  # no pairs: nothing to summarize
                continue
            rows.append(
                Summary(
                    project_id=assay.project_id,
                    assay_id=assay.pk,
                    compound_id=compound_id,
                    value=agg.value,
                    qualifier=agg.qualifier,
                    n=agg.n,
                    censored=agg.censored,
                )
            )
        Summary.objects.bulk_create(rows, batch_size=_CHUNK)
        made += len(rows)
    return made
