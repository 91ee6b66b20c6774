"""Every write of the Mixed Technical Committee: membership, recusals, scores, session, results."""

from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.roles import StaffRole
from accounts.services import role_grant
from committees import conflicts, permissions, publication
from committees.coverage import coverage
from committees.models import (
    Committee,
    CommitteeEvent,
    CommitteeMember,
    Outcome,
    Recusal,
    ScoreSheet,
    SelectionEntry,
    Session,
    UnscoredRule,
    Vote,
)
from committees.ranking import selection_build
from committees.scoring import computed_value, weighted_mean
from nicp import bounds
from nicp.errors import check_version
from nicp.readonly import require_may_write
from proposals.models import Call, Proposal
from proposals.models.calls import MEXICO_CITY
from proposals.services import proposals_batch
from proposals.workflow import ProposalAction, ProposalState


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- Membership ------------------------------------------------------------------------------------

@transaction.atomic
def committee_set(*, actor, call: Call, secretary: User, unscored_rule: str | None = None,
                  min_score_sheets: int | None = None) -> Committee:
    """Seat the secretary and, when given, the call's rules for opening the session with scores missing
    (unscored_rule; min_score_sheets, None for a majority of the members who may score)."""
    require_may_write(actor)
    _require(permissions.is_coordinator(actor), _("Solo la coordinación integra el Comité."))
    role_grant(user=secretary, role=StaffRole.COMMITTEE_SECRETARY)
    defaults = {"secretary": secretary}
    if unscored_rule:
        if unscored_rule not in UnscoredRule.values:
            raise ValidationError({"unscored_rule": _("Elige qué pasa si falta calificar al abrir la sesión.")})
        if Session.objects.filter(committee__call=call).exists():
            raise ValidationError({"unscored_rule": _("La sesión ya se abrió: sus reglas ya no cambian.")})
        defaults.update(unscored_rule=unscored_rule, min_score_sheets=min_score_sheets)
    committee, _created = Committee.objects.update_or_create(call=call, defaults=defaults)
    return committee


@transaction.atomic
def member_add(*, actor, committee: Committee, email: str, full_name: str, sector: str,
               institution: str) -> CommitteeMember:
    """Seat a member. Someone without an account (an external expert) gets one, and an e-mail to
    choose their password."""
    require_may_write(actor)
    _require(permissions.is_coordinator(actor), _("Solo la coordinación integra el Comité."))
    _require_no_session(committee)
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    invited = user is None
    if invited:
        user = User.objects.create_user(email=email, password=None, full_name=full_name.strip())
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    member = CommitteeMember(committee=committee, user=user, sector=sector, institution=institution.strip())
    member.full_clean(exclude=["committee", "user"])
    if CommitteeMember.objects.filter(committee=committee, user=user).exists():
        raise ValidationError({"email": _("Esa persona ya integra el Comité.")})
    member.save()
    role_grant(user=user, role=StaffRole.COMMITTEE_MEMBER)
    conflicts.conflicts_settle(committee=committee, members=[member], actor=actor)
    if invited:
        transaction.on_commit(lambda: _send_invitation(user.pk))
    return member


def _send_invitation(user_id: int) -> None:
    """Invite an external member: a link to choose their password (allauth's password-reset key)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse

    user = User.objects.get(pk=user_id)
    path = reverse("account_reset_password_from_key",
                   kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)})
    send_mail(
        subject=_("[NICP] Te integraron al Comité Técnico Mixto"),
        message=_("Hola, %(name)s:\n\nTe integraron al Comité Técnico Mixto del Programa Comunitario de "
                  "Mejoramiento Barrial. Para entrar, elige tu contraseña aquí:\n%(url)s\n")
        % {"name": user.get_full_name(), "url": settings.NICP_SITE_URL.rstrip("/") + path},
        from_email=None, recipient_list=[user.email])


@transaction.atomic
def _require_no_session(committee: Committee) -> None:
    """Once the session opens, who sits on the Committee is part of its record (quorum, votes, minutes)."""
    if Session.objects.filter(committee=committee).exists():
        raise ValidationError(_("La sesión del Comité ya se abrió: quién lo integra ya no cambia."))


def member_remove(*, actor, member_id: int) -> None:
    require_may_write(actor)
    _require(permissions.is_coordinator(actor), _("Solo la coordinación integra el Comité."))
    member = CommitteeMember.objects.filter(pk=member_id).first()
    if member is None:
        raise Http404
    _require_no_session(member.committee)
    if member.score_sheets.filter(status=ScoreSheet.Status.SUBMITTED).exists():
        raise ValidationError(_("Esta persona ya entregó calificaciones; no se puede quitar del Comité."))
    member.delete()


def recusals_refresh(*, committee: Committee, actor=None) -> int:
    """Recuse automatically every member from the proposals of a community group they belong or
    belonged to (see committees.conflicts); returns how many recusals are new."""
    return len(conflicts.conflicts_settle(committee=committee, actor=actor))


def recusal_recheck(*, actor, proposal_id: int) -> None:
    """Defence in depth before a member reads or scores a proposal: settle their conflict with it now,
    committed even if what follows is refused."""
    proposal = Proposal.objects.visible_to(actor).filter(pk=proposal_id).first()
    member = proposal and (CommitteeMember.objects.select_related("committee__call", "user")
                           .filter(committee__call=proposal.call_id, user=actor).first())
    if member:
        conflicts.conflicts_settle_now(committee=member.committee, members=[member], proposals=[proposal],
                                       actor=actor)


def _member_for(actor, proposal: Proposal) -> CommitteeMember:
    member = CommitteeMember.objects.filter(committee__call=proposal.call_id, user=actor).first()
    if member is None:
        raise PermissionDenied(_("No integras el Comité de esta convocatoria."))
    return member


@transaction.atomic
def recusal_declare(*, actor, proposal_id: int, reason: str) -> Recusal:
    require_may_write(actor)
    proposal = Proposal.objects.visible_to(actor).filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404
    member = _member_for(actor, proposal)
    if not reason.strip():
        raise ValidationError({"reason": _("Explica el conflicto de interés.")})
    if member.score_sheets.filter(proposal=proposal, status=ScoreSheet.Status.SUBMITTED).exists():
        raise ValidationError(_("Ya calificaste esta propuesta; pide a la secretaría que registre la excusa."))
    member.score_sheets.filter(proposal=proposal).delete()
    recusal, _created = Recusal.objects.get_or_create(member=member, proposal=proposal,
                                                      defaults={"reason": reason.strip()})
    return recusal


# --- Shortlist and scores --------------------------------------------------------------------------

def shortlist_ready(*, actor, call: Call):
    """Send every proposal that finished review and assembly to the Committee."""
    require_may_write(actor)
    _require(permissions.is_coordinator(actor), _("Solo la coordinación envía propuestas al Comité."))
    ready = ProposalState.FEASIBLE if call.assembly_before_review else ProposalState.ASSEMBLY_APPROVED
    ids = list(Proposal.objects.filter(call=call, status=ready).values_list("pk", flat=True))
    results = proposals_batch(actor=actor, proposal_ids=ids, action=ProposalAction.SHORTLIST)
    committee = Committee.objects.filter(call=call).first()
    if committee:
        recusals_refresh(committee=committee, actor=actor)
    return results


def committee_proposals(member: CommitteeMember):
    """What a member scores: the call's proposals before the Committee, less those they are recused from."""
    return (Proposal.objects.filter(call=member.committee.call_id, status=ProposalState.SHORTLISTED)
            .exclude(pk__in=member.recusals.values("proposal_id")))


def next_to_score(member: CommitteeMember, *, after: Proposal) -> Proposal | None:
    """The member's next proposal still without their submitted sheet, in folio order after `after`
    (wrapping round to the first); None when nothing else is left."""
    done = set(member.score_sheets.filter(status=ScoreSheet.Status.SUBMITTED).values_list("proposal_id", flat=True))
    pending = [p for p in committee_proposals(member).order_by("folio", "pk") if p.pk not in done and p.pk != after.pk]
    later = [p for p in pending if (p.folio or "", p.pk) > (after.folio or "", after.pk)]
    return (later or pending or [None])[0]


def _scoring_open(call: Call) -> bool:
    return not Session.objects.filter(committee__call=call).exists()


def population_ratios(call: Call) -> list[Decimal]:
    rows = Proposal.objects.filter(call=call, status=ProposalState.SHORTLISTED).values_list(
        "population_benefited", "budget_total")
    return [Decimal(p) / b for p, b in rows if p and b]


def score_save(*, actor, proposal_id: int, values: dict, submit: bool = False,
               version: int | None = None) -> ScoreSheet:
    """Save a member's scores (draft), or submit them. Computed criteria are filled in for them.
    A conflict of interest that nobody recorded yet is recorded first, and the score refused."""
    require_may_write(actor)
    recusal_recheck(actor=actor, proposal_id=proposal_id)
    return _score_write(actor=actor, proposal_id=proposal_id, values=values, submit=submit, version=version)


@transaction.atomic
def _score_write(*, actor, proposal_id: int, values: dict, submit: bool, version: int | None) -> ScoreSheet:
    proposal = Proposal.objects.visible_to(actor).select_related("call", "neighbourhood").filter(
        pk=proposal_id).first()
    if proposal is None:
        raise Http404  # recused members do not see the proposal at all
    member = _member_for(actor, proposal)
    if Recusal.objects.filter(member=member, proposal=proposal).exists():
        raise Http404  # a recused member never scores it, even one who sees it as part of the group
    if proposal.status != ProposalState.SHORTLISTED:
        raise ValidationError(_("Esta propuesta no está en evaluación del Comité."))
    if not _scoring_open(proposal.call):
        raise ValidationError(_("La calificación cerró al abrirse la sesión del Comité."))
    sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(member=member, proposal=proposal)
    check_version(sheet, version)
    if sheet.status == ScoreSheet.Status.SUBMITTED:
        raise ValidationError(_("Ya enviaste tus calificaciones de esta propuesta."))
    rubric = list(proposal.call.rubric.all())
    ratios = population_ratios(proposal.call)
    scores, errors = {}, {}
    for criterion in rubric:
        key = str(criterion.pk)
        automatic = computed_value(criterion, proposal, ratios)
        entry = values.get(key) or values.get(criterion.pk) or {}
        comment = str(entry.get("comment", ""))[:1000]
        if automatic is not None:
            scores[key] = {"value": automatic, "comment": comment, "computed": True}
            continue
        value = entry.get("value")
        if value in ("", None):
            value = None
        else:
            try:
                if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                    raise ValueError  # 2.5 must not become 2
                value = int(value)
            except (TypeError, ValueError, OverflowError):  # e.g. float("inf") from JSON 1e400
                value = -1
            if not 1 <= value <= 5:
                errors[key] = _("«%(c)s»: la calificación va de 1 a 5.") % {"c": criterion.name}
                continue
        if value is None and submit:
            errors[key] = _("«%(c)s»: falta la calificación.") % {"c": criterion.name}
        scores[key] = {"value": value, "comment": comment}
    if errors:
        raise ValidationError(errors)
    sheet.scores = scores
    sheet.weighted_score = weighted_mean(rubric, scores)
    if submit:
        sheet.status, sheet.submitted_at = ScoreSheet.Status.SUBMITTED, timezone.now()
    sheet.version += 1
    sheet.save()
    return sheet


# --- Session ---------------------------------------------------------------------------------------

@transaction.atomic
def session_open(*, actor, committee: Committee, held_on, present_member_ids: list[int],
                 unscored_decision: str = "", now=None) -> Session:
    """Open the session with the members present (quorum checked) and the proposed selection.
    With scores still missing, the call's rule decides: refuse, or open only on the secretary's
    recorded decision (kept on the session and in the Committee's record, with who had not scored).
    The session is held from today on (Mexico City): a date already gone would rewrite history."""
    require_may_write(actor)
    _require(actor.pk == committee.secretary_id, _("Solo la secretaría del Comité abre la sesión."))
    today = (now or timezone.now()).astimezone(MEXICO_CITY).date()
    if held_on is None or held_on < today:
        raise ValidationError({"held_on": _("Esa fecha ya pasó: la sesión se celebra de hoy (%(today)s) en adelante.")
                               % {"today": date_format(today, "DATE_FORMAT")}})
    committee = Committee.objects.select_for_update().select_related("call").get(pk=committee.pk)
    if Session.objects.filter(committee=committee).exists():
        raise ValidationError(_("La sesión de este Comité ya se abrió."))
    present = list(committee.members.filter(pk__in=present_member_ids))
    quorum = committee.call.committee_quorum
    if len(present) < quorum:
        raise ValidationError({"present": ngettext("Hay %(n)d integrante presente; el quórum es %(q)d.",
                                                   "Hay %(n)d integrantes presentes; el quórum es %(q)d.",
                                                   len(present)) % {"n": len(present), "q": quorum}})
    # Defence in depth: every conflict is on record, and its sheets voided, before the ranking is built.
    conflicts.conflicts_settle(committee=committee, actor=actor)
    gaps = coverage(committee)
    decision = unscored_decision.strip()
    if not gaps.complete:
        _check_unscored_decision(committee, gaps, decision)
    session = Session.objects.create(committee=committee, held_on=held_on, opened_by=actor,
                                     unscored_decision=decision if not gaps.complete else "")
    session.present.set(present)
    if not gaps.complete:
        CommitteeEvent.objects.create(committee=committee, action=CommitteeEvent.Action.OPENED_WITH_UNSCORED,
                                      actor=actor, note=f"{decision}\n{gaps.summary()}")
    selection_build(session)
    return session


def _check_unscored_decision(committee: Committee, gaps, decision: str) -> None:
    names = ", ".join(m.user.get_full_name() for m in gaps.members_missing())
    folios = ", ".join(row.proposal.folio for row in gaps.insufficient)
    if committee.unscored_rule == UnscoredRule.REFUSE:
        raise ValidationError(_("La convocatoria pide que todo esté calificado antes de abrir la sesión. "
                                "Falta calificar a: %(names)s.") % {"names": names})
    if not decision:
        message = _("Falta calificar a: %(names)s. Escribe la decisión del Comité para abrir así la sesión.") \
            % {"names": names}
        if folios:
            message += " " + _("Sin calificaciones suficientes (no se ordenan en la prelación): %(folios)s.") \
                % {"folios": folios}
        raise ValidationError({"unscored_decision": message})
    if len(decision) > bounds.NOTE_MAX:
        raise ValidationError({"unscored_decision": _("La decisión es demasiado larga (máximo %(n)d caracteres).")
                               % {"n": bounds.NOTE_MAX}})


def _check_selection_fits(session: Session) -> None:
    call = session.committee.call
    selected = session.entries.filter(outcome=Outcome.SELECTED).select_related("proposal__neighbourhood")
    total = sum((e.assigned_amount for e in selected), Decimal("0"))
    if total > call.total_budget:
        raise ValidationError(_("Con este cambio la selección suma %(t)s y pasa del presupuesto (%(b)s).")
                              % {"t": f"{total:,.2f}", "b": f"{call.total_budget:,.2f}"})
    if call.max_selected_per_borough:
        per_borough: dict[int, int] = {}
        for entry in selected:
            borough = entry.proposal.neighbourhood.borough_id if entry.proposal.neighbourhood else 0
            per_borough[borough] = per_borough.get(borough, 0) + 1
        if max(per_borough.values(), default=0) > call.max_selected_per_borough:
            raise ValidationError(_("Con este cambio una alcaldía pasaría del tope de %(n)d proyectos.")
                                  % {"n": call.max_selected_per_borough})


def _open_session(actor, session_id: int, *, secretary_only: bool) -> Session:
    session = Session.objects.select_for_update().select_related("committee__call").filter(pk=session_id).first()
    if session is None:
        raise Http404
    if secretary_only:
        _require(actor.pk == session.committee.secretary_id, _("Solo la secretaría del Comité puede hacerlo."))
    if session.status != Session.Status.OPEN:
        raise ValidationError(_("La sesión ya se cerró."))
    return session


@transaction.atomic
def selection_change(*, actor, session_id: int, proposal_id: int, outcome: str, reason: str) -> SelectionEntry:
    """The committee changes a proposal's place; the reason goes on the record; the budget still holds."""
    require_may_write(actor)
    session = _open_session(actor, session_id, secretary_only=True)
    entry = session.entries.filter(proposal_id=proposal_id).first()
    if entry is None:
        raise Http404
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Elige seleccionada, lista de espera o no seleccionada.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Todo cambio a la propuesta de selección lleva su motivo.")})
    entry.outcome, entry.change_reason = outcome, reason.strip()
    entry.save(update_fields=["outcome", "change_reason"])
    _check_selection_fits(session)
    session.votes.all().delete()  # the list changed: votes on the old one no longer count
    session.version += 1
    session.save(update_fields=["version"])
    return entry


def _recheck_before_vote(actor, session_id: int) -> None:
    """Defence in depth at vote and close: settle every conflict first (committed); if that voided a
    counted score, the list was recomputed and the vote must be on the new one."""
    session = Session.objects.select_related("committee__call").filter(pk=session_id).first()
    if session is None or session.status != Session.Status.OPEN:
        return  # _open_session answers
    conflicts.conflicts_settle_now(committee=session.committee, actor=actor)
    if Session.objects.filter(pk=session_id).values_list("version", flat=True).first() != session.version:
        raise ValidationError(_("Por un conflicto de interés se anularon calificaciones y la propuesta de "
                                "selección se recalculó: revisen la nueva lista y voten de nuevo."))


def vote_cast(*, actor, session_id: int, choice: str) -> Vote:
    require_may_write(actor)
    _recheck_before_vote(actor, session_id)
    return _vote_write(actor=actor, session_id=session_id, choice=choice)


@transaction.atomic
def _vote_write(*, actor, session_id: int, choice: str) -> Vote:
    session = _open_session(actor, session_id, secretary_only=False)
    member = session.present.filter(user=actor).first()
    if member is None:
        raise PermissionDenied(_("Solo votan las personas integrantes presentes en la sesión."))
    if choice not in Vote.Choice.values:
        raise ValidationError({"choice": _("Vota a favor, en contra o abstención.")})
    vote, _created = Vote.objects.update_or_create(session=session, member=member, defaults={"choice": choice})
    return vote


def session_close(*, actor, session_id: int) -> Session:
    """Close when every present member has voted and the list has a majority; write the minutes."""
    require_may_write(actor)
    _recheck_before_vote(actor, session_id)
    return _close_write(actor=actor, session_id=session_id)


@transaction.atomic
def _close_write(*, actor, session_id: int) -> Session:
    session = _open_session(actor, session_id, secretary_only=True)
    present = set(session.present.values_list("pk", flat=True))
    votes = {v.member_id: v.choice for v in session.votes.all()}
    missing = present - set(votes)
    if missing:
        names = ", ".join(m.user.get_full_name() for m in CommitteeMember.objects.filter(pk__in=missing)
                          .select_related("user"))
        raise ValidationError(_("Falta el voto de: %(names)s.") % {"names": names})
    in_favour = sum(1 for c in votes.values() if c == Vote.Choice.FOR)
    against = sum(1 for c in votes.values() if c == Vote.Choice.AGAINST)
    if in_favour <= against:
        raise ValidationError(_("La lista no tiene mayoría a favor (%(f)d a favor, %(a)d en contra): cámbienla y "
                                "voten de nuevo.") % {"f": in_favour, "a": against})
    _check_selection_fits(session)
    session.status, session.closed_at = Session.Status.CLOSED, timezone.now()
    from committees.minutes import minutes_pdf

    session.minutes.save("acta.pdf", minutes_pdf(session), save=False)
    session.save()
    return session


# --- Results ---------------------------------------------------------------------------------------

def results_publish(*, actor, call: Call) -> Call:
    """Publish the voted selection, whatever its proposals went through since (committees.publication)."""
    require_may_write(actor)
    _require(permissions.is_coordinator(actor), _("Solo la coordinación publica los resultados."))
    return publication.results_publish(actor=actor, call=call)


def scoring_status(committee: Committee) -> list[tuple[CommitteeMember, dict[int, str]]]:
    """Who has scored what (draft/submitted/recused) — never the values — for the secretary."""
    sheets = {(s.member_id, s.proposal_id): s.status for s in ScoreSheet.objects.filter(member__committee=committee)}
    recused = set(Recusal.objects.filter(member__committee=committee).values_list("member_id", "proposal_id"))
    proposal_ids = list(Proposal.objects.filter(call=committee.call, status=ProposalState.SHORTLISTED)
                        .values_list("pk", flat=True))
    rows = []
    for member in committee.members.select_related("user"):
        rows.append((member, {pid: "recused" if (member.pk, pid) in recused else sheets.get((member.pk, pid), "")
                              for pid in proposal_ids}))
    return rows


def visible_scores(*, actor, proposal: Proposal) -> list[ScoreSheet]:
    """Other members' scores, for a member who has submitted their own (independent scoring)."""
    member = CommitteeMember.objects.filter(committee__call=proposal.call_id, user=actor).first()
    mine = member and member.score_sheets.filter(proposal=proposal, status=ScoreSheet.Status.SUBMITTED).exists()
    session_open = Session.objects.filter(committee__call=proposal.call_id).exists()
    if not mine and not session_open:
        return []
    return list(ScoreSheet.objects.filter(proposal=proposal, status=ScoreSheet.Status.SUBMITTED)
                .select_related("member__user").filter(~Q(member=member) if member else Q()))
