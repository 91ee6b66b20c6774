"""Conflict of interest: a Committee member who belongs, or belonged, to a proposing group is recused
from its proposals, whenever that comes to light (membership changes, a member added, shortlisting)
and again at scoring, session opening, voting and closing (defence in depth).

A new recusal is recorded with its automatic reason, the member's score sheets on that proposal are
voided (kept with why, never counted), the member is told, and the Committee's record says so. While the
session is open, a voided sheet that the ranking counted makes the proposed selection be recomputed
(its changes and votes go, as with any change to the list). Once the list is voted it stands; the
voided sheets are still recorded."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import GroupAction, GroupEvent, Membership
from committees.models import Committee, CommitteeEvent, CommitteeMember, Recusal, ScoreSheet, Session
from committees.ranking import selection_build
from proposals.models import Proposal
from proposals.workflow import CallState

DECIDED_CALL_STATES = frozenset({CallState.RESULTS_PUBLISHED, CallState.ARCHIVED})
# A member who left a group still recuses: leaving must not be a way out of the conflict.
PAST_MEMBERSHIP_ACTIONS = [GroupAction.CREATED, GroupAction.JOINED, GroupAction.LEFT]


def groups_of(user_id: int) -> tuple[set[int], set[int]]:
    """(groups the person belongs to now, groups they belonged to before)."""
    current = set(Membership.objects.filter(user_id=user_id).values_list("group_id", flat=True))
    past = set(GroupEvent.objects.filter(actor_id=user_id, action__in=PAST_MEMBERSHIP_ACTIONS)
               .values_list("group_id", flat=True)) - current
    return current, past


def conflicts_settle(*, committee: Committee, members=None, proposals=None, actor=None) -> list[Recusal]:
    """Recuse the given members (all by default) from the given proposals of the call (all by default)
    whose group they belong or belonged to. Returns the recusals made now."""
    if committee.call.status in DECIDED_CALL_STATES:
        return []
    members = list(committee.members.select_related("user") if members is None else members)
    rows = Proposal.objects.filter(call_id=committee.call_id).select_related("group")
    if proposals is not None:
        rows = rows.filter(pk__in=[p.pk if isinstance(p, Proposal) else p for p in proposals])
    made: list[Recusal] = []
    counted_voided = False
    for member in members:
        current, past = groups_of(member.user_id)
        for proposal in rows.filter(group_id__in=current | past):
            reason = (_("Integra el grupo promovente.") if proposal.group_id in current
                      else _("Integró el grupo promovente."))
            recusal, created = Recusal.objects.get_or_create(member=member, proposal=proposal,
                                                             defaults={"automatic": True, "reason": reason})
            if not created:
                continue
            made.append(recusal)
            CommitteeEvent.objects.create(committee=committee, action=CommitteeEvent.Action.RECUSED, actor=actor,
                                          member=member, proposal=proposal, note=reason)
            counted_voided |= _void_sheets(committee, member, proposal, reason, actor)
    if made:
        _tell_member(committee, made)
    if counted_voided:
        _rebuild_open_session(committee, actor)
    return made


def conflicts_settle_now(*, committee: Committee, **kwargs) -> list[Recusal]:
    """Settle in a transaction of its own, so the recusal stays on record even when the action that
    found it (a score, a vote) is then refused."""
    with transaction.atomic():
        return conflicts_settle(committee=committee, **kwargs)


def _void_sheets(committee, member: CommitteeMember, proposal: Proposal, reason: str, actor) -> bool:
    """Void the member's sheets on the proposal; True if one of them was submitted (so it counted)."""
    sheets = list(ScoreSheet.objects.select_for_update().filter(member=member, proposal=proposal)
                  .exclude(status=ScoreSheet.Status.VOIDED))
    if not sheets:
        return False
    counted = any(s.status == ScoreSheet.Status.SUBMITTED for s in sheets)
    note = _("Conflicto de interés: %(reason)s La calificación no cuenta para la prelación.") % {"reason": reason}
    for sheet in sheets:
        sheet.status, sheet.voided_at, sheet.void_reason = ScoreSheet.Status.VOIDED, timezone.now(), note
        sheet.version += 1
        sheet.save(update_fields=["status", "voided_at", "void_reason", "version"])
    CommitteeEvent.objects.create(committee=committee, action=CommitteeEvent.Action.SCORES_VOIDED, actor=actor,
                                  member=member, proposal=proposal, note=note)
    return counted


def _rebuild_open_session(committee: Committee, actor) -> None:
    session = Session.objects.select_for_update().filter(committee=committee, status=Session.Status.OPEN).first()
    if session is None:
        return  # before the session the ranking is not built yet; after it the voted list stands
    selection_build(session)
    session.version += 1
    session.save(update_fields=["version"])
    CommitteeEvent.objects.create(
        committee=committee, action=CommitteeEvent.Action.SELECTION_REBUILT, actor=actor,
        note=_("Se anularon calificaciones por conflicto de interés: la propuesta de selección se recalculó; "
               "los cambios y los votos anteriores ya no cuentan."))
    from notifications.messages import Message
    from notifications.services import notify

    notify(recipients=[committee.secretary], subject=Message(gettext_lazy("La propuesta de selección se recalculó")),
           body=Message(gettext_lazy(
               "Una persona integrante quedó excusada por conflicto de interés y sus calificaciones se "
               "anularon. La propuesta de selección se recalculó: revisen la lista y voten de nuevo.")),
           url=reverse("committees:session", args=[committee.call_id]))


def _tell_member(committee: Committee, recusals: list[Recusal]) -> None:
    from notifications.messages import Message
    from notifications.services import notify

    by_member: dict[int, list[Recusal]] = {}
    for recusal in recusals:
        by_member.setdefault(recusal.member_id, []).append(recusal)
    for items in by_member.values():
        member = items[0].member
        lines = "\n".join(f"- {r.proposal.folio or r.proposal.title}: {r.reason}" for r in items)
        notify(recipients=[member.user], subject=Message(gettext_lazy("Excusa automática en el Comité Técnico Mixto")),
               body=Message(gettext_lazy(
                   "Quedaste excusada o excusado por conflicto de interés de estas propuestas; ya no las "
                   "verás ni calificarás, y las calificaciones que hubieras dado no cuentan:\n%(lines)s"),
                   lines=lines),
               url=reverse("committees:home", args=[committee.call_id]))


def recuse_on_membership_change(*, group, user) -> list[Recusal]:
    """The person joined a group or took its representation: recuse each of their Committee seats from
    the group's proposals."""
    made = []
    for seat in CommitteeMember.objects.filter(user=user).select_related("committee__call", "user"):
        made += conflicts_settle(committee=seat.committee, members=[seat],
                                 proposals=list(Proposal.objects.filter(call_id=seat.committee.call_id, group=group)
                                                .values_list("pk", flat=True)),
                                 actor=user)
    return made
