"""Committee results (PDF): the session's ranking with its scores and score sheets, how the selection
filled the call's budget (and each borough's cap), the waitlist and the votes.

Everything is read from the closed session as the minutes read it (committees.minutes.minutes_context):
the ranks, scores, amounts and outcomes are the session's entries, never recomputed here."""

from collections import Counter
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import PROPOSAL_READER_ROLES, roles_of
from committees.minutes import minutes_context
from committees.models import CommitteeMember, Outcome, ScoreSheet, Session, Vote
from proposals.models import Call
from proposals.workflow import CallState
from reports.printing import write_pdf
from reports.registry import ReportKind, register
from reports.sorting import alphabetical

# As committees.views reads them: the Committee's members read its results once they are public.
PUBLISHED_STATES = (CallState.RESULTS_PUBLISHED, CallState.ARCHIVED)


def closed_session(call_id: int) -> Session | None:
    """The call's closed session (the one whose minutes and results stand), with its Committee and call."""
    return (Session.objects.select_related("committee__call", "committee__secretary")
            .filter(committee__call_id=call_id, status=Session.Status.CLOSED).order_by("-closed_at", "-pk").first())


def clean_params(params: dict) -> dict:
    raw = str(params.get("call", "")).strip()
    if not raw.isdigit():
        raise ValidationError({"call": _("Elige la convocatoria de la que quieres los resultados.")})
    call = Call.objects.filter(pk=int(raw)).only("pk").first()
    if call is None:
        raise ValidationError({"call": _("Esa convocatoria no existe.")})
    if closed_session(call.pk) is None:
        raise ValidationError({"call": _("Esta convocatoria aún no tiene resultados: el Comité todavía no cierra "
                                         "la sesión con la selección votada.")})
    return {"call": call.pk}


def may_request(user, params: dict) -> bool:
    """Coordination, audit, the Committee's secretary role and finance; the Committee's own members once
    the call's results are published."""
    if roles_of(user) & PROPOSAL_READER_ROLES:
        return True
    if not (user and user.is_authenticated):
        return False
    return CommitteeMember.objects.filter(user=user, committee__call_id=params["call"],
                                          committee__call__status__in=PUBLISHED_STATES).exists()


def title(params: dict) -> str:
    call = Call.objects.filter(pk=params["call"]).only("title").first()
    return str(_("Resultados del Comité Técnico Mixto — %(call)s") % {"call": call.title if call else "—"})


def _borough(entry) -> str:
    unit = entry.proposal.neighbourhood
    return unit.borough.name if unit else "—"


def budget_fill(call, entries) -> dict:
    """The selected proposals in rank order with the running total against the call's budget, and each
    borough's count against the per-borough cap (the session's fill rule, read from its outcomes)."""
    selected = [e for e in entries if e.outcome == Outcome.SELECTED and not e.dropped]
    running, rows = Decimal("0"), []
    for entry in selected:
        running += entry.assigned_amount
        rows.append({"entry": entry, "running": running, "left": call.total_budget - running})
    per_borough = Counter(_borough(e) for e in selected)
    amounts = Counter()
    for entry in selected:
        amounts[_borough(entry)] += entry.assigned_amount
    boroughs = [{"name": name, "selected": count, "amount": amounts[name],
                 "at_cap": call.max_selected_per_borough is not None and count >= call.max_selected_per_borough}
                for name, count in sorted(per_borough.items(), key=lambda item: alphabetical(item[0]))]
    return {"rows": rows, "total": running, "left": call.total_budget - running, "boroughs": boroughs,
            "cap": call.max_selected_per_borough}


def results_context(session: Session) -> dict:
    context = minutes_context(session)
    entries = context["entries"]
    sheets = dict(ScoreSheet.objects.filter(proposal__in=[e.proposal_id for e in entries],
                                            status=ScoreSheet.Status.SUBMITTED)
                  .values_list("proposal").annotate(n=Count("pk")))
    for entry in entries:
        entry.sheets = sheets.get(entry.proposal_id, 0)
        entry.borough_name = _borough(entry)
    tally = Counter(vote.choice for _member, vote in context["ballot"] if vote)
    call = context["call"]
    context.update({
        "fill": budget_fill(call, entries),
        "waitlist": [e for e in entries if e.outcome == Outcome.WAITLISTED and not e.dropped],
        "changed": [e for e in entries if e.dropped or e.outcome != e.proposed_outcome or e.after_vote_note],
        "tally": [(label, tally.get(choice, 0)) for choice, label in Vote.Choice.choices],
        "not_voted": sum(1 for _member, vote in context["ballot"] if vote is None),
        "published": call.status in PUBLISHED_STATES,
        "printed_at": timezone.localtime(),
        "running_head": {"code": _("Resultados %(year)s") % {"year": call.fiscal_year}},
    })
    return context


def build(report, out, progress) -> int:
    session = closed_session(report.params["call"])
    if session is None:  # asked for while the session was closed; a closed session is never reopened
        raise ValidationError(_("Esta convocatoria aún no tiene resultados: el Comité todavía no cierra "
                                "la sesión con la selección votada."))
    progress(1, 3)
    context = results_context(session)
    progress(2, 3)
    write_pdf("reports/pdf/committee_results.html", context, out)
    progress(3, 3)
    return len(context["entries"])


register(ReportKind(code="committee_results", label=_("Resultados del Comité (PDF)"), extension="pdf",
                    clean_params=clean_params, may_request=may_request, title=title, build=build))
