"""CDK2's registry objects for the suites that enumerate every route (isolation, audit)."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from cobench.compounds import imports
from cobench.compounds import services as compounds

from ..conftest import World

ROSCOVITINE = "CC[C@H](CO)Nc1nc(NCc2ccccc2)c2ncn(C(C)C)c2n1"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def register(world: World, structure: str = ROSCOVITINE, **lot: Any) -> compounds.Registration:
    return compounds.register_structure(
        actor=world.partner_scientist, project=world.project, structure=structure, **lot
    )


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
