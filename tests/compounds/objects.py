"""CDK2's registry objects for the suites that enumerate every route (isolation, audit)."""

import threading
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from cobench.compounds import imports
from cobench.compounds import services as compounds
from cobench.compounds.models import RegistrySequence

from ..conftest import World

ROSCOVITINE = "CC[C@H](CO)Nc1nc(NCc2ccccc2)c2ncn(C(C)C)c2n1"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def register(world: World, structure: str = ROSCOVITINE, **lot: Any) -> compounds.Registration:
    return compounds.register_structure(
        actor=world.partner_scientist, project=world.project, structure=structure, **lot
    )


def registered_meanwhile(monkeypatch: Any, world: World, structure: str) -> list[threading.Thread]:
    """Have another session register `structure` (and commit) when the next registration has
    looked its structures up and is about to number the new ones; the list holds that session
    once it ran."""
    real = RegistrySequence.objects.get_or_create
    raced: list[threading.Thread] = []

    def in_another_session() -> None:
        try:
            register(world, structure)
        finally:
            connection.close()  # this thread's own

    def someone_registers_it_first(**kwargs: Any) -> Any:
        if not raced:
            raced.append(threading.Thread(target=in_another_session))
            raced[0].start()
            raced[0].join()
        return real(**kwargs)

    monkeypatch.setattr(RegistrySequence.objects, "get_or_create", someone_registers_it_first)
    return raced


def new_file(world: World):
    lot = register(world).lot
    upload = SimpleUploadedFile("nmr-roscovitine.pdf", PDF, content_type="application/pdf")
    return compounds.attach_lot_file(actor=world.partner_lead, lot=lot, upload=upload, kind="nmr")


def new_shipment(world: World):
    lot = register(world).lot
    return compounds.send_lot(
        actor=world.partner_lead, lot=lot, to_org=world.sponsor, carrier="World Courier"
    )


def new_import(world: World, text: str = f"{ROSCOVITINE} hinge-7\n", name: str = "hinge.smi"):
    """An uploaded (not yet checked) import job of a one-record SMILES file."""
    upload = SimpleUploadedFile(name, text.encode())
    return imports.create_import(
        actor=world.partner_scientist, project=world.project, upload=upload
    )


def cdk2_compounds(world: World) -> dict[str, Any]:
    """A registered compound with a lot, an analytical file and a shipment of CDK2."""
    registration = register(world, appearance="Pale yellow hinge powder")
    attachment = new_file(world)
    shipment = compounds.send_lot(
        actor=world.partner_lead,
        lot=registration.lot,
        to_org=world.sponsor,
        carrier="Hingeway Couriers",
        tracking_number="TRK-CDK2-777",
    )
    job = new_import(world, name="hinge-series-secret.smi")
    return {
        "compound_import": job,
        "compound": registration.compound,
        "lot": registration.lot,
        "lot_file": attachment,
        "shipment": shipment,
        "markers": [
            registration.compound.registry_id,
            registration.lot.lot_number,
            "Pale yellow hinge powder",
            "nmr-roscovitine.pdf",
            "Hingeway Couriers",
            "TRK-CDK2-777",
            "hinge-series-secret.smi",
            str(registration.compound.id),
        ],
    }
