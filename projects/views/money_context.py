"""What the money sections of a project show to whoever is looking, and the forms each role may use.

Everything sits under one `money` key so it merges into the project page's context without clashing.
`bound` carries a refused form (by the same key) so it comes back as typed, with its errors."""

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from projects import permissions, services
from projects.models import BankAccount, Project, TrancheEvent
from projects.services.money import TRANCHE_WORKFLOW
from projects.views.money_forms import (
    AccountForm,
    AccountReviewForm,
    AgreementSignForm,
    AgreementUploadForm,
    TrancheForm,
    TrancheReleaseForm,
    TrancheWithholdForm,
)
from projects.workflow import ProjectState, TrancheAction, TrancheState

ACCOUNT_STATES = (ProjectState.AGREEMENT_PENDING, ProjectState.IN_EXECUTION, ProjectState.SUSPENDED)
OPEN_TRANCHE = (TrancheState.PLANNED, TrancheState.REQUESTED, TrancheState.APPROVED, TrancheState.WITHHELD)
# Actions that only make sense once nothing is missing; withholding is always possible.
NEED_NOTHING_MISSING = (TrancheAction.REQUEST, TrancheAction.APPROVE, TrancheAction.RELEASE)
BUTTONS = {TrancheAction.REQUEST: _("Solicitar la ministración %(n)d"),
           TrancheAction.APPROVE: _("Aprobar la ministración %(n)d"),
           TrancheAction.WITHHOLD: _("Retener la ministración %(n)d"),
           TrancheAction.RELEASE: _("Registrar la entrega de la ministración %(n)d")}
TRANCHE_FORMS = {TrancheAction.REQUEST: TrancheForm, TrancheAction.APPROVE: TrancheForm,
                 TrancheAction.WITHHOLD: TrancheWithholdForm, TrancheAction.RELEASE: TrancheReleaseForm}


def tranche_may(user, project, action) -> bool:
    """Who may take each tranche action (the service checks again)."""
    if action == TrancheAction.REQUEST:
        return permissions.can_request_tranche(user, project)
    if action == TrancheAction.APPROVE:
        return permissions.can_manage_project(user, project)
    if action == TrancheAction.RELEASE:
        return permissions.can_handle_money(user, project)
    return permissions.can_manage_project(user, project) or permissions.can_handle_money(user, project)


def _account_part(user, project, bound, current) -> dict:
    full = permissions.can_see_full_clabe(user, project)
    may_register = permissions.can_register_account(user, project) and project.status in ACCOUNT_STATES
    # A new account after money went out waits for finance again before the next tranche.
    reverify = (current is not None and current.status == BankAccount.Status.PENDING and project.released_total > 0)
    return {
        "account": current,
        "clabe": (current.clabe if full else current.masked_clabe) if current else "",
        "full_clabe": full,
        "proof_visible": current is not None and permissions.can_view_account_proof(user, project),
        "reverify": reverify,
        "account_form": bound.get("account") or (
            AccountForm(initial={"version": project.version}) if may_register else None),
        "review_form": bound.get("account_review") or (
            AccountReviewForm() if current is not None
            and current.status == BankAccount.Status.PENDING and permissions.can_handle_money(user, project) else None),
    }


def _agreement_part(user, project, bound) -> dict:
    agreement = getattr(project, "agreement", None)
    pending = project.status == ProjectState.AGREEMENT_PENDING
    signed_by_committees = agreement is not None and bool(agreement.signed_file)
    may_upload = pending and agreement is not None and permissions.can_upload_signed_agreement(user, project)
    may_sign = pending and signed_by_committees and permissions.can_handle_money(user, project)
    return {
        "agreement": agreement,
        "agreement_error": bound.get("agreement_error", []),
        "can_generate": pending and not signed_by_committees and permissions.can_generate_agreement(user, project),
        "upload_form": bound.get("agreement_upload") or (AgreementUploadForm() if may_upload else None),
        "sign_form": bound.get("agreement_sign") or (
            AgreementSignForm(initial={"version": project.version}) if may_sign else None),
    }


# While a tranche can still be asked for: before the agreement is signed, in execution and suspended.
TRANCHE_STAGES = frozenset({ProjectState.AGREEMENT_PENDING, ProjectState.IN_EXECUTION, ProjectState.SUSPENDED})


def _tranche_rows(user, project, bound) -> list[dict]:
    tranches = list(project.tranches.select_related("approved_by", "released_by").order_by("number"))
    withheld = {}
    for event in TrancheEvent.objects.filter(tranche__project=project, action=TrancheAction.WITHHOLD):
        withheld[event.tranche_id] = event.note  # events come oldest first: the last reason stays
    rows = []
    # Only the next tranche says what it misses; the later ones wait for it.
    upcoming = next((t for t in tranches if t.status in OPEN_TRANCHE), None)
    if project.status not in TRANCHE_STAGES:  # works done, closed or cancelled: no tranche is coming
        upcoming = None
    for tranche in tranches:
        problems = services.tranche_problems(tranche, project) if tranche is upcoming else []
        actions, notes = [], []
        for action in TRANCHE_WORKFLOW.actions_from(tranche.status):
            blocked = bool(problems) or tranche is not upcoming
            if not tranche_may(user, project, action) or (action in NEED_NOTHING_MISSING and blocked):
                continue
            if action == TrancheAction.RELEASE and tranche.approved_by_id == user.pk:
                notes.append(_approver_note())
                continue
            form = bound.get((action, tranche.pk)) or TRANCHE_FORMS[action](
                initial={"version": tranche.version}, auto_id=f"id_t{tranche.pk}_{action}_%s")
            actions.append({"action": action, "label": TrancheAction(action).label, "form": form,
                            "button": BUTTONS[action] % {"n": tranche.number},
                            "url": reverse(f"projects:tranche_{action}", args=[project.pk, tranche.pk])})
        # A refused action this person can no longer take here (already done, or theirs to take no more):
        # its reasons still show, on this tranche.
        shown = {entry["action"] for entry in actions}
        errors = [message for key, form in bound.items() if isinstance(key, tuple) and key[1] == tranche.pk
                  and key[0] not in shown for messages in form.errors.values() for message in messages]
        rows.append({"tranche": tranche, "problems": problems, "actions": actions, "notes": notes, "errors": errors,
                     "waits_for": upcoming.number if upcoming and tranche.number > upcoming.number else None,
                     "withheld_reason": withheld.get(tranche.pk, "") if tranche.status == TrancheState.WITHHELD
                     else ""})
    return rows


def _approver_note() -> str:
    return str(_("Tú aprobaste esta ministración: la entrega otra persona de Finanzas."))


def back_path(request, project) -> str:
    """Where a money form returns: the page it was on (sent as `next`), never another site; the money
    page when unknown. On a GET that page is the one being shown."""
    if request.method == "GET":
        return request.path
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                                  require_https=request.is_secure()):
        return target
    return reverse("projects:money", args=[project.pk])


def money_context(request, project: Project, *, bound: dict | None = None) -> dict:
    user, bound = request.user, bound or {}
    current = services.current_account(project)
    return {"money": {
        "next": back_path(request, project),
        **_account_part(user, project, bound, current),
        **_agreement_part(user, project, bound),
        "tranches": _tranche_rows(user, project, bound),
        "released_total": project.released_total,
        "approved_amount": project.approved_amount,
    }}
