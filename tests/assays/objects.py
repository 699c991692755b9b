"""CDK2's assays and results for the shared suites (isolation, audit coverage) and the tests."""

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from cobench.assays import imports, services
from cobench.assays.models import Assay, AssayFile, Result, ResultImport

from ..compounds.objects import PDF, register
from ..conftest import World


def new_assay(w: World, name: str = "CDK2 IC50", **fields: Any) -> Assay:
    values = {
        "kind": "biochemical",
        "endpoint": "IC50",
        "unit": "nM",
        "better": "lower",
        "target": "CDK2/cyclin E",
        **fields,
    }
    return services.create_assay(actor=w.sponsor_lead, project=w.project, name=name, **values)


def new_result(w: World, assay: Assay | None = None, value: Any = "12", **fields: Any) -> Result:
    assay = assay or new_assay(w)
    registry_id = fields.pop("registry_id", None) or register(w).compound.registry_id
    return services.record_result(
        actor=w.sponsor_scientist,
        assay=assay,
        registry_id=registry_id,
        value=value,
        run_date=fields.pop("run_date", date(2026, 3, 2)),
        **fields,
    )


def new_file(w: World, assay: Assay | None = None) -> AssayFile:
    upload = SimpleUploadedFile("cdk2-protocol.pdf", PDF, content_type="application/pdf")
    return services.attach_assay_file(
        actor=w.sponsor_lead, assay=assay or new_assay(w), upload=upload
    )


def new_import(w: World, registry_id: str = "", name: str = "plate-7.csv") -> ResultImport:
    """An uploaded (not yet checked) import of one result."""
    assay = new_assay(w, name=f"Assay of {name}")
    registry_id = registry_id or register(w).compound.registry_id
    upload = SimpleUploadedFile(name, f"registry_id,value\n{registry_id},42\n".encode())
    return imports.create_import(
        actor=w.sponsor_scientist, project=w.project, upload=upload, assay=assay
    )


def cdk2_assays(w: World, registry_id: str) -> dict[str, Any]:
    """An assay with a protocol and a result of CDK2, and what would betray them."""
    assay = new_assay(w, name="Secret hinge kinase assay", target="CDK2 secret target")
    result = new_result(w, assay, value="777.5", registry_id=registry_id, experiment_id="EXP-9Q")
    attachment = new_file(w, assay)
    job = new_import(w, registry_id, name="secret-plate-results.csv")
    return {
        "assay": assay,
        "result": result,
        "assay_file": attachment,
        "result_import": job,
        "markers": [
            "Secret hinge kinase assay",
            "CDK2 secret target",
            "EXP-9Q",
            str(assay.id),
            "secret-plate-results.csv",
        ],
    }
