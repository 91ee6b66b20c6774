"""Demo data for the Committee: last year's call with published results, this year's mid-scoring.

Both calls are history by the time the demo loads, so their proposals are written in the state they
reached (the workflow that leads there is exercised by the open call's demo and by the tests); the
Committee's own steps run through its services.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import CommunityGroup, User
from committees import services
from committees.models import Committee
from neighbourhoods.models import Neighbourhood
from proposals import services as proposal_services
from proposals.models import Call, Proposal
from proposals.workflow import ProposalState

TITLES = ["Parque de la Amistad", "Centro comunitario Los Pinos", "Alumbrado del andador Juárez",
          "Escalinata del cerro", "Cancha techada", "Museo de sitio del barrio", "Jardín polinizador"]


def _historic_call(coordinator: User, year: int) -> Call:
    existing = Call.objects.filter(fiscal_year=year).first()
    if existing:
        return existing
    start = date(year, 1, 15)
    call = Call(fiscal_year=year, title=f"Convocatoria de Mejoramiento Barrial {year}",
                summary="Convocatoria de demostración de un ejercicio anterior.", total_budget=Decimal("4500000"),
                eligible_project_types=["community_centre", "park", "sports", "site_museum", "lighting",
                                        "stairs_walkways"],
                excluded_works="Pavimentación\nBacheo", priority_strata=["muy_bajo", "bajo"],
                registration_opens_on=start, registration_closes_on=start + timedelta(days=45),
                assembly_window_starts_on=start + timedelta(days=50),
                assembly_window_ends_on=start + timedelta(days=80),
                technical_review_deadline=start + timedelta(days=95), committee_date=start + timedelta(days=105),
                results_date=start + timedelta(days=115), execution_deadline=start + timedelta(days=320),
                committee_quorum=3, waitlist_size=2)
    call = proposal_services.call_save(
        actor=coordinator, call=call,
        modalities=[{"modality": "new", "min_amount": Decimal("800000"), "max_amount": Decimal("1450000")}],
        tranches=[{"number": 1, "share_percent": Decimal("70"), "progress_required_percent": 0,
                   "previous_spending_verified": False},
                  {"number": 2, "share_percent": Decimal("30"), "progress_required_percent": 70,
                   "previous_spending_verified": True}],
        rubric=[{"name": "Prioridad por estrato de desarrollo social", "weight": Decimal("30"),
                 "computed": "stratum"},
                {"name": "Calidad técnica", "weight": Decimal("40"), "computed": ""},
                {"name": "Participación comunitaria", "weight": Decimal("30"), "computed": ""}])
    proposal_services.call_transition(actor=coordinator, call_id=call.pk, action="publish")
    return proposal_services.call_transition(actor=coordinator, call_id=call.pk, action="close")


def _shortlisted(call: Call, count: int) -> list[Proposal]:
    groups = list(CommunityGroup.objects.order_by("pk"))
    units = list(Neighbourhood.objects.exclude(stratum="").order_by("key"))
    made = []
    for i in range(count):
        title = TITLES[i % len(TITLES)]
        group = groups[i % len(groups)]
        proposal, _created = Proposal.objects.get_or_create(
            call=call, title=title, defaults={
                "group": group, "status": ProposalState.SHORTLISTED, "folio": f"MB-{call.fiscal_year}-{i + 1:05d}",
                "neighbourhood": units[(i * 5) % len(units)], "address": "Calle principal s/n", "project_type": "park",
                "modality": "new", "diagnosis": "Espacio público deteriorado.", "objectives": "Recuperarlo.",
                "description": "Obra de mejoramiento.", "population_benefited": 1500 + 250 * i,
                "schedule": "Mes 1-4: obra", "budget_total": Decimal(900000 + 50000 * i),
                "submitted_at": timezone.now() - timedelta(days=300 - i)})
        made.append(proposal)
    return made


def _committee(call: Call, coordinator: User) -> Committee:
    committee = Committee.objects.filter(call=call).first()
    if committee:
        return committee
    committee = services.committee_set(actor=coordinator, call=call,
                                       secretary=User.objects.get(email="secretaria@demo.nicp.mx"))
    sectors = ["government", "government", "academia", "civil_society", "academia"]
    for i in range(1, 6):
        user = User.objects.get(email=f"comite{i}@demo.nicp.mx")
        services.member_add(actor=coordinator, committee=committee, email=user.email, full_name=user.full_name,
                            sector=sectors[i - 1], institution="SEDUVI" if i < 3 else "UNAM")
    return committee


def _score(committee: Committee, proposals: list[Proposal], *, members: int) -> None:
    rubric = [c for c in committee.call.rubric.all() if not c.computed]
    for n, member in enumerate(committee.members.select_related("user").order_by("pk")[:members]):
        for i, proposal in enumerate(proposals):
            if member.score_sheets.filter(proposal=proposal).exists():
                continue
            values = {str(c.pk): {"value": 1 + (i + n + j) % 5, "comment": ""} for j, c in enumerate(rubric)}
            services.score_save(actor=member.user, proposal_id=proposal.pk, values=values, submit=True)


def seed_committees() -> None:
    coordinator = User.objects.get(email="coordinacion@demo.nicp.mx")
    today = timezone.localdate()
    published = _historic_call(coordinator, today.year - 1)
    if published.status == "closed":
        proposals = _shortlisted(published, 6)
        committee = _committee(published, coordinator)
        _score(committee, proposals, members=5)
        session = services.session_open(actor=committee.secretary, committee=committee,
                                        held_on=published.committee_date,
                                        present_member_ids=list(committee.members.values_list("pk", flat=True)))
        for member in committee.members.select_related("user"):
            services.vote_cast(actor=member.user, session_id=session.pk, choice="for")
        services.session_close(actor=committee.secretary, session_id=session.pk)
        services.results_publish(actor=coordinator, call=published)
    scoring = _historic_call(coordinator, today.year)
    if not Committee.objects.filter(call=scoring).exists():
        proposals = _shortlisted(scoring, 7)
        committee = _committee(scoring, coordinator)
        _score(committee, proposals[:4], members=3)  # mid-scoring: some members, some proposals
