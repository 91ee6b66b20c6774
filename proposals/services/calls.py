"""Writes to calls: create and edit (changes after publication need a reason), state actions."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nicp.errors import check_version
from nicp.readonly import require_may_write
from nicp.workflow import Workflow, transition_apply
from proposals import permissions
from proposals.models import (
    Call,
    CallChange,
    CallDocument,
    CallEvent,
    CallModality,
    FolioCounter,
    RubricCriterion,
    TranchePlanItem,
)
from proposals.uploads import PDF_ONLY, clean_upload
from proposals.workflow import CALL_TRANSITIONS, CallAction, CallState

CALL_FIELDS = [
    "fiscal_year", "title", "summary", "total_budget", "eligible_project_types", "excluded_works", "priority_strata",
    "registration_opens_on", "registration_closes_on", "assembly_window_starts_on", "assembly_window_ends_on",
    "technical_review_deadline", "committee_date", "results_date", "execution_deadline", "assembly_before_review",
    "assembly_quorum", "committee_quorum", "max_selected_per_borough", "waitlist_size", "required_attachment_kinds",
    "max_file_size_mb", "max_files_per_proposal", "max_total_size_mb", "committee_names_public",
]


def call_validate(call: Call, *, modalities: list[dict], tranches: list[dict], rubric: list[dict]) -> None:
    """Every rule of a call that must hold together; one message per field that is wrong. Rules over the
    rows of a section are keyed by the section ("modalities", "tranches", "rubric"), so the page shows them
    beside those rows."""
    errors: dict[str, list[str]] = {}

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    order = [
        ("registration_opens_on", "registration_closes_on", _("El registro debe cerrar después de abrir.")),
        ("registration_closes_on", "assembly_window_ends_on",
         _("Las asambleas deben terminar después del cierre del registro.")),
        ("assembly_window_starts_on", "assembly_window_ends_on", _("El fin de asambleas va después del inicio.")),
        ("registration_opens_on", "technical_review_deadline", _("El dictamen va después de abrir el registro.")),
        ("technical_review_deadline", "committee_date", _("El Comité sesiona después del dictamen técnico.")),
        ("committee_date", "results_date", _("Los resultados se publican después de la sesión del Comité.")),
        ("results_date", "execution_deadline", _("La ejecución termina después de publicar resultados.")),
    ]
    for before, after, message in order:
        first, second = getattr(call, before), getattr(call, after)
        if first and second and second < first:
            fail(after, message)
    if not call.eligible_project_types:
        fail("eligible_project_types", _("Elige al menos un tipo de proyecto elegible."))
    if not modalities:
        fail("modalities", _("Define al menos una modalidad con sus montos."))
    for item in modalities:
        if item["min_amount"] > item["max_amount"]:
            fail("modalities", _("En cada modalidad, el monto mínimo no puede superar al máximo."))
        if call.total_budget and item["max_amount"] > call.total_budget:
            fail("modalities", _("El monto máximo de una modalidad no puede superar el presupuesto total."))
    if len({m["modality"] for m in modalities}) != len(modalities):
        fail("modalities", _("Cada modalidad va una sola vez."))
    if tranches:
        share = sum((Decimal(t["share_percent"]) for t in tranches), Decimal("0"))
        if share != Decimal("100"):
            fail("tranches", _("Las ministraciones deben sumar 100 %% (suman %(share)s %%).") % {"share": share})
    if rubric:
        weight = sum((Decimal(c["weight"]) for c in rubric), Decimal("0"))
        if weight != Decimal("100"):
            fail("rubric", _("Los pesos de los criterios deben sumar 100 %% (suman %(w)s %%).") % {"w": weight})
    if errors:
        raise ValidationError(errors)


def _snapshot(call: Call) -> dict:
    data = model_to_dict(call, fields=CALL_FIELDS)
    data["modalities"] = [
        {"modality": m.modality, "min_amount": str(m.min_amount), "max_amount": str(m.max_amount)}
        for m in call.modalities.all()
    ]
    data["tranche_plan"] = [
        {"number": t.number, "share_percent": str(t.share_percent),
         "progress_required_percent": t.progress_required_percent,
         "previous_spending_verified": t.previous_spending_verified,
         "previous_proved_percent": t.previous_proved_percent, "documents_required": t.documents_required}
        for t in call.tranche_plan.all()
    ]
    data["rubric"] = [{"name": c.name, "weight": str(c.weight), "computed": c.computed} for c in call.rubric.all()]
    return {key: (str(value) if not isinstance(value, (list, bool, int, dict)) else value)
            for key, value in data.items()}


@transaction.atomic
def call_save(*, actor, call: Call, modalities: list[dict], tranches: list[dict], rubric: list[dict],
              reason: str = "", version: int | None = None) -> Call:
    """Create a call or save its edits. Once published, every change is recorded with its reason."""
    require_may_write(actor)
    if not permissions.can_manage_calls(actor):
        raise PermissionDenied(_("Solo la coordinación del programa gestiona convocatorias."))
    before = None
    if call.pk:
        current = Call.objects.select_for_update().get(pk=call.pk)
        check_version(current, version)
        if current.status in (CallState.RESULTS_PUBLISHED, CallState.ARCHIVED):
            raise ValidationError(_("Una convocatoria con resultados publicados ya no se modifica."))
        before = _snapshot(current)
        call.status = current.status
        call.version = current.version + 1
    call_validate(call, modalities=modalities, tranches=tranches, rubric=rubric)
    call.full_clean(exclude=["status", "version"])
    call.save()
    FolioCounter.objects.get_or_create(call=call)  # the row submissions lock to number their folios
    call.modalities.all().delete()
    CallModality.objects.bulk_create([CallModality(call=call, **m) for m in modalities])
    call.tranche_plan.all().delete()
    TranchePlanItem.objects.bulk_create([TranchePlanItem(call=call, **t) for t in tranches])
    call.rubric.all().delete()
    RubricCriterion.objects.bulk_create([RubricCriterion(call=call, position=i, **c) for i, c in enumerate(rubric)])
    if before is not None and call.status != CallState.DRAFT:
        after = _snapshot(call)
        changes = {key: [before[key], after[key]] for key in after if before.get(key) != after[key]}
        if changes:
            if not reason.strip():
                raise ValidationError({"reason": _("La convocatoria ya está publicada: explica el motivo del cambio.")})
            CallChange.objects.create(call=call, actor=actor, reason=reason.strip(), changes=changes)
    return call


CALL_WORKFLOW = Workflow(
    transitions=CALL_TRANSITIONS, event_model=CallEvent, event_field="call",
    action_label=lambda action: CallAction(action).label if action in CallAction.values else action,
    refusal=gettext_lazy("La convocatoria está «%(state)s»: no se puede «%(action)s»."))


@transaction.atomic
def call_transition(*, actor, call_id: int, action: str, note: str = "", version: int | None = None) -> Call:
    require_may_write(actor)
    if not permissions.can_manage_calls(actor):
        raise PermissionDenied(_("Solo la coordinación del programa gestiona convocatorias."))

    def guard(call):
        if action == CallAction.PUBLISH:
            call_validate(call, modalities=list(call.modalities.values("modality", "min_amount", "max_amount")),
                          tranches=list(call.tranche_plan.values("share_percent")),
                          rubric=list(call.rubric.values("weight")))
            call.published_at = timezone.now()

    return transition_apply(CALL_WORKFLOW, actor=actor, rows=Call.objects.all(), pk=call_id, action=action,
                            version=version, note=note, guard=guard)


@transaction.atomic
def call_document_add(*, actor, call: Call, title: str, upload) -> CallDocument:
    require_may_write(actor)
    if not permissions.can_manage_calls(actor):
        raise PermissionDenied(_("Solo la coordinación del programa gestiona convocatorias."))
    clean = clean_upload(upload, max_bytes=20 * 1_048_576, accept=PDF_ONLY,
                         refused=_("Los documentos de la convocatoria van en PDF."))
    document = CallDocument(call=call, title=title.strip())
    document.file.save(f"{title}.pdf", clean.content, save=False)
    document.save()
    return document
