"""Proposals in every state, with what each state implies: folio and submission (all but drafts), the timeline
the services would have written, budget lines adding up to the amount, attachments, the assembly, the
technical review. Built and inserted a slice at a time so 50,000 never sit in memory with their rows."""

import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from nicp.scale.seed_tag import FILES
from proposals.models import (
    Assembly,
    Attachment,
    BudgetLine,
    Proposal,
    ProposalEvent,
    ReviewAssignment,
    TechnicalReview,
)
from proposals.models.calls import ProjectType
from proposals.models.review import CHECKLIST
from proposals.workflow import COMMITTEE_STATES, PROPOSAL_TRANSITIONS
from proposals.workflow import ProposalAction as A
from proposals.workflow import ProposalState as S

SLICE = 2_000
CENT = Decimal("0.01")
# How the call still in review spreads (every state before the Committee's results), and the final states
# of a call with results besides its selected (funded) proposals; each hundred holds each state its weight.
IN_REVIEW_WEIGHTS = {S.DRAFT: 3, S.SUBMITTED: 20, S.RETURNED: 5, S.ELIGIBLE: 10, S.INELIGIBLE: 5,
                     S.ASSEMBLY_SCHEDULED: 8, S.ASSEMBLY_APPROVED: 8, S.ASSEMBLY_REJECTED: 2, S.IN_REVIEW: 12,
                     S.FEASIBLE: 8, S.NOT_FEASIBLE: 4, S.SHORTLISTED: 12, S.WITHDRAWN: 3}
RESULTS_WEIGHTS = {S.INELIGIBLE: 15, S.ASSEMBLY_REJECTED: 5, S.NOT_FEASIBLE: 10, S.WAITLISTED: 10,
                   S.NOT_SELECTED: 55, S.WITHDRAWN: 5}
# The actions that led to each state (the assembly before the technical review, the calls' default order).
_REVIEWED = [A.SUBMIT, A.ACCEPT, A.SCHEDULE_ASSEMBLY, A.APPROVE_IN_ASSEMBLY, A.START_REVIEW]
PATHS = {
    S.DRAFT: [], S.SUBMITTED: [A.SUBMIT], S.RETURNED: [A.SUBMIT, A.RETURN], S.ELIGIBLE: [A.SUBMIT, A.ACCEPT],
    S.INELIGIBLE: [A.SUBMIT, A.REJECT_INELIGIBLE], S.WITHDRAWN: [A.SUBMIT, A.WITHDRAW],
    S.ASSEMBLY_SCHEDULED: _REVIEWED[:3], S.ASSEMBLY_APPROVED: _REVIEWED[:4],
    S.ASSEMBLY_REJECTED: [*_REVIEWED[:3], A.REJECT_IN_ASSEMBLY], S.IN_REVIEW: _REVIEWED,
    S.FEASIBLE: [*_REVIEWED, A.MARK_FEASIBLE], S.NOT_FEASIBLE: [*_REVIEWED, A.MARK_NOT_FEASIBLE],
    S.SHORTLISTED: [*_REVIEWED, A.MARK_FEASIBLE, A.SHORTLIST],
    S.SELECTED: [*_REVIEWED, A.MARK_FEASIBLE, A.SHORTLIST, A.SELECT],
    S.WAITLISTED: [*_REVIEWED, A.MARK_FEASIBLE, A.SHORTLIST, A.WAITLIST],
    S.NOT_SELECTED: [*_REVIEWED, A.MARK_FEASIBLE, A.SHORTLIST, A.NOT_SELECT],
}
LINES = [("works", "Materiales de construcción", Decimal("0.6")), ("works", "Mano de obra", Decimal("0.3")),
         ("technical_assistance", "Herramienta y equipo", Decimal("0.1"))]
WORDS = ["Parque", "Centro comunitario", "Alumbrado público", "Andador peatonal", "Cancha deportiva",
         "Mejoramiento de fachadas", "Huerto urbano", "Captación de lluvia"]
MANY_LINES, MANY_ATTACHMENTS = 40, 20  # the sample proposal with a long budget and many files
PHOTO, PROOF = f"{FILES}/sitio.jpg", f"{FILES}/constancia.pdf"


def pattern(weights: dict) -> list[str]:
    states = [state for state, weight in weights.items() for _ in range(weight)]
    random.Random(2026).shuffle(states)
    return states


def reached(state: str, action: str) -> bool:
    return action in PATHS[state]


@dataclass
class Funded:
    """What the projects stage needs of a selected proposal."""
    proposal: Proposal
    lines: list[BudgetLine]


@dataclass
class Built:
    funded: list[Funded] = field(default_factory=list)
    committee: list[tuple] = field(default_factory=list)  # (proposal, call, state, amount) to score
    many_lines: int | None = None


def stored_files() -> None:
    for path, content in ((PHOTO, b"\xff\xd8\xff\xd9"), (PROOF, b"%PDF-1.4\n%%EOF\n")):
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(content))


def split_amount(amount: Decimal, shares) -> list[Decimal]:
    prices, left = [], amount
    for i, share in enumerate(shares):
        price = left if i == len(shares) - 1 else (amount * share).quantize(CENT)
        left -= price
        prices.append(price)
    return prices


class ProposalsStage:
    def __init__(self, calls, units, pool, funded_groups, reviewers, rng: random.Random):
        self.calls, self.units, self.pool, self.funded_groups = calls, units, pool, funded_groups
        self.reviewers, self.rng = reviewers, rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.built = Built()
        self.n = 0  # proposals made so far, over every call
        self.funded_made = 0
        stored_files()

    def run(self, in_review: int, per_result_call: list[tuple[int, int]]) -> Built:
        review_states = pattern(IN_REVIEW_WEIGHTS)
        self.call(self.calls[0], [review_states[i % len(review_states)] for i in range(in_review)])
        result_states = pattern(RESULTS_WEIGHTS)
        for call, (count, funded) in zip(self.calls[1:], per_result_call, strict=True):
            states = [result_states[i % len(result_states)] for i in range(count - funded)]
            every = max(1, count // funded)  # spread the selected ones evenly through the folios
            for k in range(funded):
                states.insert(min(k * every, len(states)), S.SELECTED)
            self.call(call, states)
        return self.built

    def call(self, call, states: list[str]) -> None:
        folio = 0
        for start in range(0, len(states), SLICE):
            rows = []
            for state in states[start:start + SLICE]:
                if state != S.DRAFT:
                    folio += 1
                rows.append(self.proposal(call, state, folio if state != S.DRAFT else 0))
            self.insert(call, rows)
        from proposals.models import FolioCounter

        FolioCounter.objects.update_or_create(call=call, defaults={"last_number": folio})

    def proposal(self, call, state: str, folio: int) -> Proposal:
        rng, n = self.rng, self.n
        self.n += 1
        if state == S.SELECTED:  # a funded proposal has a group of its own: the project's
            group, self.funded_made = self.funded_groups[self.funded_made], self.funded_made + 1
        else:
            group = self.pool[n % len(self.pool)]
        unit = group.neighbourhood
        amount = Decimal(rng.randrange(800, 1451)) * 1000
        return Proposal(
            call=call, group=group, folio=f"MB-{call.fiscal_year}-{folio:05d}" if folio else "", status=state,
            title=f"{WORDS[n % len(WORDS)]} en {unit.name.title()} {n}", neighbourhood=unit,
            address=f"Calle {n % 97 + 1} s/n", latitude=Decimal("19.2") + Decimal(n * 7919 % 3500) / 10000,
            longitude=Decimal("-99.3") + Decimal(n * 104729 % 3500) / 10000,
            project_type=ProjectType.values[n % len(ProjectType.values)], modality="new", budget_total=amount,
            assigned_amount=amount if state == S.SELECTED else None, population_benefited=rng.randrange(200, 5000),
            submitted_at=None if state == S.DRAFT else self.now - timedelta(days=rng.randrange(20, 80)),
            correction_deadline=self.today + timedelta(days=5) if state == S.RETURNED else None,
            ineligibility_reason="incomplete" if state == S.INELIGIBLE else "",
            version=1 + len(PATHS[state]), diagnosis="Diagnóstico de la colonia.", objectives="Mejorar el espacio.",
            description="Descripción del proyecto.", schedule="Mes 1–3: obra")

    def insert(self, call, rows: list[Proposal]) -> None:
        Proposal.objects.bulk_create(rows, batch_size=SLICE)
        lines, files, events, assemblies, assignments, reviews = [], [], [], [], [], []
        for proposal in rows:
            many = self.built.many_lines is None and proposal.status == S.SUBMITTED
            if many:
                self.built.many_lines = proposal.pk
            own = self.lines(proposal, MANY_LINES if many else len(LINES))
            lines += own
            if proposal.status == S.SELECTED:
                self.built.funded.append(Funded(proposal, own))
            if proposal.status in COMMITTEE_STATES:
                self.built.committee.append((proposal.pk, call.pk, proposal.status, proposal.budget_total))
            if proposal.status != S.DRAFT:
                files += self.attachments(proposal, MANY_ATTACHMENTS if many else 2)
            events += self.events(proposal)
            assemblies += self.assembly(proposal)
            if reached(proposal.status, A.START_REVIEW):
                reviewer = self.reviewers[proposal.pk % len(self.reviewers)]
                assignments.append(ReviewAssignment(proposal=proposal, reviewer=reviewer))
                reviews.append(self.review(proposal, reviewer))
        BudgetLine.objects.bulk_create(lines, batch_size=5000)
        Attachment.objects.bulk_create(files, batch_size=5000)
        ProposalEvent.objects.bulk_create(events, batch_size=5000)
        Assembly.objects.bulk_create(assemblies, batch_size=5000)
        ReviewAssignment.objects.bulk_create(assignments, batch_size=5000)
        TechnicalReview.objects.bulk_create(reviews, batch_size=5000)

    def lines(self, proposal: Proposal, count: int) -> list[BudgetLine]:
        if count == len(LINES):
            specs = LINES
        else:
            specs = [("works", f"Concepto {i + 1}", Decimal(1) / count) for i in range(count)]
        prices = split_amount(proposal.budget_total, [share for _c, _t, share in specs])
        return [BudgetLine(proposal=proposal, chapter=chapter, concept=concept, unit="lote", quantity=1,
                           unit_price=price, position=i)
                for i, ((chapter, concept, _share), price) in enumerate(zip(specs, prices, strict=True))]

    def attachments(self, proposal: Proposal, count: int) -> list[Attachment]:
        kinds = [("site_photo", PHOTO, "image/jpeg"), ("public_land_proof", PROOF, "application/pdf")]
        return [Attachment(proposal=proposal, kind=kinds[i % 2][0], file=kinds[i % 2][1],
                           original_name=f"anexo-{i + 1}.{'jpg' if i % 2 == 0 else 'pdf'}",
                           content_type=kinds[i % 2][2], size=4096) for i in range(count)]

    def events(self, proposal: Proposal) -> list[ProposalEvent]:
        # The actor is left empty: generated, not done by anyone.
        rows = [ProposalEvent(proposal=proposal, action="create", from_state="", to_state=S.DRAFT)]
        state = S.DRAFT
        for action in PATHS[proposal.status]:
            if action == A.START_REVIEW:
                rows.append(ProposalEvent(proposal=proposal, action="assign_reviewer", from_state=state,
                                          to_state=state, note="Revisión técnica de escala"))
            target = PROPOSAL_TRANSITIONS[(state, action)]
            rows.append(ProposalEvent(proposal=proposal, action=action, from_state=state, to_state=target,
                                      note="Falta la constancia del predio." if action in (
                                          A.RETURN, A.REJECT_INELIGIBLE) else ""))
            state = target
        if state != proposal.status:  # a wrong PATHS entry: the timeline would contradict the state
            raise ValueError(f"{proposal.status}: its path ends in {state}")
        return rows

    def assembly(self, proposal: Proposal) -> list[Assembly]:
        if not reached(proposal.status, A.SCHEDULE_ASSEMBLY):
            return []
        when = self.now - timedelta(days=self.rng.randrange(1, 20))
        row = Assembly(proposal=proposal, scheduled_at=when, place="Explanada de la colonia",
                       convened_by="Grupo promovente", quorum_required=30)
        if reached(proposal.status, A.APPROVE_IN_ASSEMBLY) or proposal.status == S.ASSEMBLY_REJECTED:
            approved = proposal.status != S.ASSEMBLY_REJECTED
            row.status = "approved" if approved else "rejected"
            row.attendees, row.abstentions = 60, 4
            row.votes_for, row.votes_against = (48, 8) if approved else (10, 46)
            row.minutes, row.recorded_at = PROOF, when
        else:
            row.scheduled_at = self.now + timedelta(days=self.rng.randrange(1, 20))
        return [row]

    def review(self, proposal: Proposal, reviewer) -> TechnicalReview:
        done = proposal.status != S.IN_REVIEW
        feasible = proposal.status != S.NOT_FEASIBLE
        return TechnicalReview(
            proposal=proposal, reviewer=reviewer, status="submitted" if done else "draft",
            checklist={item: {"answer": "yes" if feasible else "no", "note": ""} for item in CHECKLIST},
            site_visit_on=self.today - timedelta(days=10), result=("feasible" if feasible else "not_feasible")
            if done else "", reasons="" if feasible else "El predio no es público.",
            submitted_at=self.now if done else None, version=2 if done else 1)
