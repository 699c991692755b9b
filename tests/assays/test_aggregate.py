"""The aggregation rule against numbers computed by hand (the arithmetic is in the comments)."""

import math

import pytest

from cobench.assays.aggregate import aggregate


def test_potency_geometric_mean_and_pic50():
    # 10, 100, 1000 nM: log10 = 1, 2, 3; mean 2 → 10**2 = 100 nM
    # pIC50 = -log10(100e-9) = 7; sd of (1, 2, 3) = sqrt(((1)^2 + 0 + 1^2) / 2) = 1
    agg = aggregate([("=", 10), ("=", 100), ("=", 1000)], endpoint="IC50", unit="nM")
    assert agg.n == 3 and agg.qualifier == "="
    assert agg.value == pytest.approx(100)
    assert agg.p_value == pytest.approx(7)
    assert agg.sd == pytest.approx(1)
    assert agg.text == "100 nM (n=3)"


def test_two_replicates_geometric_not_arithmetic():
    # 4 and 9 µM: geometric mean sqrt(4 * 9) = 6 (arithmetic would be 6.5)
    # pEC50 = -log10(6e-6) = 6 - log10(6) = 6 - 0.778151 = 5.221849
    # sd of log10(4) = 0.602060, log10(9) = 0.954243: |diff| / sqrt(2) = 0.352183 / 1.414214
    agg = aggregate([("=", 4), ("~", 9)], endpoint="EC50", unit="µM")
    assert agg.value == pytest.approx(6)
    assert agg.p_value == pytest.approx(5.221849, abs=1e-6)
    assert agg.sd == pytest.approx(0.249030, abs=1e-6)
    assert agg.text == "6.00 µM (n=2)"


def test_arithmetic_mean_for_other_endpoints():
    # solubility 20, 30, 40 µg/mL: mean 30; sd sqrt((100 + 0 + 100) / 2) = 10; no pX
    agg = aggregate([("=", 20), ("=", 30), ("=", 40)], endpoint="solubility", unit="µg/mL")
    assert (agg.value, agg.sd, agg.p_value) == (pytest.approx(30), pytest.approx(10), None)
    assert agg.text == "30.0 µg/mL (n=3)"


def test_censored_value_does_not_enter_the_mean():
    # 20 and 80 nM exact: geometric mean sqrt(1600) = 40 nM; "> 10000" is not averaged
    # (averaging it as 10000 would give (20 * 80 * 10000) ** (1/3) = 251.98 nM)
    agg = aggregate([("=", 20), ("=", 80), (">", 10000)], endpoint="IC50", unit="nM")
    assert agg.value == pytest.approx(40)
    assert agg.qualifier == "=" and agg.n == 3 and agg.censored == 1
    assert agg.p_value == pytest.approx(-math.log10(40e-9))  # 7.397940
    assert agg.text == "40.0 nM (n=3, 1 censored)"


def test_only_censored_reports_the_most_informative_bound():
    # "> 10000" and "> 30000" nM: the value is above 30000 nM → "> 30000", pIC50 < 4.522879
    agg = aggregate([(">", 10000), (">", 30000)], endpoint="IC50", unit="nM")
    assert (agg.qualifier, agg.value, agg.n, agg.sd) == (">", 30000, 2, None)
    assert agg.p_value == pytest.approx(4.522879, abs=1e-6) and agg.p_qualifier == "<"
    assert agg.text == "> 30000 nM (n=2)"
    # "< 1" and "< 5" nM: below 1 nM is the tighter statement
    assert aggregate([("<", 5), ("<", 1)], endpoint="IC50", unit="nM").text == "< 1.00 nM (n=2)"


def test_bounds_pointing_both_ways():
    # two "<" against one ">": "<" wins with its lowest bound; a tie goes to ">"
    agg = aggregate([("<", 50), ("<", 20), (">", 5)], endpoint="IC50", unit="nM")
    assert (agg.qualifier, agg.value) == ("<", 20)
    agg = aggregate([("<", 50), (">", 5)], endpoint="IC50", unit="nM")
    assert (agg.qualifier, agg.value) == (">", 5)


def test_single_value_and_nothing():
    agg = aggregate([("=", 12)], endpoint="IC50", unit="nM")
    assert (agg.value, agg.sd, agg.text) == (12, None, "12.0 nM (n=1)")
    empty = aggregate([], endpoint="IC50", unit="nM")
    assert (empty.n, empty.value, empty.text) == (0, None, "—")


def test_potency_in_a_non_molar_unit_has_no_p_value():
    assert aggregate([("=", 5)], endpoint="inhibition", unit="%").p_value is None
