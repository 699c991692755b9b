"""Registry objects for the search suites: a few CDK2 compounds and one of KRAS only."""

from cobench.compounds import services as compounds

from ..conftest import World

CDK2_SERIES = {
    "roscovitine": "CC[C@H](CO)Nc1nc(NCc2ccccc2)c2ncn(C(C)C)c2n1",
    "olomoucine": "CNc1nc(NCc2ccccc2)c2ncn(C)c2n1",  # a close relative
    "aspirin": "CC(=O)Oc1ccccc1C(=O)O",
    "caffeine": "Cn1c(=O)c2c(ncn2C)n(C)c1=O",
}
KRAS_ONLY = "O=C(Nc1ccc(Cl)cc1)N1CCN(c2ncccn2)CC1"  # the marker: a compound of KRAS only


def register(world: World, structure: str, *, kras: bool = False):
    """Register `structure` in CDK2 (or KRAS, as olga's project lead would)."""
    if kras:
        return compounds.register_structure(
            actor=world.other_member, project=world.other_project, structure=structure
        )
    return compounds.register_structure(
        actor=world.partner_scientist, project=world.project, structure=structure
    )


def registry(world: World) -> dict:
    """The CDK2 series and the KRAS marker registered; their compounds by name."""
    found = {name: register(world, smiles).compound for name, smiles in CDK2_SERIES.items()}
    found["kras"] = register(world, KRAS_ONLY, kras=True).compound
    return found
