"""Money pages (account, agreement, tranches). The project detail page includes projects/_money.html with
money_context(request, project); the same sections stand alone at projects:money, which is also where a
refused form comes back as typed, with each error by its field. The finance queue is in finance_queue.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nicp import confirm
from nicp.errors import StaleVersion
from nicp.storage import download_response
from projects import permissions, services
from projects.models import BankAccount, Project, Tranche
from projects.views import finance_queue
from projects.views.money_context import TRANCHE_FORMS, back_path, money_context, tranche_may
from projects.views.money_forms import AccountForm, AccountReviewForm, AgreementSignForm, AgreementUploadForm
from projects.workflow import TrancheAction
from proposals.views.proposals import apply_error

__all__ = ["money_context", "urlpatterns"]


def _project(request, pk) -> Project:
    return get_object_or_404(Project.objects.visible_to(request.user).for_list(), pk=pk)


def _require(allowed) -> None:
    if not allowed:
        raise PermissionDenied


def _back(request, project):
    """Back to the page the form was on (the project page or the money page), at its money section."""
    return redirect(back_path(request, project) + "#recursos")


def _page(request, project, *, status=200, bound=None):
    return render(request, "projects/money_page.html",
                  {"project": project, **money_context(request, project, bound=bound)}, status=status)


def _run(request, project, key, form, write, done: str, *, needs_confirm=False):
    """Valid and written → back with a notice; otherwise the money page again, this form as typed, each
    error by its field: 400, or 409 when someone else changed the record first. Nothing is written."""
    status = 400
    confirmed = not needs_confirm or confirm.require_confirmation(form)  # irreversible: not without the box
    if confirmed and form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            apply_error(form, error)
        except StaleVersion as error:
            form.add_error(None, str(error))
            status = 409
        else:
            messages.success(request, done)
            return _back(request, project)
    return _page(request, project, status=status, bound={key: form})


@login_required
def money(request, pk):
    return _page(request, _project(request, pk))


# --- Bank account ----------------------------------------------------------------------------------

@login_required
@require_POST
def account_register(request, pk):
    project = _project(request, pk)
    _require(permissions.can_register_account(request.user, project))
    form = AccountForm(request.POST, request.FILES)
    return _run(request, project, "account", form, lambda data: services.bank_account_register(
        actor=request.user, project_id=project.pk, bank=data["bank"], holder=data["holder"], clabe=data["clabe"],
        proof=data["proof"], version=data.get("version")),
        _("Cuenta registrada. Finanzas la verificará antes de ministrar."))


def _account(project, account_pk) -> BankAccount:
    return get_object_or_404(BankAccount, pk=account_pk, project=project)


@login_required
@require_POST
def account_review(request, pk, account_pk):
    project = _project(request, pk)
    _require(permissions.can_handle_money(request.user, project))
    account = _account(project, account_pk)
    form = AccountReviewForm(request.POST)
    return _run(request, project, "account_review", form, lambda data: services.bank_account_review(
        actor=request.user, account_id=account.pk, verified=data["decision"] == "verify", note=data["note"]),
        _("Revisión de la cuenta registrada."))


@login_required
def account_proof(request, pk, account_pk):
    project = _project(request, pk)
    _require(permissions.can_view_account_proof(request.user, project))
    account = _account(project, account_pk)
    return download_response(account.proof, stem=f"comprobante-cuenta-{account.pk}", content_type="application/pdf",
                             inline=request.GET.get("ver") == "1")


# --- Agreement -------------------------------------------------------------------------------------

@login_required
@require_POST
def agreement_generate(request, pk):
    project = _project(request, pk)
    _require(permissions.can_generate_agreement(request.user, project))
    try:
        services.agreement_generate(actor=request.user, project_id=project.pk)
    except ValidationError as error:
        return _page(request, project, status=400, bound={"agreement_error": error.messages})
    messages.success(request, _("Convenio generado: descárgalo para que lo firmen los comités."))
    return _back(request, project)


def _agreement_pdf(request, pk, *, signed: bool):
    project = _project(request, pk)
    agreement = getattr(project, "agreement", None)
    stored = agreement and (agreement.signed_file if signed else agreement.generated_file)
    if not stored:
        raise Http404
    stem = f"convenio-firmado-{project.code}" if signed else f"convenio-{project.code}"
    return download_response(stored, stem=stem, content_type="application/pdf", inline=request.GET.get("ver") == "1")


@login_required
def agreement_pdf(request, pk):
    return _agreement_pdf(request, pk, signed=False)


@login_required
def agreement_signed_pdf(request, pk):
    return _agreement_pdf(request, pk, signed=True)


@login_required
@require_POST
def agreement_upload(request, pk):
    project = _project(request, pk)
    _require(permissions.can_upload_signed_agreement(request.user, project))
    form = AgreementUploadForm(request.POST, request.FILES)
    return _run(request, project, "agreement_upload", form, lambda data: services.agreement_upload_signed(
        actor=request.user, project_id=project.pk, upload=data["signed_file"]),
        _("Convenio firmado cargado. Finanzas registrará la firma de la Secretaría."))


@login_required
@require_POST
def agreement_sign(request, pk):
    project = _project(request, pk)
    _require(permissions.can_handle_money(request.user, project))
    form = AgreementSignForm(request.POST)
    return _run(request, project, "agreement_sign", form, lambda data: services.agreement_sign(
        actor=request.user, project_id=project.pk, signed_on=data["signed_on"], version=data.get("version")),
        _("Firma registrada: el proyecto está en ejecución."), needs_confirm=True)


# --- Tranches --------------------------------------------------------------------------------------

TRANCHE_DONE = {
    TrancheAction.REQUEST: gettext_lazy("Ministración solicitada: la coordinación la revisará."),
    TrancheAction.APPROVE: gettext_lazy("Ministración aprobada: Finanzas la entregará."),
    TrancheAction.WITHHOLD: gettext_lazy("Ministración retenida; el comité recibió el motivo."),
    TrancheAction.RELEASE: gettext_lazy("Entrega registrada."),
}


def _tranche_view(action: str):
    @login_required
    @require_POST
    def view(request, pk, tranche_pk):
        project = _project(request, pk)
        tranche = get_object_or_404(Tranche, pk=tranche_pk, project=project)
        _require(tranche_may(request.user, project, action))
        form = TRANCHE_FORMS[action](request.POST, auto_id=f"id_t{tranche.pk}_{action}_%s")
        return _run(request, project, (action, tranche.pk), form, lambda data: services.tranche_transition(
            actor=request.user, tranche_id=tranche.pk, action=action, note=data.get("note", ""),
            version=data.get("version"), transfer_reference=data.get("transfer_reference", ""),
            transfer_date=data.get("transfer_date")), str(TRANCHE_DONE[action]),
            needs_confirm=action == TrancheAction.RELEASE)
    view.__name__ = f"tranche_{action}"
    return view


urlpatterns = [
    path("finanzas/", finance_queue.finance_queue, name="finance_queue"),
    path("<int:pk>/recursos/", money, name="money"),
    path("<int:pk>/cuenta/", account_register, name="account_register"),
    path("<int:pk>/cuenta/<int:account_pk>/revision/", account_review, name="account_review"),
    path("<int:pk>/cuenta/<int:account_pk>/comprobante.pdf", account_proof, name="account_proof"),
    path("<int:pk>/convenio/generar/", agreement_generate, name="agreement_generate"),
    path("<int:pk>/convenio.pdf", agreement_pdf, name="agreement_pdf"),
    path("<int:pk>/convenio-firmado.pdf", agreement_signed_pdf, name="agreement_signed_pdf"),
    path("<int:pk>/convenio/firmado/", agreement_upload, name="agreement_upload"),
    path("<int:pk>/convenio/firma-secretaria/", agreement_sign, name="agreement_sign"),
    *[path(f"<int:pk>/ministraciones/<int:tranche_pk>/{slug}/", _tranche_view(action), name=f"tranche_{action}")
      for action, slug in [(TrancheAction.REQUEST, "solicitar"), (TrancheAction.APPROVE, "aprobar"),
                           (TrancheAction.WITHHOLD, "retener"), (TrancheAction.RELEASE, "ministrar")]],
]
