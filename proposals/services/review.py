"""Staff review: batch eligibility, internal comments, assemblies and technical reviews."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.roles import StaffRole, has_role
from nicp.dates import date_range
from nicp.errors import StaleVersion, check_version
from nicp.readonly import require_may_write
from proposals import permissions
from proposals.models import (
    CHECKLIST,
    Assembly,
    AssemblyStatus,
    ChecklistAnswer,
    Proposal,
    ProposalEvent,
    ReviewAssignment,
    ReviewPhoto,
    ReviewResult,
    StaffComment,
    TechnicalReview,
)
from proposals.models.calls import MEXICO_CITY
from proposals.services.attachments import upload_receive
from proposals.services.proposals import lock_proposal, proposal_transition, tell_group
from proposals.uploads import IMAGES_ONLY, clean_upload
from proposals.workflow import ORDER_DEPENDENT, PROPOSAL_TRANSITIONS, ProposalAction, ProposalState

MB = 1_048_576


def _require_coordinator(actor) -> None:
    if not permissions.is_coordinator(actor):
        raise PermissionDenied(_("Solo la coordinación del programa puede hacerlo."))


@dataclass
class BatchResult:
    proposal_id: int
    ok: bool
    message: str = ""


def proposals_batch(*, actor, proposal_ids: list[int], action: str, **kwargs) -> list[BatchResult]:
    """Apply one action to several proposals; each in its own transaction, each result reported."""
    require_may_write(actor)
    results = []
    for proposal_id in proposal_ids:
        try:
            proposal_transition(actor=actor, proposal_id=proposal_id, action=action, **kwargs)
        except (ValidationError, PermissionDenied, StaleVersion, Http404) as error:
            message = " ".join(getattr(error, "messages", [str(error) or _("No encontrada.")]))
            results.append(BatchResult(proposal_id, False, message))
        else:
            results.append(BatchResult(proposal_id, True))
    return results


@transaction.atomic
def staff_comment_add(*, actor, proposal_id: int, body: str) -> StaffComment:
    require_may_write(actor)
    proposal = lock_proposal(actor, proposal_id, None)
    if not permissions.can_comment_internally(actor):
        raise PermissionDenied(_("Los comentarios internos son del personal del programa."))
    if not body.strip():
        raise ValidationError({"body": _("Escribe el comentario.")})
    return StaffComment.objects.create(proposal=proposal, author=actor, body=body.strip())


def reviewers_assign(*, actor, proposal_ids: list[int], reviewer) -> list[BatchResult]:
    """Assign a technical reviewer to proposals; those ready for review move into it."""
    require_may_write(actor)
    _require_coordinator(actor)
    if not has_role(reviewer, StaffRole.TECHNICAL_REVIEWER):
        raise ValidationError({"reviewer": _("La persona elegida no tiene el papel de revisión técnica.")})
    results = []
    for proposal_id in proposal_ids:
        with transaction.atomic():
            proposal = Proposal.objects.visible_to(actor).select_for_update().filter(pk=proposal_id).first()
            if proposal is None or proposal.status in (ProposalState.DRAFT, ProposalState.WITHDRAWN,
                                                       ProposalState.INELIGIBLE):
                results.append(BatchResult(proposal_id, False, _("No se puede asignar en su estado actual.")))
                continue
            ReviewAssignment.objects.get_or_create(proposal=proposal, reviewer=reviewer,
                                                   defaults={"assigned_by": actor})
            ProposalEvent.objects.create(proposal=proposal, actor=actor, action="assign_reviewer",
                                         from_state=proposal.status, to_state=proposal.status,
                                         note=reviewer.get_full_name())
        ready = (proposal.status, ProposalAction.START_REVIEW)
        if ready in PROPOSAL_TRANSITIONS and ORDER_DEPENDENT.get(ready) == proposal.call.assembly_before_review:
            proposal_transition(actor=actor, proposal_id=proposal_id, action=ProposalAction.START_REVIEW)
        results.append(BatchResult(proposal_id, True))
    return results


# --- Assemblies -----------------------------------------------------------------------------------

def assembly_date_problem(call, scheduled_at, *, now) -> str:
    """Why an assembly cannot be held then, or "": never before today (Mexico City), always inside the
    call's assembly window."""
    day = scheduled_at.astimezone(MEXICO_CITY).date()
    today = now.astimezone(MEXICO_CITY).date()
    if day < today:
        return _("Esa fecha ya pasó: programa la asamblea de hoy (%(today)s) en adelante.") % {
            "today": date_format(today, "DATE_FORMAT")}
    if not call.assembly_window_starts_on <= day <= call.assembly_window_ends_on:
        return _("La convocatoria fija las asambleas %(window)s: elige una fecha dentro de ese periodo.") % {
            "window": date_range(call.assembly_window_starts_on, call.assembly_window_ends_on)}
    return ""


@transaction.atomic
def assembly_schedule(*, actor, proposal_id: int, scheduled_at, place: str, convened_by: str,
                      version: int | None = None, now=None) -> Assembly:
    """Schedule the approval assembly, or a new one after an assembly without quorum."""
    require_may_write(actor)
    _require_coordinator(actor)
    proposal = lock_proposal(actor, proposal_id, version)
    errors = {}
    if scheduled_at is None:
        errors["scheduled_at"] = _("Indica la fecha y hora.")
    elif problem := assembly_date_problem(proposal.call, scheduled_at, now=now or timezone.now()):
        errors["scheduled_at"] = problem
    if not place.strip():
        errors["place"] = _("Indica el lugar.")
    if not convened_by.strip():
        errors["convened_by"] = _("Indica quién convoca.")
    if errors:
        raise ValidationError(errors)
    last = proposal.assemblies.filter(purpose=Assembly.Purpose.APPROVAL).last()
    rescheduling = proposal.status == ProposalState.ASSEMBLY_SCHEDULED
    if rescheduling and (last is None or last.status == AssemblyStatus.SCHEDULED):
        raise ValidationError(_("Ya hay una asamblea programada; registra su resultado antes de programar otra."))
    assembly = Assembly.objects.create(
        proposal=proposal, scheduled_at=scheduled_at, place=place.strip(), convened_by=convened_by.strip(),
        quorum_required=proposal.call.assembly_quorum, scheduled_by=actor)
    when = date_format(timezone.localtime(scheduled_at, MEXICO_CITY), "DATETIME_FORMAT")
    note = _("Asamblea el %(when)s en %(place)s.") % {"when": when, "place": assembly.place}
    if rescheduling:
        ProposalEvent.objects.create(proposal=proposal, actor=actor, action="reschedule_assembly",
                                     from_state=proposal.status, to_state=proposal.status, note=note)
        tell_group(proposal, _("Asamblea reprogramada"), note)
    else:
        proposal_transition(actor=actor, proposal_id=proposal.pk, action=ProposalAction.SCHEDULE_ASSEMBLY,
                            note=note, system=True)
    return assembly


@transaction.atomic
def assembly_record(*, actor, assembly_id: int, attendees: int, votes_for: int, votes_against: int,
                    abstentions: int, observations: str = "", attendance_list=None, minutes=None,
                    now=None) -> Assembly:
    """Record what the assembly decided. Without quorum it is recorded and a new one is needed."""
    require_may_write(actor)
    _require_coordinator(actor)
    assembly = Assembly.objects.select_for_update().select_related("proposal").filter(pk=assembly_id).first()
    if assembly is None or not Proposal.objects.visible_to(actor).filter(pk=assembly.proposal_id).exists():
        raise Http404
    if assembly.status != AssemblyStatus.SCHEDULED:
        raise ValidationError(_("El resultado de esta asamblea ya está registrado."))
    if (now or timezone.now()) < assembly.scheduled_at:
        raise ValidationError(_("La asamblea es el %(when)s: registra su resultado cuando se haya celebrado.") % {
            "when": date_format(timezone.localtime(assembly.scheduled_at, MEXICO_CITY), "DATETIME_FORMAT")})
    counts = {"attendees": attendees, "votes_for": votes_for, "votes_against": votes_against,
              "abstentions": abstentions}
    errors = {k: _("Debe ser un número entero de 0 en adelante.") for k, v in counts.items()
              if v is None or int(v) < 0}
    if errors:
        raise ValidationError(errors)
    if votes_for + votes_against + abstentions > attendees:
        raise ValidationError({"attendees": _("Hay más votos (%(votes)d) que asistentes (%(people)d).")
                               % {"votes": votes_for + votes_against + abstentions, "people": attendees}})
    for field, upload in (("attendance_list", attendance_list), ("minutes", minutes)):
        if upload is not None:
            clean = clean_upload(upload, max_bytes=assembly.proposal.call.max_file_size_mb * MB)
            getattr(assembly, field).save(f"file.{clean.extension}", clean.content, save=False)
    if not assembly.minutes:
        raise ValidationError({"minutes": _("Sube el acta de la asamblea.")})
    for field, value in counts.items():
        setattr(assembly, field, int(value))
    assembly.observations = observations.strip()
    assembly.recorded_by, assembly.recorded_at = actor, timezone.now()
    summary = _("Asistentes: %(a)d (quórum %(q)d); a favor %(f)d, en contra %(c)d, abstenciones %(x)d.") % {
        "a": attendees, "q": assembly.quorum_required, "f": votes_for, "c": votes_against, "x": abstentions}
    if attendees < assembly.quorum_required:
        assembly.status = AssemblyStatus.NO_QUORUM
        assembly.save()
        note = _("Sin quórum: hay que programar otra asamblea.") + " " + summary
        ProposalEvent.objects.create(proposal=assembly.proposal, actor=actor, action="assembly_no_quorum",
                                     from_state=assembly.proposal.status, to_state=assembly.proposal.status,
                                     note=note)
        tell_group(assembly.proposal, _("Asamblea sin quórum"), note)
        return assembly
    approved = votes_for > votes_against
    assembly.status = AssemblyStatus.APPROVED if approved else AssemblyStatus.REJECTED
    assembly.save()
    proposal_transition(actor=actor, proposal_id=assembly.proposal_id, system=True, note=summary,
                        action=ProposalAction.APPROVE_IN_ASSEMBLY if approved else ProposalAction.REJECT_IN_ASSEMBLY)
    return assembly


# --- Technical reviews ----------------------------------------------------------------------------

REVIEW_FIELDS = ["checklist", "adjusted_cost", "site_visit_on", "result", "observations", "reasons",
                 "internal_notes"]


def _my_review(actor, proposal_id: int) -> tuple[Proposal, TechnicalReview]:
    proposal = Proposal.objects.visible_to(actor).filter(pk=proposal_id).select_related("call").first()
    if proposal is None or not ReviewAssignment.objects.filter(proposal=proposal, reviewer=actor).exists():
        raise Http404
    review, _created = TechnicalReview.objects.select_for_update().get_or_create(proposal=proposal, reviewer=actor)
    return proposal, review


def review_problems(review: TechnicalReview) -> dict[str, str]:
    """What a review needs before it can be submitted, by field."""
    problems = {}
    answers = review.checklist or {}
    unanswered = [str(label) for code, label in CHECKLIST.items()
                  if (answers.get(code) or {}).get("answer") not in ChecklistAnswer.values]
    if unanswered:
        problems["checklist"] = _("Responde todo el cuestionario: %(items)s.") % {"items": ", ".join(unanswered)}
    if review.result not in ReviewResult.values:
        problems["result"] = _("Elige el resultado del dictamen.")
    if review.result == ReviewResult.FEASIBLE_WITH_OBSERVATIONS and not review.observations.strip():
        problems["observations"] = _("Escribe las observaciones para el grupo.")
    if review.result == ReviewResult.NOT_FEASIBLE and not review.reasons.strip():
        problems["reasons"] = _("Escribe los motivos por los que no es factible.")
    if review.adjusted_cost is not None and review.adjusted_cost < 0:
        problems["adjusted_cost"] = _("El costo no puede ser negativo.")
    return problems


@transaction.atomic
def review_save(*, actor, proposal_id: int, data: dict, submit: bool = False,
                version: int | None = None) -> TechnicalReview:
    """Save the reviewer's draft; with submit, make it final and move the proposal when all are in."""
    require_may_write(actor)
    proposal, review = _my_review(actor, proposal_id)
    check_version(review, version)
    if review.status == TechnicalReview.Status.SUBMITTED:
        raise ValidationError(_("El dictamen ya fue entregado; solo la coordinación puede reabrirlo."))
    unknown = set(data) - set(REVIEW_FIELDS)
    if unknown:
        raise ValidationError(_("Campos desconocidos: %(f)s") % {"f": ", ".join(sorted(unknown))})
    for field, value in data.items():
        setattr(review, field, value)
    review.checklist = {code: {"answer": (review.checklist.get(code) or {}).get("answer", ""),
                               "note": str((review.checklist.get(code) or {}).get("note", ""))[:500]}
                        for code in CHECKLIST}
    if review.adjusted_cost is not None:
        review.adjusted_cost = Decimal(review.adjusted_cost)
    if submit:
        if proposal.status != ProposalState.IN_REVIEW:
            raise ValidationError(_("La propuesta todavía no está en dictamen técnico."))
        problems = review_problems(review)
        if problems:
            raise ValidationError(problems)
        review.status = TechnicalReview.Status.SUBMITTED
        review.submitted_at = timezone.now()
    review.version += 1
    review.save()
    if submit:
        _conclude_if_complete(actor, proposal)
    return review


def _conclude_if_complete(actor, proposal: Proposal) -> None:
    """When every assigned reviewer has submitted, the proposal is feasible unless one says it is not."""
    assigned = set(proposal.review_assignments.values_list("reviewer_id", flat=True))
    submitted = {r.reviewer_id: r for r in proposal.technical_reviews.filter(status=TechnicalReview.Status.SUBMITTED)}
    if not assigned or not assigned <= set(submitted):
        return
    not_feasible = [r for r in submitted.values() if r.result == ReviewResult.NOT_FEASIBLE]
    action = ProposalAction.MARK_NOT_FEASIBLE if not_feasible else ProposalAction.MARK_FEASIBLE
    note = "\n".join(r.reasons if r.result == ReviewResult.NOT_FEASIBLE else r.observations
                     for r in submitted.values() if (r.reasons or r.observations).strip())
    proposal_transition(actor=actor, proposal_id=proposal.pk, action=action, note=note, system=True)


@transaction.atomic
def review_photo_add(*, actor, proposal_id: int, upload) -> ReviewPhoto:
    require_may_write(actor)
    proposal, review = _my_review(actor, proposal_id)
    if review.status == TechnicalReview.Status.SUBMITTED:
        raise ValidationError(_("El dictamen ya fue entregado."))
    upload_receive(lock_proposal(actor, proposal.pk, None))  # locked: concurrent uploads count one at a time
    clean = clean_upload(upload, max_bytes=proposal.call.max_file_size_mb * MB, accept=IMAGES_ONLY,
                         refused=_("Las fotos de la visita van en JPEG, PNG o WEBP."))
    photo = ReviewPhoto(review=review, original_name=upload.name[:200], content_type=clean.content_type)
    photo.file.save(f"photo.{clean.extension}", clean.content, save=False)
    photo.save()
    return photo


@transaction.atomic
def review_reopen(*, actor, review_id: int, note: str) -> TechnicalReview:
    """A coordinator reopens a submitted review, on the record; a decided proposal goes back to review."""
    require_may_write(actor)
    _require_coordinator(actor)
    review = TechnicalReview.objects.select_for_update().filter(pk=review_id).first()
    if review is None or not Proposal.objects.visible_to(actor).filter(pk=review.proposal_id).exists():
        raise Http404
    if review.status != TechnicalReview.Status.SUBMITTED:
        raise ValidationError(_("Solo se reabre un dictamen entregado."))
    if not note.strip():
        raise ValidationError({"note": _("Escribe por qué se reabre.")})
    review.status, review.submitted_at = TechnicalReview.Status.DRAFT, None
    review.version += 1
    review.save()
    proposal = review.proposal
    if proposal.status in (ProposalState.FEASIBLE, ProposalState.NOT_FEASIBLE):
        proposal_transition(actor=actor, proposal_id=proposal.pk, action=ProposalAction.REOPEN_REVIEW,
                            note=note, system=True)
    else:
        ProposalEvent.objects.create(proposal=proposal, actor=actor, action="reopen_review",
                                     from_state=proposal.status, to_state=proposal.status, note=note.strip())
    return review
