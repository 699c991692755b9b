"""The SAR table: one row per compound, one column per assay the viewer sees."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cobench.assays.sar import sar
from cobench.compounds import services as compounds
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


@pytest.mark.parametrize("filtered", [False, True])
def test_compounds_without_a_sort_value_follow_once_each(world, bio, filtered):
    """Sorted by an assay, the compounds without a result in it come last, by number, each
    on one page: a compound with two results is one row, not two."""
    rosco, purva = bio.compounds
    record(world, bio.solubility, rosco, "90")
    naphthalene = compounds.register_structure(
        actor=world.partner_scientist, project=world.project, structure="c1ccc2ccccc2c1"
    ).compound
    expected = [[rosco.registry_id], [purva.registry_id], [naphthalene.registry_id], []]
    filters = None
    if filtered:  # naphthalene has no potency: the filter leaves it out
        filters = sar.Filters(ranges={str(bio.potency.pk): (None, 100_000)})
        expected = [[rosco.registry_id], [purva.registry_id], [], []]
    pages = [
        sar.table(
            world.sponsor_lead,
            world.project,
            sort=str(bio.solubility.pk),
            filters=filters,
            per_page=1,
            page=number,
        )
        for number in (1, 2, 3, 4)
    ]
    assert [[r.compound.registry_id for r in p.rows] for p in pages] == expected
    assert {p.count for p in pages} == {len([e for e in expected if e])}


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


def test_the_api_gives_a_partner_labels_and_never_the_number(world, bio, api):
    share(world, bio.potency, "binned")
    path = f"/api/v1/projects/{world.project.id}/sar?sort={bio.potency.pk}"
    body = api(world.partner_scientist).get(path)
    assert body.status_code == 200, body.content
    data = body.json()
    assert [c["name"] for c in data["columns"]] == ["CDK2 IC50"]
    cells = [row["cells"][str(bio.potency.pk)] for row in data["rows"]]
    assert [(c["text"], c["value"]) for c in cells] == [("100 nM – 1 µM", None), ("> 1 µM", None)]
    assert not {"123.46", "136.07", "136 nM"} & set(body.content.decode().split('"'))
    assert "123.46" not in body.content.decode() and "136 nM" not in body.content.decode()
    mine = api(world.sponsor_lead).get(path).json()
    assert mine["rows"][0]["cells"][str(bio.potency.pk)]["value"] == pytest.approx(136.07, 0.01)


def test_the_api_preview_is_the_sponsors(world, bio, api):
    share(world, bio.potency, "binned")
    path = f"/api/v1/projects/{world.project.id}/sar?as_partner={world.partner.id}"
    preview = api(world.sponsor_lead).get(path).json()
    assert [c["mode"] for c in preview["columns"]] == ["binned"]
    assert preview["as_partner"]["name"] == "Northbridge Chemistry"
    assert api(world.partner_lead).get(path).status_code == 403
    stranger = f"/api/v1/projects/{world.project.id}/sar?as_partner={world.outsider_org.id}"
    assert api(world.sponsor_lead).get(stranger).status_code == 422


def _text(response, fmt):
    import io

    if fmt != "xlsx":
        return response.content.decode()
    from openpyxl import load_workbook

    rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    return "\n".join(",".join(str(v) for v in row) for row in rows)


@pytest.mark.parametrize("fmt", ["csv", "sdf", "xlsx"])
def test_exports_follow_the_sharing_rules(world, bio, api, fmt):
    share(world, bio.potency, "binned")
    path = f"/api/v1/projects/{world.project.id}/sar/export?format={fmt}"
    mine, theirs = api(world.sponsor_lead).get(path), api(world.partner_lead).get(path)
    assert mine.status_code == theirs.status_code == 200
    mine, theirs = _text(mine, fmt), _text(theirs, fmt)
    assert "136" in mine and "Kinetic solubility" in mine
    assert "Kinetic solubility" not in theirs
    assert "100 nM – 1 µM" in theirs and "136" not in theirs


def test_formula_looking_cells_are_neutralised(world, bio, api):
    from cobench.assays import sharing

    sharing.set_rule(
        actor=world.sponsor_lead,
        assay=bio.potency,
        partner=world.partner,
        mode="binned",
        bins=[{"upper": 1000, "label": "=HYPERLINK(1)"}, {"upper": None, "label": "+weak"}],
        reason="x",
    )
    path = f"/api/v1/projects/{world.project.id}/sar/export?format=csv"
    body = api(world.partner_lead).get(path).content.decode()
    assert "'=HYPERLINK(1)" in body and "'+weak" in body


def test_sharing_rules_through_the_api(world, bio, api):
    path = f"/api/v1/projects/{world.project.id}/sharing-rules"
    rule = {
        "assay_id": str(bio.potency.id),
        "partner_id": str(world.partner.id),
        "mode": "binned",
        "bins": [{"upper": 100, "label": "potent"}, {"upper": None, "label": "weak"}],
        "reason": "Potency bands only",
    }
    r = api(world.sponsor_lead).request("post", path, rule)
    assert r.status_code == 201, r.content
    assert r.json()["mode"] == "binned"
    assert api(world.sponsor_lead).get(path).json()[0]["reason"] == "Potency bands only"
    assert api(world.partner_lead).request("post", path, rule).status_code == 403
    assert api(world.partner_lead).get(path).status_code == 403
    bad = api(world.sponsor_lead).request("post", path, rule | {"bins": []})
    assert bad.status_code == 422 and "bins" in bad.json()["errors"]
    other = f"/api/v1/projects/{world.other_project.id}/sharing-rules"
    assert api(world.other_lead).request("post", other, rule).status_code == 404


REPLICATES = [
    ["12", "15", "20"],
    ["<1", "<3"],
    [">10000", ">3000"],
    ["<5", ">100"],
    ["50", ">10000"],
    ["~40", "60", "<1"],
    [">100", ">300", "<2"],
]


@pytest.mark.parametrize("values", REPLICATES)
def test_the_tables_sql_aggregate_is_the_aggregation_rule(world, bio, values):
    """The table aggregates in SQL; its cells read as `aggregate` says, qualifiers included."""
    from cobench.assays.aggregate import aggregate
    from cobench.assays.services import parse_value

    from .sharing_objects import new_assay

    assay = new_assay(world, "Replicates")
    compound = bio.compounds[0]
    for value in values:
        record(world, assay, compound, value)
    expected = aggregate([parse_value(v) for v in values], endpoint="IC50", unit="nM")
    page = sar.table(world.sponsor_lead, world.project, columns=[str(assay.pk)])
    cell = next(r for r in page.rows if r.compound == compound).cells[str(assay.pk)]
    assert (cell.text, cell.n, cell.qualifier) == (expected.text, expected.n, expected.qualifier)
    assert cell.p_value == pytest.approx(expected.p_value)


def test_the_api_filters_sorts_and_chooses_columns(world, bio, api):
    rosco, purva = (c.registry_id for c in bio.compounds)
    base = f"/api/v1/projects/{world.project.id}/sar"
    data = api(world.sponsor_lead).get(f"{base}?range={bio.potency.pk}::1000").json()
    assert [r["registry_id"] for r in data["rows"]] == [rosco]
    data = api(world.sponsor_lead).get(f"{base}?sort=-{bio.potency.pk}&columns=mw").json()
    assert [r["registry_id"] for r in data["rows"]] == [purva, rosco]
    assert data["properties"] == ["mw"] and data["columns"] == []
    data = api(world.sponsor_lead).get(f"{base}?substructure=Clc1ccccc1").json()
    assert [r["registry_id"] for r in data["rows"]] == [purva]
    assert api(world.sponsor_lead).get(f"{base}?range=nonsense").status_code == 422


@pytest.mark.parametrize(
    "value", ["12", "100", "999", "1000", "5000", ">500", ">50", ">1000", ">20000", "<50", "<500"]
)
def test_a_binned_sort_in_sql_is_the_bin_order(world, bio, value):
    """The table sorts a binned column in SQL where `sharing.bin_order` places the label."""
    from cobench.assays import sharing
    from cobench.assays.services import parse_value

    from .sharing_objects import POTENCY_BINS, new_assay

    assay = new_assay(world, "Bands")
    record(world, assay, bio.compounds[0], value)
    in_sql = sar._summaries(assay).annotate(o=sar.bin_order_sql(POTENCY_BINS)).values("o")
    qualifier, number = parse_value(value)
    assert in_sql.get()["o"] == sharing.bin_order(number, qualifier, POTENCY_BINS)


def test_the_table_follows_every_change_to_the_results(world, bio, api):
    """Recording, flagging, lifting a flag and importing each change the table at once."""
    from cobench.assays import services

    column = str(bio.potency.pk)
    path = f"/api/v1/projects/{world.project.id}/sar?sort={column}"

    def shown():
        rows = api(world.sponsor_lead).get(path).json()["rows"]
        return [(r["registry_id"], r["cells"][column]["text"]) for r in rows]

    rosco, purva = (c.registry_id for c in bio.compounds)
    assert shown() == [(rosco, "136 nM (n=2)"), (purva, "> 10000 nM (n=1)")]
    potent = record(world, bio.potency, bio.compounds[1], "2")
    assert shown() == [(purva, "2.00 nM (n=2, 1 censored)"), (rosco, "136 nM (n=2)")]
    services.flag_result(actor=world.sponsor_scientist, result=potent, flag="invalid", reason="x")
    assert shown() == [(rosco, "136 nM (n=2)"), (purva, "> 10000 nM (n=1)")]
    services.flag_result(actor=world.sponsor_scientist, result=potent, flag="", reason="re-read")
    assert shown()[0] == (purva, "2.00 nM (n=2, 1 censored)")
    client = api(world.sponsor_scientist)
    upload = SimpleUploadedFile("more.csv", f"registry_id,value\n{rosco},1\n{rosco},2\n".encode())
    job = client.client.post(
        f"/api/v1/projects/{world.project.id}/result-imports",
        {"file": upload, "assay_id": str(bio.potency.pk)},
        headers=client.headers,
    ).json()
    assert job["check"]["errors"] == [], job
    started = client.post(f"/api/v1/result-imports/{job['id']}/start")
    assert started.json()["state"] == "done", started.content
    assert shown() == [(purva, "2.00 nM (n=2, 1 censored)"), (rosco, "13.9 nM (n=4)")]


def test_a_changed_endpoint_aggregates_again(world, bio, api):
    """Solubility is an arithmetic mean; read as an IC50 the same results are geometric."""
    column = str(bio.solubility.pk)
    record(world, bio.solubility, bio.compounds[0], "1000")
    path = f"/api/v1/projects/{world.project.id}/sar?columns={column}"
    rows = api(world.sponsor_lead).get(path).json()["rows"]
    assert rows[0]["cells"][column]["text"] == "540 µM (n=2)"  # (80 + 1000) / 2
    changed = api(world.sponsor_lead).patch(
        f"/api/v1/assays/{column}", {"endpoint": "IC50", "version": bio.solubility.version}
    )
    assert changed.status_code == 200, changed.content
    rows = api(world.sponsor_lead).get(path).json()["rows"]
    assert rows[0]["cells"][column]["text"] == "283 µM (n=2)"  # sqrt(80 * 1000) = 282.8
