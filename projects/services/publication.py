"""Staff choose what the public project page shows, beyond its figures: logbook entries, the files of
expense receipts and the signed documents. Like photographs, nothing is public by default (entries and
files may carry names or signatures); the coordination publishes each one and may take it back."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from nicp.readonly import require_may_write
from nicp.workflow import lock
from projects import permissions
from projects.models import AccountabilityAssembly, Agreement, Expense, Handover, LogbookEntry, Project
from projects.public.records import PUBLIC_EXPENSE_STATES, documents_may_be_public, receipt_may_be_public
from projects.services.projects import lock_project

DOCUMENT_KINDS = ("agreement", "handover", "accountability")


def public_page_changed(project) -> None:
    """What the public page shows changed: its «last update» and the open-data files' dates move, so a
    download's ETag changes too."""
    Project.objects.filter(pk=project.pk).update(updated_at=timezone.now())


def _project_for(actor, project_id, refusal: str, allowed):
    project = lock_project(actor, project_id or 0)
    if not allowed(actor, project):
        raise PermissionDenied(refusal)
    return project


@transaction.atomic
def logbook_entry_publish(*, actor, entry_id: int, public: bool) -> LogbookEntry:
    """Show a logbook entry on the public page, or take it off. The entry stays append-only: only its
    `is_public` column changes, through a queryset update."""
    require_may_write(actor)
    found = LogbookEntry.objects.filter(pk=entry_id).values_list("project_id", flat=True).first()
    project = _project_for(actor, found, _("Solo la coordinación elige las anotaciones públicas."),
                           permissions.can_publish_logbook_entry)
    entry = lock(LogbookEntry.objects.filter(project=project), entry_id)
    LogbookEntry.objects.filter(pk=entry.pk).update(is_public=public)
    public_page_changed(project)
    entry.is_public = public
    return entry


@transaction.atomic
def expense_receipt_publish(*, actor, expense_id: int, public: bool) -> Expense:
    """Show an expense's receipt file (the invoice's PDF or XML, or the simple receipt) on the public page.
    Its line (date, supplier as the public sees it, amount, folio) is public anyway."""
    require_may_write(actor)
    found = Expense.objects.filter(pk=expense_id).values_list("project_id", flat=True).first()
    project = _project_for(actor, found, _("Solo la coordinación elige los comprobantes públicos."),
                           permissions.can_publish_receipt)
    expense = lock(Expense.objects.filter(project=project).select_related("cfdi"), expense_id)
    if public:
        if expense.status not in PUBLIC_EXPENSE_STATES:
            raise ValidationError(_("Este gasto fue rechazado: no se muestra en la página pública."))
        issuer = expense.cfdi.issuer_rfc if expense.kind == Expense.Kind.CFDI else ""
        if not receipt_may_be_public(expense.kind, issuer):
            raise ValidationError(_("Solo se publica la factura de una empresa: un recibo simple o la factura de "
                                    "una persona física llevan su nombre y su firma o su RFC."))
    Expense.objects.filter(pk=expense.pk).update(receipt_public=public)
    public_page_changed(project)
    expense.receipt_public = public
    return expense


def _document(project, kind: str):
    """The row of `kind` for `project`, and the message when there is nothing to publish yet."""
    if kind == "agreement":
        row = Agreement.objects.filter(project=project).first()
        missing = None if row and row.signed_file else _("Aún no hay convenio firmado que publicar.")
    elif kind == "handover":
        row = Handover.objects.filter(project=project).first()
        missing = None if row and row.signed_file else _("Aún no hay acta de entrega-recepción firmada que publicar.")
    elif kind == "accountability":
        row = AccountabilityAssembly.objects.filter(project=project).first()
        missing = None if row else _("Aún no hay acta de la asamblea de rendición de cuentas que publicar.")
    else:
        raise Http404
    return row, missing


@transaction.atomic
def document_publish(*, actor, project_id: int, kind: str, public: bool):
    """Publish (or withdraw) the signed agreement, the signed handover record or the accountability
    minutes: `kind` is agreement | handover | accountability."""
    require_may_write(actor)
    project = _project_for(actor, project_id, _("Solo la coordinación elige los documentos públicos."),
                           permissions.can_publish_document)
    row, missing = _document(project, kind)
    if public and missing:
        raise ValidationError(missing)
    if public and not documents_may_be_public(project):
        raise ValidationError(_("Las reglas de la convocatoria no hacen públicos los nombres de quienes integran "
                                "los comités, y este documento los lleva: no puede publicarse."))
    if row is None:
        return None
    type(row).objects.filter(pk=row.pk).update(is_public=public)
    public_page_changed(project)
    row.is_public = public
    return row
