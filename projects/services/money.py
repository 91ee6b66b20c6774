"""The bank account, the collaboration agreement and the tranches: every write on the money's path."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nicp import bounds
from nicp.readonly import require_may_write
from nicp.workflow import Workflow, transition_apply
from projects import permissions, progress
from projects.agreement import agreement_pdf, agreement_text
from projects.clabe import normalise_clabe, validate_clabe
from projects.models import Agreement, BankAccount, Project, Tranche, TrancheEvent
from projects.services.projects import lock_project, project_transition, record, tell_project
from projects.workflow import (
    TRANCHE_NOTE_REQUIRED,
    TRANCHE_TRANSITIONS,
    ProjectAction,
    ProjectState,
    TrancheAction,
    TrancheState,
)
from proposals.models.calls import MEXICO_CITY
from proposals.uploads import PDF_ONLY, clean_upload

PDF_MAX_BYTES = 20 * 1_048_576
MONEY_STATES = frozenset({ProjectState.IN_EXECUTION})


def _pdf(upload, field: str, refused: str):
    if upload is None:
        raise ValidationError({field: _("Adjunta el archivo en PDF.")})
    try:
        return clean_upload(upload, max_bytes=PDF_MAX_BYTES, accept=PDF_ONLY, refused=refused)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def current_account(project: Project) -> BankAccount | None:
    return project.bank_accounts.exclude(status=BankAccount.Status.REPLACED).first()


# --- Bank account ----------------------------------------------------------------------------------

@transaction.atomic
def bank_account_register(*, actor, project_id: int, bank: str, holder: str, clabe: str, proof,
                          version=None) -> BankAccount:
    """The administration committee registers the account; a new one replaces the last and must be
    verified again before any money goes to it."""
    require_may_write(actor)
    project = lock_project(actor, project_id, version)
    if not permissions.can_register_account(actor, project):
        raise PermissionDenied(_("Solo el comité de Administración registra la cuenta bancaria."))
    if project.status not in (ProjectState.AGREEMENT_PENDING, ProjectState.IN_EXECUTION, ProjectState.SUSPENDED):
        raise ValidationError(_("En este momento del proyecto no se registra una cuenta."))
    errors = {}
    clabe = normalise_clabe(clabe)
    try:
        validate_clabe(clabe)
    except ValidationError as error:
        errors["clabe"] = error.messages
    if not bank.strip():
        errors["bank"] = _("Indica el banco.")
    if not holder.strip():
        errors["holder"] = _("Indica a nombre de quién está la cuenta.")
    try:
        clean = _pdf(proof, "proof", _("El comprobante de la cuenta va en PDF (el estado de cuenta o la carta del "
                                       "banco)."))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    project.bank_accounts.exclude(status=BankAccount.Status.REPLACED).update(status=BankAccount.Status.REPLACED)
    account = BankAccount(project=project, bank=bank.strip()[:120], holder=holder.strip()[:200], clabe=clabe,
                          registered_by=actor)
    account.proof.save("comprobante.pdf", clean.content, save=False)
    account.full_clean(exclude=["project"])
    account.save()
    record(project, actor, "account_registered", f"{account.bank}, {account.masked_clabe}")
    project.version += 1
    project.save(update_fields=["version", "updated_at"])
    return account


@transaction.atomic
def bank_account_review(*, actor, account_id: int, verified: bool, note: str = "") -> BankAccount:
    """Finance verifies the account against its proof, or observes it with a note for the committee."""
    require_may_write(actor)
    account = BankAccount.objects.filter(pk=account_id).first()
    project = lock_project(actor, account.project_id if account else 0)
    if not permissions.can_handle_money(actor, project):
        raise PermissionDenied(_("Solo Finanzas verifica la cuenta bancaria (y nunca la de un proyecto con el "
                                 "que tiene relación)."))
    account = BankAccount.objects.select_for_update().get(pk=account_id)
    if account.status != BankAccount.Status.PENDING:
        raise ValidationError(_("Esta cuenta ya fue revisada o sustituida."))
    if not verified and not note.strip():
        raise ValidationError({"note": _("Escribe qué debe corregir el comité.")})
    if len(note) > bounds.NOTE_MAX:
        raise ValidationError({"note": _("La nota admite como máximo %(n)s caracteres.")
                               % {"n": f"{bounds.NOTE_MAX:,}"}})
    account.status = BankAccount.Status.VERIFIED if verified else BankAccount.Status.REJECTED
    account.reviewed_by, account.reviewed_at, account.review_note = actor, timezone.now(), note.strip()
    account.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    record(project, actor, "account_verified" if verified else "account_rejected", note)
    if not verified:
        tell_project(project, _("Cuenta bancaria observada"), note)
    return account


# --- Agreement -------------------------------------------------------------------------------------

@transaction.atomic
def agreement_generate(*, actor, project_id: int) -> Agreement:
    """Fill the call's agreement text with the project and print it; generated again while unsigned."""
    require_may_write(actor)
    project = lock_project(actor, project_id)
    if not permissions.can_generate_agreement(actor, project):
        raise PermissionDenied(_("Solo la coordinación o Finanzas generan el convenio."))
    if project.status != ProjectState.AGREEMENT_PENDING:
        raise ValidationError(_("El convenio se genera cuando los comités ya fueron electos y antes de firmarlo."))
    waiting = list(project.seats.filter(ended_at__isnull=True, accepted_at__isnull=True)
                   .values_list("full_name", flat=True))
    if waiting:
        raise ValidationError(_("El convenio lo firman las personas electas: faltan por aceptar su lugar %(names)s. "
                                "Si alguien no lo aceptará, la coordinación puede sustituirla.")
                              % {"names": ", ".join(waiting)})
    agreement = Agreement.objects.filter(project=project).first() or Agreement(project=project)
    if agreement.signed_file:
        raise ValidationError(_("El convenio firmado ya se cargó: ya no se genera de nuevo."))
    agreement.text = agreement_text(project)
    agreement.generated_by, agreement.generated_at = actor, timezone.now()
    agreement.generated_file.save(f"convenio-{project.code}.pdf", agreement_pdf(project, agreement.text), save=False)
    agreement.save()
    record(project, actor, "agreement_generated")
    return agreement


@transaction.atomic
def agreement_upload_signed(*, actor, project_id: int, upload) -> Agreement:
    require_may_write(actor)
    project = lock_project(actor, project_id)
    if not permissions.can_upload_signed_agreement(actor, project):
        raise PermissionDenied(_("Solo el comité de Administración o la coordinación cargan el convenio firmado."))
    agreement = Agreement.objects.filter(project=project).first()
    if project.status != ProjectState.AGREEMENT_PENDING or agreement is None:
        raise ValidationError(_("Primero se genera el convenio; el firmado se carga antes de que firme la "
                                "Secretaría."))
    clean = _pdf(upload, "signed_file", _("El convenio firmado va en PDF (escanéalo como PDF)."))
    agreement.signed_file.save(f"convenio-firmado-{project.code}.pdf", clean.content, save=False)
    agreement.signed_uploaded_by, agreement.signed_uploaded_at = actor, timezone.now()
    agreement.save()
    record(project, actor, "agreement_uploaded")
    return agreement


@transaction.atomic
def agreement_sign(*, actor, project_id: int, signed_on, version=None, now=None) -> Project:
    """Finance records the ministry's signature; the project starts its execution."""
    require_may_write(actor)
    project = lock_project(actor, project_id, version)
    if not permissions.can_handle_money(actor, project):
        raise PermissionDenied(_("Solo Finanzas registra la firma de la Secretaría."))
    agreement = Agreement.objects.select_for_update().filter(project=project).first()
    if agreement is None or not agreement.signed_file:
        raise ValidationError(_("Falta el convenio firmado por los comités: cárgalo primero."))
    today = (now or timezone.now()).astimezone(MEXICO_CITY).date()
    if signed_on is None or signed_on > today or signed_on < agreement.generated_at.astimezone(MEXICO_CITY).date():
        raise ValidationError({"signed_on": _("La fecha de firma va entre la generación del convenio y hoy.")})
    agreement.ministry_signed_by, agreement.ministry_signed_on = actor, signed_on
    agreement.save(update_fields=["ministry_signed_by", "ministry_signed_on"])
    return project_transition(actor=actor, project_id=project.pk, action=ProjectAction.SIGN_AGREEMENT, system=True,
                              note=_("Firmado por la Secretaría el %(date)s.")
                              % {"date": date_format(signed_on, "DATE_FORMAT")})


# --- Tranches --------------------------------------------------------------------------------------

TRANCHE_WORKFLOW = Workflow(
    transitions=TRANCHE_TRANSITIONS, event_model=TrancheEvent, event_field="tranche",
    action_label=lambda action: TrancheAction(action).label if action in TrancheAction.values else action,
    refusal=gettext_lazy("La ministración está «%(state)s»: no se puede «%(action)s»."))


def tranche_problems(tranche: Tranche, project: Project) -> list[str]:
    """What is missing for this tranche to move on, said exactly."""
    problems = []
    if project.status not in MONEY_STATES:
        problems.append(_("El proyecto está «%(state)s»: solo se ministra en ejecución.")
                        % {"state": project.get_status_display()})
    agreement = getattr(project, "agreement", None)
    if agreement is None or agreement.ministry_signed_on is None:
        problems.append(_("Falta el convenio firmado por la Secretaría."))
    account = current_account(project)
    if account is None or account.status != BankAccount.Status.VERIFIED:
        problems.append(_("Falta la cuenta bancaria verificada por Finanzas."))
    previous = project.tranches.filter(number__lt=tranche.number).order_by("-number").first()
    if previous is not None:
        if previous.status != TrancheState.RELEASED:
            problems.append(_("La ministración %(n)d aún no se entrega.") % {"n": previous.number})
        elif progress.proved_share(previous) < tranche.previous_proved_percent:
            problems.append(_("Falta comprobar la ministración %(n)d: se requiere %(need)d %% y va %(have)s %%.")
                            % {"n": previous.number, "need": tranche.previous_proved_percent,
                               "have": progress.proved_share(previous)})
    from projects.services.expenses import cancelled_invoices

    cancelled = list(cancelled_invoices(project).values_list("uuid", flat=True)[:5])
    if cancelled:
        problems.append(_("El SAT reporta canceladas facturas que comprueban gastos (%(uuids)s): Finanzas debe "
                          "revocar esos gastos antes de ministrar.") % {"uuids": ", ".join(cancelled)})
    current = progress.physical_progress(project)
    if current < tranche.progress_required_percent:
        problems.append(_("Falta avance físico: se requiere %(need)d %% y va %(have)s %%.")
                        % {"need": tranche.progress_required_percent, "have": current})
    return problems


def tranche_transition(*, actor, tranche_id: int, action: str, note: str = "", version=None,
                       transfer_reference: str = "", transfer_date=None, now=None) -> Tranche:
    """Before money leaves, the SAT is asked again about every invoice (in its own transaction, so a
    cancellation it reports is kept even when the release is then refused)."""
    if action == TrancheAction.RELEASE:
        from projects.services.expenses import sat_recheck_project

        project_id = (Tranche.objects.filter(pk=tranche_id, project__in=Project.objects.visible_to(actor))
                      .values_list("project_id", flat=True).first())
        if project_id is not None and permissions.can_handle_money(actor, Project.objects.get(pk=project_id)):
            sat_recheck_project(project_id=project_id, actor=actor)
    return _tranche_transition(actor=actor, tranche_id=tranche_id, action=action, note=note, version=version,
                               transfer_reference=transfer_reference, transfer_date=transfer_date, now=now)


@transaction.atomic
def _tranche_transition(*, actor, tranche_id: int, action: str, note: str = "", version=None,
                        transfer_reference: str = "", transfer_date=None, now=None) -> Tranche:
    """Request (administration committee), approve (coordination), release (finance, never the one who
    approved), or withhold with a reason. The project row is locked first, so two releases at once are
    serialised and the second sees the first's total: the sum released never exceeds the approved amount
    (also a database constraint)."""
    require_may_write(actor)
    found = Tranche.objects.filter(pk=tranche_id).values_list("project_id", flat=True).first()
    project = lock_project(actor, found or 0)
    now = now or timezone.now()

    def allowed(tranche):
        if action == TrancheAction.REQUEST:
            return permissions.can_request_tranche(actor, project)
        if action == TrancheAction.APPROVE:
            return permissions.can_manage_project(actor, project)
        if action == TrancheAction.RELEASE:
            return permissions.can_handle_money(actor, project)
        return permissions.can_manage_project(actor, project) or permissions.can_handle_money(actor, project)

    def guard(tranche):
        if action in TRANCHE_NOTE_REQUIRED and not note.strip():
            raise ValidationError({"note": _("Escribe el motivo: el comité lo leerá.")})
        if action == TrancheAction.WITHHOLD:
            return
        problems = tranche_problems(tranche, project)
        if problems:
            raise ValidationError(problems)
        if action == TrancheAction.REQUEST:
            tranche.requested_by, tranche.requested_at = actor, now
        elif action == TrancheAction.APPROVE:
            tranche.approved_by, tranche.approved_at = actor, now
        elif action == TrancheAction.RELEASE:
            _release_checks(tranche, project, actor, transfer_reference, transfer_date, now)
            tranche.released_by, tranche.released_at = actor, now
            tranche.transfer_reference, tranche.transfer_date = transfer_reference.strip(), transfer_date

    def after(tranche, source):
        if action == TrancheAction.RELEASE:
            Project.objects.filter(pk=project.pk).update(released_total=F("released_total") + tranche.amount)
        record(project, actor, f"tranche_{action}",
               _("Ministración %(n)d: %(amount)s MXN.") % {"n": tranche.number, "amount": f"{tranche.amount:,.2f}"}
               + (f"\n{note.strip()}" if note.strip() else ""))
        tell_project(project, TrancheState(tranche.status).label, note,
                     subject=_("%(code)s: ministración %(n)d %(state)s") % {
                         "code": project.code, "n": tranche.number, "state": tranche.get_status_display().lower()})

    rows = Tranche.objects.filter(project=project)
    return transition_apply(
        TRANCHE_WORKFLOW, actor=actor, rows=rows, pk=tranche_id, action=action, version=version, note=note,
        allowed=allowed, denied=_("Tu papel no puede «%(action)s» esta ministración.")
        % {"action": TRANCHE_WORKFLOW.action_label(action)}, guard=guard, after=after)


def _release_checks(tranche: Tranche, project: Project, actor, reference: str, transfer_date, now) -> None:
    errors = {}
    if tranche.approved_by_id == actor.pk:
        errors["__all__"] = _("Quien aprobó la ministración no puede también entregarla.")
    if not reference.strip():
        errors["transfer_reference"] = _("Escribe la referencia de la transferencia.")
    today = now.astimezone(MEXICO_CITY).date()
    if transfer_date is None or transfer_date > today:
        errors["transfer_date"] = _("Indica la fecha de la transferencia (hoy o antes).")
    if project.released_total + tranche.amount > project.approved_amount:
        errors["amount"] = _("Esta ministración haría que lo entregado (%(total)s) supere el monto aprobado "
                             "(%(approved)s).") % {"total": f"{project.released_total + tranche.amount:,.2f}",
                                                   "approved": f"{project.approved_amount:,.2f}"}
    if errors:
        raise ValidationError(errors)
