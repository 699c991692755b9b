"""The demo's compound requests on CDK2: one in every state, and a pushed-back request whose
alternative the sponsor accepted.

What was made comes from the CDK2 ligand set the registry holds (compounds/demo.py, which
runs first): each made request is linked to its registered compound by registry id. What
is only asked for, pushed back on or proposed is new chemistry around that set, written as
SMILES by hand after well-known CDK2 chemotypes (bohemine, a dinaciclib-like
pyrazolopyrimidine, a palbociclib-like counterscreen).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from cobench.compounds.demo import smiles_of
from cobench.core.permissions import Role
from cobench.demo.cast import BOSTON, HYDERABAD, Demo

from . import services

ROSCOVITINE = "CC[C@H](CO)Nc1nc(NCc2ccccc2)c2ncn(C(C)C)c2n1"  # ZINC01649340 of the set
BOHEMINE_LIKE = "OCCCNc1nc(NCc2ccccc2)c2ncn(C(C)C)c2n1"


def load(demo: Demo) -> None:
    """Requests in every state, built through the services on the demo's own clock."""
    project, orgs = demo.project, demo.organizations
    beacon, deccan = orgs[BOSTON.name], orgs[HYDERABAD.name]
    midnight = datetime.combine(demo.today, time(9), tzinfo=UTC)

    def ago(days: float = 0, hours: float = 0) -> datetime:
        return midnight - timedelta(days=days, hours=hours)

    def due(days: int) -> date:
        return demo.today + timedelta(days=days)

    def made(who, request, zinc_id, days, note=""):
        """Mark it made, linked to the compound of the set registered for it that day."""
        compound = demo.extra["compounds"][zinc_id]
        services.mark_made(
            actor=who, request=request, registry_id=compound.registry_id, note=note, now=ago(days)
        )

    helena = demo.user(Role.SPONSOR_LEAD)
    stefan = demo.user(Role.SPONSOR_SCIENTIST)
    brian = demo.user(Role.PARTNER_LEAD, BOSTON.name)
    maria = demo.user(Role.PARTNER_SCIENTIST, BOSTON.name)
    priya = demo.user(Role.PARTNER_LEAD, HYDERABAD.name)
    arjun = demo.user(Role.PARTNER_SCIENTIST, HYDERABAD.name)

    def ask(who, when, partner, smiles, title, why, priority="normal", due_in=None):
        return services.create_request(
            actor=who,
            project=project,
            structure=smiles,
            partner=partner,
            rationale=why,
            priority=priority,
            title=title,
            due_date=due(due_in) if due_in is not None else None,
            now=when,
        )

    # pushed back, answered, an alternative proposed and accepted, now in synthesis
    rosco = ask(
        helena,
        ago(30),
        beacon,
        ROSCOVITINE,
        "Roscovitine reference",
        "Reference compound for the selectivity panel: we need our own lot of (R)-roscovitine "
        "to compare CDK2/CDK1 against the literature IC50s.",
        priority="high",
        due_in=14,
    )
    services.push_back_request(
        actor=maria,
        request=rosco,
        reason="cost",
        text="(R)-2-aminobutan-1-ol of >98% ee costs about 40x the racemate from our usual "
        "suppliers, and the lead time is 8 weeks.",
        now=ago(29),
    )
    services.answer_request(
        actor=helena,
        request=rosco,
        text="The reference matters more than the exact side chain. Is there an achiral "
        "analogue with the same purine core you can make quickly?",
        now=ago(28, 12),
    )
    services.propose_alternative(
        actor=maria,
        request=rosco,
        structure=BOHEMINE_LIKE,
        text="The 3-hydroxypropylamino analogue (bohemine-like) keeps the hinge contacts and "
        "the benzylamino group; the amine is a cheap stock reagent and there is no stereocentre.",
        now=ago(28),
    )
    services.accept_alternative(
        actor=helena,
        request=rosco,
        note="Agreed: literature data exist for it too.",
        now=ago(27),
    )
    services.start_synthesis(actor=maria, request=rosco, now=ago(25))

    # tested
    nu2058 = ask(
        stefan,
        ago(60),
        beacon,
        smiles_of("ZINC00023543"),
        "O6-cyclohexylmethylguanine",
        "Anchor of the O6-alkylguanine series: its CDK2 IC50 in our assay calibrates every "
        "later analogue.",
        priority="urgent",
    )
    for step, who, days in [
        (services.accept_request, brian, 59),
        (services.start_synthesis, maria, 58),
    ]:
        step(actor=who, request=nu2058, now=ago(days))
    made(maria, nu2058, "ZINC00023543", 50, "Lot 1, 180 mg, 99% by HPLC")
    services.mark_shipped(actor=brian, request=nu2058, note="FedEx, dry ice", now=ago(49))
    services.mark_received(actor=stefan, request=nu2058, note="Arrived frozen", now=ago(46))
    services.mark_tested(
        actor=stefan, request=nu2058, note="CDK2/cyclin A IC50 0.9 uM; in line", now=ago(40)
    )

    # received
    at7519 = ask(
        helena,
        ago(45),
        deccan,
        smiles_of("ZINC03814464"),
        "Pyrazolopyridine ketone",
        "Does a pyrazolopyridine hinge binder hold CDK2 potency without the purine's CDK1 "
        "liability?",
    )
    services.accept_request(actor=priya, request=at7519, now=ago(44))
    services.start_synthesis(actor=arjun, request=at7519, now=ago(42))
    made(arjun, at7519, "ZINC03814464", 30)
    services.mark_shipped(actor=priya, request=at7519, now=ago(28))
    services.mark_received(actor=stefan, request=at7519, now=ago(22))

    # shipped
    oxindole = ask(
        stefan,
        ago(35),
        deccan,
        smiles_of("ZINC03814467"),
        "Imidazolyl-methylidene oxindole",
        "An oxindole to test whether the lactam NH/CO pair can replace the purine N3/N9 "
        "interaction.",
    )
    services.accept_request(actor=priya, request=oxindole, now=ago(34))
    services.start_synthesis(actor=arjun, request=oxindole, now=ago(33))
    made(arjun, oxindole, "ZINC03814467", 12, "Z isomer by NOE; stored in the dark")
    services.mark_shipped(
        actor=priya, request=oxindole, note="Courier, tracking sent by e-mail", now=ago(3)
    )

    # made
    anilino = ask(
        helena,
        ago(25),
        beacon,
        smiles_of("ZINC03814452"),
        "Imidazopyridinyl anilinopyrimidine",
        "Smallest anilinopyrimidine with the imidazopyridine back-pocket group: a "
        "ligand-efficiency benchmark for the series.",
    )
    services.accept_request(actor=brian, request=anilino, now=ago(24))
    services.start_synthesis(actor=maria, request=anilino, now=ago(20))
    made(maria, anilino, "ZINC03814452", 2, "48 mg")

    # accepted, overdue
    thiazole = ask(
        helena,
        ago(21),
        beacon,
        "CC(C)(C)c1cnc(CSc2cnc(NC(=O)C3CCNCC3)s2)o1",  # after ZINC03814455 of the set
        "Aminothiazole amide",
        "Aminothiazole with the oxazole back-pocket group: does the sulfur linker keep "
        "potency while lowering logD?",
        priority="high",
        due_in=-4,
    )
    services.accept_request(actor=brian, request=thiazole, now=ago(20))

    # pushed back, waiting for the sponsor's answer
    services.push_back_request(
        actor=arjun,
        request=ask(
            stefan,
            ago(6),
            deccan,
            "O=C1Nc2ccccc2/C1=C1/Nc2ccccc2C1=O",
            "Indirubin",
            "Indirubin as a tool (the registry has only its 5-sulfonic acid, which does not "
            "enter cells): its CDK2 and GSK3 activities would tell us whether the cellular "
            "effect is CDK2-driven.",
        ),
        reason="stability",
        text="Indirubin is barely soluble in DMSO and photo-isomerises in solution; "
        "we would suggest the 3'-oxime, which is stable and far more soluble.",
        now=ago(5),
    )

    # an alternative proposed, waiting for the sponsor
    services.propose_alternative(
        actor=maria,
        request=ask(
            helena,
            ago(4),
            beacon,
            "CCc1cnn2c(NCc3ccc[n+]([O-])c3)cc(N3CCCC[C@H]3CCO)nc12",
            "Pyrazolopyrimidine N-oxide",
            "Dinaciclib-like pyrazolopyrimidine: does the pyridine N-oxide carry the potency "
            "into cells?",
            priority="urgent",
            due_in=10,
        ),
        structure="CCc1cnn2c(NCc3cccnc3)cc(N3CCCC[C@H]3CCO)nc12",
        text="The N-oxide is made last and partly reduces during purification. The parent "
        "pyridine first would tell you about the core within a week; the N-oxide can follow.",
        now=ago(3),
    )

    # proposed, just sent
    ask(
        stefan,
        ago(0, 20),
        deccan,
        "CC(=O)c1c(C)c2cnc(Nc3ccc(N4CCNCC4)cn3)nc2n(C2CCCC2)c1=O",
        "Pyridopyrimidinone counterscreen",
        "A CDK4/6-selective pyridopyrimidinone as the negative control for CDK2 selectivity.",
        priority="low",
        due_in=30,
    )

    # abandoned
    services.abandon_request(
        actor=helena,
        request=ask(
            helena,
            ago(50),
            deccan,
            smiles_of("ZINC01641925"),
            "Olomoucine",
            "First-generation purine for the assay set-up.",
        ),
        reason="Bought from a catalogue supplier instead: cheaper than a custom synthesis.",
        now=ago(48),
    )
