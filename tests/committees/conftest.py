from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import StaffRole
from committees import services
from neighbourhoods.models import Borough
from proposals.models import Proposal
from proposals.services import proposal_create
from proposals.workflow import ProposalState
from tests.factories import CommunityGroupFactory, NeighbourhoodFactory, UserFactory, make_open_call

STRATA = ["muy_bajo", "bajo", "medio", "alto"]


def shortlisted_proposals(call, n, *, amount=Decimal("1000000")):
    """n proposals before the Committee, spread over four boroughs and the four strata. The review
    steps before are covered elsewhere; here they start where the Committee does."""
    boroughs = list(Borough.objects.order_by("inegi_code")[:4])
    out = []
    for i in range(n):
        unit = NeighbourhoodFactory(borough=boroughs[i % 4], key=f"{boroughs[i % 4].iecm_number}-{900 + i:03d}",
                                    stratum=STRATA[i % 4])
        representative = UserFactory()
        group = CommunityGroupFactory(neighbourhood=unit, representative=representative)
        proposal = proposal_create(actor=representative, call=call, group=group, title=f"Proyecto {i:02d}")
        Proposal.objects.filter(pk=proposal.pk).update(
            status=ProposalState.SHORTLISTED, folio=f"MB-{call.fiscal_year}-{i + 1:05d}", budget_total=amount,
            population_benefited=1000 + 100 * i, neighbourhood=unit,
            submitted_at=timezone.now() - timedelta(minutes=n - i))
        out.append(Proposal.objects.get(pk=proposal.pk))
    return out


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=[StaffRole.COORDINATOR], full_name="Coordinación")


@pytest.fixture
def committee_call(db):
    return make_open_call(year=2028, total_budget=Decimal("5000000"), committee_quorum=3, waitlist_size=2)


@pytest.fixture
def committee(committee_call, coordinator):
    secretary = UserFactory(full_name="Secretaría")
    committee = services.committee_set(actor=coordinator, call=committee_call, secretary=secretary)
    for i in range(5):
        services.member_add(actor=coordinator, committee=committee, email=f"comite{i}@ejemplo.mx",
                            full_name=f"Integrante {i}", sector="academia" if i % 2 else "government",
                            institution="UNAM" if i % 2 else "SEDUVI")
    return committee


@pytest.fixture
def shortlist(committee_call):
    return shortlisted_proposals(committee_call, 8)


def members(committee):
    return list(committee.members.select_related("user").order_by("pk"))


def score_all(committee, proposals, *, value_for=lambda member, proposal: 3):
    rubric = list(committee.call.rubric.all())
    for member in members(committee):
        for proposal in proposals:
            if member.recusals.filter(proposal=proposal).exists():
                continue
            values = {str(c.pk): {"value": value_for(member, proposal), "comment": ""} for c in rubric}
            services.score_save(actor=member.user, proposal_id=proposal.pk, values=values, submit=True)
