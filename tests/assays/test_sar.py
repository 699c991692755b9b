"""The SAR table: one row per compound, one column per assay the viewer sees."""

import pytest

from cobench.assays import sar
from cobench.core.errors import Forbidden, InvalidInput

from .sharing_objects import cdk2_biology, record, share


@pytest.fixture
def bio(world):
    return cdk2_biology(world)


def cells(page, assay):
    return {row.compound.registry_id: row.cells[str(assay.pk)].text for row in page.rows}


def test_the_sponsor_sees_aggregates_with_n(world, bio):
    page = sar.table(world.sponsor_scientist, world.project)
    rosco, purva = (c.registry_id for c in bio.compounds)
    assert [c.assay.name for c in page.columns] == ["CDK2 IC50", "Kinetic solubility"]
    assert cells(page, bio.potency) == {rosco: "136 nM (n=2)", purva: "> 10000 nM (n=1)"}
    assert page.count == 2 and page.rows[0].properties["mw"] > 300


def test_a_binned_partner_sees_labels_only_and_no_hidden_column(world, bio):
    share(world, bio.potency, "binned")
    page = sar.table(world.partner_scientist, world.project)
    rosco, purva = (c.registry_id for c in bio.compounds)
    assert [c.assay.name for c in page.columns] == ["CDK2 IC50"]
    assert cells(page, bio.potency) == {rosco: "100 nM – 1 µM", purva: "> 1 µM"}
    assert all(row.cells[str(bio.potency.pk)].value is None for row in page.rows)


def test_the_preview_shows_the_table_as_the_partner_sees_it(world, bio):
    share(world, bio.potency, "binned")
    preview = sar.table(world.sponsor_lead, world.project, as_partner=world.partner)
    seen = sar.table(world.partner_lead, world.project)
    assert [[c.text for c in r.cells.values()] for r in preview.rows] == [
        [c.text for c in r.cells.values()] for r in seen.rows
    ]
    with pytest.raises(Forbidden):
        sar.table(world.partner_lead, world.project, as_partner=world.partner)


def test_sorting_by_an_assay_and_filtering_by_value(world, bio):
    rosco, purva = (c.registry_id for c in bio.compounds)
    page = sar.table(world.sponsor_lead, world.project, sort=f"-{bio.potency.pk}")
    assert [r.compound.registry_id for r in page.rows] == [purva, rosco]
    only = sar.Filters(ranges={str(bio.potency.pk): (None, 1000)})
    page = sar.table(world.sponsor_lead, world.project, filters=only)
    assert [r.compound.registry_id for r in page.rows] == [rosco]


def test_binned_assays_sort_by_bin_and_refuse_value_filters(world, bio):
    share(world, bio.potency, "binned")
    rosco, purva = (c.registry_id for c in bio.compounds)
    page = sar.table(world.partner_lead, world.project, sort=str(bio.potency.pk))
    assert [r.compound.registry_id for r in page.rows] == [rosco, purva]
    with pytest.raises(InvalidInput):
        sar.table(
            world.partner_lead,
            world.project,
            filters=sar.Filters(ranges={str(bio.potency.pk): (None, 130)}),
        )


def test_substructure_and_similarity_filters(world, bio):
    rosco, purva = (c.registry_id for c in bio.compounds)
    page = sar.table(
        world.sponsor_lead, world.project, filters=sar.Filters(substructure="Clc1ccccc1")
    )
    assert [r.compound.registry_id for r in page.rows] == [purva]
    page = sar.table(
        world.sponsor_lead,
        world.project,
        filters=sar.Filters(similar_to=rosco, threshold=0.99),
    )
    assert [r.compound.registry_id for r in page.rows] == [rosco]


def test_invalid_results_leave_the_aggregate(world, bio):
    from cobench.assays import services

    bad = record(world, bio.potency, bio.compounds[0], "1")
    services.flag_result(actor=world.sponsor_scientist, result=bad, flag="invalid", reason="x")
    page = sar.table(world.sponsor_lead, world.project, columns=[str(bio.potency.pk)])
    assert page.rows[0].cells[str(bio.potency.pk)].text == "136 nM (n=2)"
    assert page.properties == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sort": "smiles"},
        {"columns": ["inchi"]},
        {"page": 0},
        {"per_page": 10_000},
    ],
)
def test_bad_table_requests_say_what_is_wrong(world, bio, kwargs):
    with pytest.raises(InvalidInput):
        sar.table(world.sponsor_lead, world.project, **kwargs)
