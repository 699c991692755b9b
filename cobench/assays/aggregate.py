"""One number per compound and assay from its replicate results, qualifiers taken into account.

`aggregate(results, endpoint=..., unit=...)` takes `(qualifier, value)` pairs of the valid
results (invalid-flagged ones left out by the caller), all in the assay's canonical unit.
The rule:

1. "~" (approximately) counts as "=": an exact value.
2. The mean is geometric for potency endpoints (IC50, EC50, Ki, Kd: log-normal, and the
   mean of the pIC50s is the pIC50 of the geometric mean) and arithmetic for the others.
   `sd` is the sample standard deviation of the exact values — in log10 units (of the
   pIC50) for potency endpoints, in the canonical unit otherwise; None below 2 values.
3. Censored values ("< 1 nM", "> 10 µM") never enter the mean as numbers: a "> 10 µM"
   says the value lies somewhere above 10 µM, not at it.
4. Exact and censored values together: exact measurements outrank bounds, so the result
   is the mean of the exact values, "=". A censored value consistent with that mean
   ("> 1 µM" beside a mean of 5 µM) adds nothing; one beyond it in the direction it points
   ("> 10 µM" beside 5 µM) contradicts it — it is counted in `n` and `censored`, and the
   text says so ("5 µM (n=3, 1 censored)"), so a reader knows to look at the replicates.
5. Only censored values: the most informative bound — the lowest of the "<" bounds, the
   highest of the ">" bounds — with its qualifier. When bounds point both ways, the
   direction most of them point wins; on a tie ">" wins (for a potency, the cautious
   reading: not shown to be potent).

`n` is the number of results aggregated (exact and censored); `p_value` is -log10 of the
value in molar for potency endpoints in a molar unit (pIC50, pEC50...), else None.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .units import POTENCY_ENDPOINTS, p_value

EXACT = frozenset({"=", "~"})


@dataclass(frozen=True)
class Aggregate:
    """The aggregated value of a compound in an assay (see the module's rule)."""

    n: int
    value: float | None
    qualifier: str
    sd: float | None
    p_value: float | None
    unit: str = ""
    censored: int = 0

    @property
    def p_qualifier(self) -> str:
        """The qualifier of `p_value`: a "> 10 µM" IC50 is a "< 5" pIC50."""
        return {"<": ">", ">": "<"}.get(self.qualifier, "=")

    @property
    def text(self) -> str:
        """For display: "12 nM (n=3)", "> 10000 nM (n=2)", "—" when there is nothing."""
        return describe(self.value, self.qualifier, self.n, self.censored, self.unit)


def describe(value: float | None, qualifier: str, n: int, censored: int = 0, unit: str = "") -> str:
    """An aggregate for display (`Aggregate.text`), from its parts: for the SAR table's many
    cells, which are not built as `Aggregate`s."""
    if value is None:
        return "—"
    prefix = "" if qualifier == "=" else f"{qualifier} "
    extra = f", {censored} censored" if censored and qualifier == "=" else ""
    unit = f" {unit}" if unit else ""
    return f"{prefix}{number(value)}{unit} (n={n}{extra})"


def number(value: float) -> str:
    """3 significant digits, without an exponent in the usual range: 12.3, 10000, 0.0456."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    if 1e-4 <= abs(value) < 1e9:
        digits = max(0, 2 - math.floor(math.log10(abs(value))))
        return f"{round(value, digits):,.{digits}f}".replace(",", "")
    return f"{value:.3g}"


def aggregate(results: Iterable[tuple[str, float]], *, endpoint: str, unit: str = "") -> Aggregate:
    """The aggregate of `(qualifier, value)` pairs in the canonical `unit` (see the module)."""
    pairs = [(q, float(v)) for q, v in results]
    potency = endpoint in POTENCY_ENDPOINTS
    exact = [v for q, v in pairs if q in EXACT]
    censored = [(q, v) for q, v in pairs if q not in EXACT]
    if not pairs:
        return Aggregate(0, None, "=", None, None, unit)
    if exact:
        qualifier = "="
        if potency:
            if min(exact) <= 0:
                raise ValueError(f"{endpoint} values must be positive for a geometric mean.")
            logs = [math.log10(v) for v in exact]
            value = float(f"{10 ** statistics.fmean(logs):.12g}")  # 12, not 12.000000000000002
            sd = statistics.stdev(logs) if len(logs) > 1 else None
        else:
            value = statistics.fmean(exact)
            sd = statistics.stdev(exact) if len(exact) > 1 else None
    else:
        below = [v for q, v in censored if q == "<"]
        above = [v for q, v in censored if q == ">"]
        if len(below) > len(above):
            qualifier, value = "<", min(below)
        else:
            qualifier, value = ">", max(above)
        sd = None
    p = p_value(value, unit) if potency and unit else None
    return Aggregate(len(pairs), value, qualifier, sd, p, unit, len(censored))


def per_compound(
    rows: Iterable[tuple[Any, str, float, str]], *, endpoint: str, unit: str = ""
) -> dict[Any, Aggregate]:
    """The aggregate of each key (a compound) from `(key, qualifier, value, flag)` rows.

    Invalid-flagged rows are left out; outliers count (the flag marks them for the reader).
    """
    grouped: dict[Any, list[tuple[str, float]]] = {}
    for key, qualifier, value, flag in rows:
        if flag != "invalid":
            grouped.setdefault(key, []).append((qualifier, value))
    return {key: aggregate(pairs, endpoint=endpoint, unit=unit) for key, pairs in grouped.items()}
