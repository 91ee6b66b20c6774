from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import OVERSIGHT_ROLES, StaffRole, roles_of
from committees import confirmations, permissions, services
from committees.coverage import coverage, member_order, unranked
from committees.forms import (
    CommitteeForm,
    MemberForm,
    RecusalForm,
    ScoreForm,
    SelectionChangeForm,
    SessionOpenForm,
    VoteForm,
)
from committees.models import Committee, CommitteeMember, Outcome, Recusal, ScoreSheet, Session, UnscoredRule
from committees.scoring import SCORE_LEVELS, computed_value
from nicp import confirm
from nicp.csv import csv_response
from nicp.errors import StaleVersion
from nicp.storage import download_response
from proposals.models import Call, Proposal
from proposals.workflow import CallState, ProposalState


def _call(request, call_pk) -> Call:
    return get_object_or_404(Call.objects.visible_to(request.user), pk=call_pk)


def _committee(request, call_pk) -> Committee:
    committee = Committee.objects.filter(call_id=call_pk).select_related("call", "secretary").first()
    if committee is None or not (permissions.can_view_committee(request.user, committee)
                                 or permissions.is_coordinator(request.user)):
        raise Http404
    return committee


def _messages_from(request, error) -> None:
    messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))


def _home(call_pk):
    return redirect("committees:home", call_pk=call_pk)


@login_required
def index(request):
    """The committees this person sits on, runs as secretary, or oversees."""
    roles = roles_of(request.user)
    if not roles & {StaffRole.COMMITTEE_MEMBER, StaffRole.COMMITTEE_SECRETARY, StaffRole.COORDINATOR,
                    StaffRole.AUDITOR}:
        raise PermissionDenied
    committees = Committee.objects.select_related("call").order_by("-call__fiscal_year")
    if not roles & OVERSIGHT_ROLES:
        committees = committees.filter(Q(members__user=request.user) | Q(secretary=request.user)).distinct()
    calls_without = Call.objects.filter(committee__isnull=True).exclude(status=CallState.DRAFT) \
        if permissions.is_coordinator(request.user) else Call.objects.none()
    return render(request, "committees/index.html", {"committees": committees, "calls_without": calls_without})


@login_required
def home(request, call_pk):
    call = _call(request, call_pk)
    committee = Committee.objects.filter(call=call).select_related("secretary").first()
    coordinator = permissions.is_coordinator(request.user)
    if committee is None and not coordinator:
        raise Http404
    if committee is not None and not (coordinator or permissions.can_view_committee(request.user, committee)):
        raise Http404
    member = committee.members.filter(user=request.user).first() if committee else None
    context = {"call": call, "committee": committee, "is_coordinator": coordinator, "member": member,
               "is_secretary": committee is not None and committee.secretary_id == request.user.pk,
               "session": Session.objects.filter(committee=committee).first() if committee else None,
               "shortlisted": Proposal.objects.filter(call=call, status=ProposalState.SHORTLISTED).count()}
    if coordinator:
        context["committee_form"] = CommitteeForm(initial={
            "secretary": committee.secretary_id if committee else None,
            "unscored_rule": committee.unscored_rule if committee else UnscoredRule.ALLOW_WITH_DECISION,
            "min_score_sheets": committee.min_score_sheets if committee else None}, actor=request.user)
        context["member_form"] = MemberForm()
        context["publish_form"] = confirm.ConfirmForm(action=confirmations.publish_results(call))
    if committee:
        context["members"] = sorted(committee.members.select_related("user"), key=member_order)
    if member:
        sheets = {s.proposal_id: s for s in member.score_sheets.all()}
        recused = set(member.recusals.values_list("proposal_id", flat=True))
        to_score = services.committee_proposals(member).select_related("neighbourhood__borough").order_by("folio")
        context["to_score"] = [(p, sheets.get(p.pk)) for p in to_score]
        context["my_recusals"] = Recusal.objects.filter(member=member, proposal_id__in=recused).select_related(
            "proposal")
    if committee and context["is_secretary"] and not context["session"]:
        context["progress"] = coverage(committee)
    return render(request, "committees/home.html", context)


@login_required
@require_POST
def committee_set(request, call_pk):
    call = _call(request, call_pk)
    if not permissions.is_coordinator(request.user):
        raise PermissionDenied
    form = CommitteeForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            services.committee_set(actor=request.user, call=call, **form.cleaned_data)
        except ValidationError as error:
            _messages_from(request, error)
        else:
            messages.success(request, _("Comité integrado."))
    else:
        messages.error(request, " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()
                                         if f in form.fields))
    return _home(call.pk)


@login_required
@require_POST
def member_add(request, call_pk):
    if not permissions.is_coordinator(request.user):
        raise PermissionDenied
    committee = _committee(request, call_pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            services.member_add(actor=request.user, committee=committee, **form.cleaned_data)
        except ValidationError as error:
            _messages_from(request, error)
        else:
            messages.success(request, _("Integrante agregado."))
    else:
        messages.error(request, " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()
                                         if f in form.fields))
    return _home(call_pk)


@login_required
@require_POST
def member_remove(request, call_pk, member_pk):
    if not permissions.is_coordinator(request.user):
        raise PermissionDenied
    committee = _committee(request, call_pk)
    member = get_object_or_404(CommitteeMember, pk=member_pk, committee=committee)
    try:
        services.member_remove(actor=request.user, member_id=member.pk)
    except ValidationError as error:
        _messages_from(request, error)
    return _home(call_pk)


@login_required
@require_POST
def shortlist(request, call_pk):
    call = _call(request, call_pk)
    results = services.shortlist_ready(actor=request.user, call=call)
    messages.success(request, _("%(n)d propuestas pasaron al Comité.") % {"n": sum(r.ok for r in results)})
    return _home(call.pk)


@login_required
def score(request, call_pk, pk):
    committee = _committee(request, call_pk)
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user).for_list(), pk=pk, call_id=call_pk)
    services.recusal_recheck(actor=request.user, proposal_id=proposal.pk)
    member = committee.members.filter(user=request.user).first()
    if member is None or member.recusals.filter(proposal=proposal).exists():
        raise Http404
    sheet = ScoreSheet.objects.filter(member=member, proposal=proposal).first()
    rubric = list(committee.call.rubric.all())
    form = ScoreForm(request.POST or None, rubric=rubric, sheet=sheet)
    status = 200
    submit = "submit" in request.POST
    if request.method == "POST" and form.is_valid() and submit and not confirm.require_confirmation(form):
        status = 400  # submitting is final: not without the checkbox, and nothing is saved
    elif request.method == "POST" and form.is_valid():
        try:
            services.score_save(actor=request.user, proposal_id=proposal.pk, values=form.values(),
                                submit="submit" in request.POST, version=form.cleaned_data.get("version"))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            status = 400
        except StaleVersion as error:
            form.add_error(None, str(error))
            status = 409
        else:
            messages.success(request, _("Calificaciones enviadas.") if "submit" in request.POST
                             else _("Borrador guardado."))
            return redirect("committees:score", call_pk=call_pk, pk=proposal.pk)
    ratios = services.population_ratios(committee.call)
    computed = [(c, computed_value(c, proposal, ratios)) for c in rubric if c.computed]
    return render(request, "committees/score.html", {
        "next_proposal": services.next_to_score(member, after=proposal), "levels": SCORE_LEVELS.items(),
        "committee": committee, "proposal": proposal, "form": form, "sheet": sheet, "computed": computed,
        "submitted": sheet is not None and sheet.status == ScoreSheet.Status.SUBMITTED,
        "others": services.visible_scores(actor=request.user, proposal=proposal), "rubric": rubric,
        "recusal_form": RecusalForm(), "attachments": proposal.attachments.all(),
        "reviews": proposal.technical_reviews.filter(status="submitted"),
    }, status=status)


@login_required
@require_POST
def recuse(request, call_pk, pk):
    committee = _committee(request, call_pk)
    if not committee.members.filter(user=request.user).exists():
        raise Http404
    form = RecusalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Explica el conflicto de interés."))
        return redirect("committees:score", call_pk=call_pk, pk=pk)
    try:
        services.recusal_declare(actor=request.user, proposal_id=pk, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _messages_from(request, error)
        return redirect("committees:score", call_pk=call_pk, pk=pk)
    messages.success(request, _("Tu excusa quedó registrada; ya no verás esta propuesta."))
    return _home(call_pk)


@login_required
def session_page(request, call_pk):
    committee = _committee(request, call_pk)
    session = Session.objects.filter(committee=committee).first()
    is_secretary = committee.secretary_id == request.user.pk
    members = sorted(committee.members.select_related("user"), key=member_order)
    open_form = SessionOpenForm(members=members) if is_secretary and session is None else None
    status = 200
    if request.method == "POST":
        if not is_secretary:
            raise PermissionDenied
        # A refusal shows the form again with what was entered and the reason next to it.
        open_form = SessionOpenForm(request.POST, members=members)
        status = 400
        if open_form.is_valid():
            try:
                services.session_open(actor=request.user, committee=committee,
                                      held_on=open_form.cleaned_data["held_on"],
                                      present_member_ids=[int(i) for i in open_form.cleaned_data["present"]],
                                      unscored_decision=open_form.cleaned_data["unscored_decision"])
            except ValidationError as error:
                open_form.add_error(None, error)
            else:
                messages.success(request, _("Sesión abierta: la calificación quedó cerrada."))
                return redirect("committees:session", call_pk=call_pk)
    context = {"committee": committee, "session": session, "is_secretary": is_secretary, "open_form": open_form,
               "coverage": coverage(committee) if session is None else None}
    if session:
        entries = list(session.entries.select_related("proposal__neighbourhood__borough"))
        me = session.present.filter(user=request.user).first()
        votes = {v.member_id: v for v in session.votes.all()}
        context.update({
            "entries": entries,
            "selected_total": sum(e.assigned_amount for e in entries if e.outcome == Outcome.SELECTED
                                  and not e.dropped),
            "events": committee.events.select_related("proposal", "member__user"),
            "present": sorted(session.present.select_related("user"), key=member_order),
            "ballot": [(m, votes.get(m.pk)) for m in sorted(session.present.select_related("user"), key=member_order)],
            "unranked": unranked(session),
            "close_form": confirm.ConfirmForm(action=confirmations.close_session(committee))
            if is_secretary and session.status == Session.Status.OPEN else None,
            "vote_form": VoteForm() if me and session.status == Session.Status.OPEN else None,
            "change_form": SelectionChangeForm() if is_secretary and session.status == Session.Status.OPEN else None,
            "outcomes": Outcome.choices,
        })
    return render(request, "committees/session.html", context, status=status)


def _session_action(request, call_pk, action, *, secretary_only: bool, **kwargs):
    committee = _committee(request, call_pk)
    allowed = committee.secretary_id == request.user.pk if secretary_only \
        else committee.members.filter(user=request.user).exists()
    if not allowed:
        raise PermissionDenied
    session = get_object_or_404(Session, committee=committee)
    try:
        action(actor=request.user, session_id=session.pk, **kwargs)
    except ValidationError as error:
        _messages_from(request, error)
        return False
    return True


@login_required
@require_POST
def selection_change(request, call_pk):
    committee = _committee(request, call_pk)
    if committee.secretary_id != request.user.pk:
        raise PermissionDenied
    form = SelectionChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Todo cambio a la propuesta de selección lleva su motivo."))
    elif _session_action(request, call_pk, services.selection_change, secretary_only=True,
                         proposal_id=form.cleaned_data["proposal"],
                         outcome=form.cleaned_data["outcome"], reason=form.cleaned_data["reason"]):
        messages.success(request, _("Cambio registrado. Los votos anteriores se anularon: voten la lista nueva."))
    return redirect("committees:session", call_pk=call_pk)


@login_required
@require_POST
def vote(request, call_pk):
    committee = _committee(request, call_pk)
    if not committee.members.filter(user=request.user).exists():
        raise PermissionDenied
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Elige tu voto."))
    elif _session_action(request, call_pk, services.vote_cast, secretary_only=False,
                         choice=form.cleaned_data["choice"]):
        messages.success(request, _("Voto registrado."))
    return redirect("committees:session", call_pk=call_pk)


@login_required
@require_POST
def session_close(request, call_pk):
    committee = _committee(request, call_pk)
    if committee.secretary_id != request.user.pk:
        raise PermissionDenied
    get_object_or_404(Session, committee=committee)
    action = confirmations.close_session(committee)
    form = confirm.is_confirmed(request, action)
    if not form.is_valid():
        return confirm.confirmation_page(request, action, form)
    if _session_action(request, call_pk, services.session_close, secretary_only=True):
        messages.success(request, _("Sesión cerrada; el acta está lista."))
    return redirect("committees:session", call_pk=call_pk)


@login_required
def minutes(request, call_pk):
    committee = _committee(request, call_pk)
    session = get_object_or_404(Session, committee=committee, status=Session.Status.CLOSED)
    return download_response(session.minutes, stem=f"acta-comite-{committee.call.fiscal_year}",
                             content_type="application/pdf", inline=True)


@login_required
@require_POST
def publish(request, call_pk):
    call = _call(request, call_pk)
    if not permissions.is_coordinator(request.user):
        raise PermissionDenied
    action = confirmations.publish_results(call)
    form = confirm.is_confirmed(request, action)
    if not form.is_valid():
        return confirm.confirmation_page(request, action, form)
    try:
        services.results_publish(actor=request.user, call=call)
    except ValidationError as error:
        _messages_from(request, error)
        return _home(call.pk)
    messages.success(request, _("Resultados publicados; cada grupo recibió su aviso."))
    return redirect("committees:results", call_pk=call.pk)


PUBLISHED_STATES = (CallState.RESULTS_PUBLISHED, CallState.ARCHIVED)


def _published_results(call_pk):
    call = get_object_or_404(Call, pk=call_pk, status__in=PUBLISHED_STATES)
    session = get_object_or_404(Session, committee__call=call, status=Session.Status.CLOSED)
    entries = list(session.entries.select_related("proposal__neighbourhood__borough", "proposal__group")
                   .filter(dropped=False, outcome__in=[Outcome.SELECTED, Outcome.WAITLISTED]))
    return call, entries


def results(request, call_pk):
    """Public: selected and waitlisted proposals with the aggregate score and what it means. A known call
    whose results are not out yet says so, with the expected date; an unknown call is a 404."""
    call = get_object_or_404(Call.objects.visible_to(request.user), pk=call_pk)
    if call.status not in PUBLISHED_STATES:
        return render(request, "committees/results_pending.html", {"call": call})
    call, entries = _published_results(call_pk)
    selected = [e for e in entries if e.outcome == Outcome.SELECTED]
    committee = getattr(call, "committee", None)
    return render(request, "committees/results.html", {
        "call": call, "selected": selected, "waitlist": [e for e in entries if e.outcome == Outcome.WAITLISTED],
        "total": sum(e.assigned_amount for e in selected), "levels": SCORE_LEVELS.items(),
        "minutes_visible": committee is not None and permissions.can_view_committee(request.user, committee)})


def result_detail(request, call_pk, pk):
    """Public page of one published result: only what the public may see (no group, no personal data)."""
    call, entries = _published_results(call_pk)
    entry = next((e for e in entries if e.proposal_id == pk), None)
    if entry is None:
        raise Http404
    return render(request, "committees/result_detail.html", {"call": call, "entry": entry,
                                                              "levels": SCORE_LEVELS.items()})


def results_csv(request, call_pk):
    call, entries = _published_results(call_pk)
    header = ["resultado", "prelacion", "folio", "proyecto", "alcaldia", "unidad_territorial", "clave_ut",
              "estrato", "monto_asignado", "puntaje"]

    def rows():
        for e in entries:
            p, unit = e.proposal, e.proposal.neighbourhood
            yield [e.outcome, e.rank, p.folio, p.title, unit.borough.name if unit else "",
                   unit.name if unit else "", unit.key if unit else "", unit.stratum if unit else "",
                   e.assigned_amount, e.weighted_score]

    return csv_response(f"resultados-{call.fiscal_year}.csv", header, rows())
