"""Units of assay values, through pint: a value entered in any unit of the right kind is
converted to the assay's canonical unit; a unit pint does not know, or of another kind
(a mass concentration for a molar IC50, nanometres for nanomolar), is refused.

Potency endpoints (IC50, EC50, Ki, Kd) are molar, so µM, nM, mol/L... all convert; their
negative decimal logarithm of the molar value is the pIC50 (pEC50...).
"""

from __future__ import annotations

import math
from functools import lru_cache

import pint
from pint.facets.plain import PlainUnit

POTENCY_ENDPOINTS = frozenset({"IC50", "EC50", "Ki", "Kd"})
MAX_UNIT_CHARS = 40

_registry: pint.UnitRegistry = pint.UnitRegistry()


class UnitError(ValueError):
    """A unit that is unknown, or that cannot be converted to the one asked for."""


@lru_cache(maxsize=256)
def _unit(text: str) -> PlainUnit:
    text = (text or "").strip()
    if not text:
        raise UnitError("No unit given.")
    if len(text) > MAX_UNIT_CHARS or "\x00" in text:
        raise UnitError(f"{text[:MAX_UNIT_CHARS]!r}… is not a unit.")
    try:
        quantity = _registry.Quantity(1, text)
    except (pint.errors.PintError, AttributeError, TypeError, ValueError, SyntaxError):
        raise UnitError(f"Unknown unit {text!r}.") from None
    if quantity.magnitude != 1:
        raise UnitError(f"{text!r} is not a plain unit.")
    return quantity.units


def check(text: str, *, endpoint: str = "") -> str:
    """`text` trimmed if pint knows it (and it is molar for a potency endpoint), else UnitError."""
    _unit(text)
    if endpoint in POTENCY_ENDPOINTS and not is_molar(text):
        raise UnitError(f"{endpoint} values are concentrations in molar units (nM, µM...).")
    return text.strip()


def is_molar(text: str) -> bool:
    """Whether `text` is a molar concentration unit."""
    try:
        return _unit(text).dimensionality == _unit("M").dimensionality
    except UnitError:
        return False


@lru_cache(maxsize=256)
def _factor(from_unit: str, to_unit: str) -> float | None:
    """The factor from one unit to the other; None for units with an offset (°C → K)."""
    source, target = _unit(from_unit), _unit(to_unit)
    try:
        zero = _registry.Quantity(0.0, source).to(target).magnitude
        factor = _registry.Quantity(1.0, source).to(target).magnitude
    except pint.errors.DimensionalityError:
        raise UnitError(
            f"{from_unit.strip()!r} cannot be converted to {to_unit.strip()!r}: "
            "they measure different things."
        ) from None
    return float(factor) if zero == 0 else None


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """`value` in `from_unit` expressed in `to_unit` (12 significant digits: no 9999.999...).

    The factor between two units is computed once (an import converts many rows).
    """
    factor = _factor(from_unit, to_unit)
    if factor is None:
        converted = _registry.Quantity(value, _unit(from_unit)).to(_unit(to_unit)).magnitude
    else:
        converted = value * factor
    return float(f"{converted:.12g}")


def p_value(value: float, unit: str) -> float | None:
    """-log10 of `value` in molar (pIC50 from an IC50...), None when not molar or not positive."""
    if value <= 0 or not is_molar(unit):
        return None
    return -math.log10(convert(value, unit, "M"))
