"""The demo's registry: a CDK2 series, a hydrochloride lot of a known compound, a custody chain."""

from cobench.compounds.models import Compound, Lot, Shipment
from cobench.demo import loader


def test_the_demo_registers_a_series_with_a_salt_lot_and_a_shipment_chain(db):
    loader.load_demo()
    assert Compound.objects.count() == 5
    roscovitine = Compound.objects.get(registry_id="CB-000001")
    lots = list(roscovitine.lots.order_by("number"))
    assert [lot.salt_form for lot in lots] == ["", "HCl"]
    assert lots[1].removed_fragments == ["Cl"]
    assert lots[0].producer.name != lots[1].producer.name
    chain = list(Shipment.objects.filter(lot=lots[0]).order_by("number"))
    assert [(s.from_org.name, s.to_org.name) for s in chain] == [
        ("Beacon Street Chemistry", "Helix Bio"),
        ("Helix Bio", "Deccan Synthesis Labs"),
    ]
    assert chain[0].received_at and chain[1].received_at is None
    assert all("Illustrative" in lot.notes for lot in Lot.objects.all())
