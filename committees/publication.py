"""Results: publish the voted selection, whatever happened to its proposals since the vote, and give a
freed place to the waitlist.

Between shortlisting and publication a proposal can leave the Committee's hands (today: the group
withdraws it; tomorrow: any state the workflow table lets it reach). At publication each entry takes
its voted outcome only if its proposal can still take it; otherwise the entry is dropped, on the
proposal's and the Committee's record, and never published. A proposal whose technical review was
reopened after it reached the Committee is published as not selected. A selected place freed this way,
or by a withdrawal after publication, goes to the waitlist in rank order: each waitlisted proposal that
fits the remaining budget and the per-borough cap (the session's fill rule) moves up."""

from collections import Counter
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from committees.models import CommitteeEvent, Outcome, SelectionEntry, Session
from proposals.models import Call, Proposal, ProposalEvent, TechnicalReview
from proposals.services import call_transition, proposal_transition
from proposals.workflow import (
    COMMITTEE_STATES,
    PROPOSAL_TRANSITIONS,
    CallAction,
    CallState,
    ProposalAction,
    ProposalState,
)

OUTCOME_ACTIONS = {Outcome.SELECTED: ProposalAction.SELECT, Outcome.WAITLISTED: ProposalAction.WAITLIST,
                   Outcome.NOT_SELECTED: ProposalAction.NOT_SELECT}
PUBLISHABLE_CALL_STATES = frozenset({CallState.PUBLISHED, CallState.CLOSED})


def _borough(proposal: Proposal) -> int:
    return proposal.neighbourhood.borough_id if proposal.neighbourhood_id else 0


def _record(entry: SelectionEntry, action: str, note: str, actor) -> None:
    CommitteeEvent.objects.create(committee_id=entry.session.committee_id, action=action, actor=actor,
                                  proposal_id=entry.proposal_id, note=note)


def _drop(entry: SelectionEntry, proposal: Proposal, note: str, actor) -> None:
    entry.dropped, entry.after_vote_note = True, note
    entry.save(update_fields=["dropped", "after_vote_note"])
    ProposalEvent.objects.create(proposal=proposal, actor=actor, action="results_excluded",
                                 from_state=proposal.status, to_state=proposal.status, note=note)
    _record(entry, CommitteeEvent.Action.DROPPED, note, actor)


def _fill_from_waitlist(*, call: Call, selected: list[SelectionEntry], waitlisted: list[SelectionEntry],
                        freed: list[str]) -> list[SelectionEntry]:
    """The session's fill rule over the waitlist, in rank order, for the places freed by `freed` (folios)."""
    remaining = call.total_budget - sum((e.assigned_amount for e in selected), Decimal("0"))
    per_borough = Counter(_borough(e.proposal) for e in selected)
    cap = call.max_selected_per_borough
    promoted = []
    for entry in sorted(waitlisted, key=lambda e: e.rank):
        borough = _borough(entry.proposal)
        if entry.assigned_amount > remaining or (cap is not None and per_borough[borough] >= cap):
            continue
        remaining -= entry.assigned_amount
        per_borough[borough] += 1
        entry.outcome = Outcome.SELECTED
        entry.after_vote_note = _("Pasa de la lista de espera: ocupa el lugar que dejó %(folios)s.") % {
            "folios": ", ".join(freed)}
        entry.save(update_fields=["outcome", "after_vote_note"])
        promoted.append(entry)
    return promoted


def _why_not(entry: SelectionEntry, proposal: Proposal) -> str:
    """Why this entry cannot take its outcome now ("" when it can)."""
    if (proposal.status, OUTCOME_ACTIONS[entry.outcome]) in PROPOSAL_TRANSITIONS:
        return ""
    return _("Después de la votación del Comité la propuesta quedó «%(state)s»: no se publica como «%(outcome)s».") \
        % {"state": proposal.get_status_display(), "outcome": entry.get_outcome_display()}


@transaction.atomic
def results_publish(*, actor, call: Call) -> Call:
    """Move every proposal of the session to its outcome, tell each group, publish the call's results."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    session = (Session.objects.select_for_update().select_related("committee")
               .filter(committee__call=call, status=Session.Status.CLOSED).first())
    if session is None:
        raise ValidationError(_("Primero la sesión del Comité debe cerrarse con la selección votada."))
    if call.status not in PUBLISHABLE_CALL_STATES:
        raise ValidationError(_("Los resultados de esta convocatoria ya se publicaron."))
    entries = list(session.entries.filter(dropped=False).order_by("rank"))
    # Lock the proposals first: a withdrawal racing with publication waits, then finds it published.
    proposals = {p.pk: p for p in Proposal.objects.select_for_update(of=("self",)).select_related("neighbourhood")
                 .filter(pk__in=[e.proposal_id for e in entries])}
    reopened = set(TechnicalReview.objects.filter(proposal_id__in=proposals)
                   .exclude(status=TechnicalReview.Status.SUBMITTED).values_list("proposal_id", flat=True))
    freed: list[str] = []
    kept: list[SelectionEntry] = []
    for entry in entries:
        entry.session, entry.proposal = session, proposals[entry.proposal_id]
        reason = _why_not(entry, entry.proposal)
        if reason:
            if entry.outcome == Outcome.SELECTED:
                freed.append(entry.proposal.folio)
            _drop(entry, entry.proposal, reason, actor)
            continue
        if entry.proposal_id in reopened and entry.outcome != Outcome.NOT_SELECTED:
            if entry.outcome == Outcome.SELECTED:
                freed.append(entry.proposal.folio)
            entry.outcome = Outcome.NOT_SELECTED
            entry.after_vote_note = _("Su dictamen técnico se reabrió después de pasar al Comité: no se publica "
                                      "como seleccionada ni en lista de espera.")
            entry.save(update_fields=["outcome", "after_vote_note"])
            _record(entry, CommitteeEvent.Action.DROPPED, entry.after_vote_note, actor)
        kept.append(entry)
    if freed:
        for entry in _fill_from_waitlist(call=call, selected=[e for e in kept if e.outcome == Outcome.SELECTED],
                                         waitlisted=[e for e in kept if e.outcome == Outcome.WAITLISTED],
                                         freed=freed):
            _record(entry, CommitteeEvent.Action.PROMOTED, entry.after_vote_note, actor)
    for entry in kept:
        Proposal.objects.filter(pk=entry.proposal_id).update(
            assigned_amount=entry.assigned_amount if entry.outcome == Outcome.SELECTED else None)
        note = "\n".join(n for n in (entry.change_reason, entry.after_vote_note) if n)
        proposal_transition(actor=actor, proposal_id=entry.proposal_id, action=OUTCOME_ACTIONS[entry.outcome],
                            note=note, system=True)
    _close_unranked(actor=actor, call=call, ranked={e.proposal_id for e in session.entries.all()})
    if call.status == CallState.PUBLISHED:
        call_transition(actor=actor, call_id=call.pk, action=CallAction.CLOSE)
    return call_transition(actor=actor, call_id=call.pk, action=CallAction.PUBLISH_RESULTS)


def _close_unranked(*, actor, call: Call, ranked: set[int]) -> None:
    """Proposals the session could not rank (too few score sheets) are not selected, with no score:
    the group is told why instead of reading a 0."""
    note = _("Sin calificaciones suficientes: el Comité no la ordenó en la prelación, así que no fue seleccionada.")
    for proposal_id in (Proposal.objects.filter(call=call, status=ProposalState.SHORTLISTED)
                        .exclude(pk__in=ranked).values_list("pk", flat=True)):
        proposal_transition(actor=actor, proposal_id=proposal_id, action=ProposalAction.NOT_SELECT, note=note,
                            system=True)


def proposal_left_committee(*, actor, proposal: Proposal, source: str) -> None:
    """A proposal left a Committee state (withdrawn, or any other way out the workflow allows).
    Before publication this is recorded, and publication settles it. After publication its entry leaves
    the published results at once and, if it was selected, its place goes to the waitlist."""
    entry = (SelectionEntry.objects.select_related("session__committee__call")
             .filter(session__committee__call=proposal.call_id, proposal=proposal, dropped=False).first())
    committee = entry.session.committee if entry else getattr(proposal.call, "committee", None)
    if committee is None:
        return
    note = _("La propuesta %(folio)s pasó de «%(from)s» a «%(to)s».") % {
        "folio": proposal.folio, "from": ProposalState(source).label, "to": proposal.get_status_display()}
    CommitteeEvent.objects.create(committee=committee, action=CommitteeEvent.Action.PROPOSAL_LEFT, actor=actor,
                                  proposal=proposal, note=note)
    if entry is not None and proposal.call.status not in PUBLISHABLE_CALL_STATES:
        _drop(entry, proposal, _("Dejó la selección después de publicados los resultados (%(state)s).")
              % {"state": proposal.get_status_display()}, actor)
        if source == ProposalState.SELECTED:
            place_offer_after_withdrawal(actor=actor, proposal=proposal, session=entry.session)


def place_offer_after_withdrawal(*, actor, proposal: Proposal, session: Session) -> list[Proposal]:
    """A selected proposal left after publication (before its agreement): its place goes to the
    waitlist under the session's fill rule."""
    live = list(session.entries.filter(dropped=False).select_related("proposal__neighbourhood").order_by("rank"))
    selected = [e for e in live if e.proposal.status == ProposalState.SELECTED]
    waitlisted = [e for e in live if e.proposal.status == ProposalState.WAITLISTED]
    promoted = []
    for moved in _fill_from_waitlist(call=session.committee.call, selected=selected, waitlisted=waitlisted,
                                     freed=[proposal.folio]):
        moved.session = session
        _record(moved, CommitteeEvent.Action.PROMOTED, moved.after_vote_note, actor)
        Proposal.objects.filter(pk=moved.proposal_id).update(assigned_amount=moved.assigned_amount)
        promoted.append(proposal_transition(actor=actor, proposal_id=moved.proposal_id,
                                            action=ProposalAction.PROMOTE, note=moved.after_vote_note, system=True))
    return promoted


def left_committee(source: str, target: str) -> bool:
    return source in COMMITTEE_STATES and target not in COMMITTEE_STATES
