"""Following the works: progress reports and their endorsement, the append-only logbook, site visits with
observations the committee answers, and the photographs they all carry."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nicp import bounds
from nicp.readonly import require_may_write
from nicp.workflow import Workflow, lock, transition_apply
from projects import permissions
from projects.models import (
    CommitteeKind,
    LogbookEntry,
    ProgressReport,
    Project,
    ProjectPhoto,
    ProjectRules,
    ReportEvent,
    SiteVisit,
    VisitObservation,
)
from projects.photos import clean_photo, far_from_site, project_site
from projects.services.projects import lock_project, record, tell_project
from projects.workflow import (
    REPORT_NOTE_REQUIRED,
    REPORT_TRANSITIONS,
    ProjectState,
    ReportAction,
    ReportState,
)
from proposals.models.calls import MEXICO_CITY

MAX_PHOTOS = 10
WORKS_STATES = frozenset({ProjectState.IN_EXECUTION, ProjectState.SUSPENDED})
LOGBOOK_STATES = frozenset({ProjectState.IN_EXECUTION, ProjectState.SUSPENDED, ProjectState.WORKS_COMPLETED,
                            ProjectState.ACCOUNTABILITY})
VISIT_STATES = LOGBOOK_STATES

REPORT_WORKFLOW = Workflow(
    transitions=REPORT_TRANSITIONS, event_model=ReportEvent, event_field="report",
    action_label=lambda action: ReportAction(action).label if action in ReportAction.values else action,
    refusal=gettext_lazy("El informe está «%(state)s»: no se puede «%(action)s»."))


def _today() -> date:
    return timezone.now().astimezone(MEXICO_CITY).date()


def _text(value: str, field: str, missing: str, errors: dict, limit: int = bounds.TEXT_MAX) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = missing
    elif len(value) > limit:
        errors[field] = _("Admite como máximo %(n)s caracteres.") % {"n": f"{limit:,}"}
    return value


def _photos(uploads, errors: dict, *, required: bool = False) -> list:
    """Clean every photo first, so a bad one refuses the whole step before anything is stored."""
    uploads = [upload for upload in (uploads or []) if upload]
    if required and not uploads:
        errors["photos"] = _("Adjunta al menos una foto de la obra.")
        return []
    if len(uploads) > MAX_PHOTOS:
        errors["photos"] = _("Adjunta como máximo %(n)d fotos a la vez.") % {"n": MAX_PHOTOS}
        return []
    cleaned, problems = [], []
    for upload in uploads:
        try:
            cleaned.append(clean_photo(upload))
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        errors["photos"] = problems
    return cleaned


def _store_photos(project: Project, actor, cleaned: list, **owner) -> list[ProjectPhoto]:
    site = project_site(project.proposal)
    photos = []
    for clean, facts in cleaned:
        photo = ProjectPhoto(project=project, uploaded_by=actor, latitude=facts.latitude, longitude=facts.longitude,
                             taken_at=facts.taken_at, far_from_site=far_from_site(facts, site), **owner)
        photo.file.save(f"foto.{clean.extension}", clean.content, save=False)
        photo.save()
        photos.append(photo)
    return photos


# --- Progress reports -----------------------------------------------------------------------------------

def report_every_days(project: Project) -> int:
    return ProjectRules.for_call(project.call).progress_report_every_days


def next_report_due(project: Project) -> date:
    """Reports fall due every N days (call data) from the start of the works; each report covers the
    next period not yet reported."""
    return report_due_after(project.execution_starts_on, report_every_days(project),
                            project.progress_reports.count())


def report_due_after(starts_on: date, every_days: int, reported: int) -> date:
    """The rule itself, shared with the reminder sweep, which reads the count for many projects at once."""
    return starts_on + timedelta(days=every_days * (reported + 1))


def _percent(value, errors: dict, floor: Decimal) -> Decimal | None:
    try:
        percent = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        percent = None
    if percent is None or not percent.is_finite() or not 0 <= percent <= 100:
        errors["physical_percent"] = _("Escribe el avance físico en porcentaje, de 0 a 100.")
        return None
    if percent < floor:
        errors["physical_percent"] = _("El avance no baja: el último avalado es %(p)s %%.") % {"p": floor}
        return None
    return percent


@transaction.atomic
def progress_report_submit(*, actor, project_id: int, physical_percent, summary: str, photos=(),
                           version=None) -> ProgressReport:
    """The administration committee reports the period's physical progress, what was done and photos."""
    require_may_write(actor)
    project = lock_project(actor, project_id, version)
    if not permissions.can_report_progress(actor, project):
        raise PermissionDenied(_("Solo el comité de Administración envía los informes de avance."))
    if project.status not in WORKS_STATES:
        raise ValidationError(_("El proyecto está «%(state)s»: no se informan avances.")
                              % {"state": project.get_status_display()})
    if project.progress_reports.exclude(status=ReportState.ENDORSED).exists():
        raise ValidationError(_("Hay un informe por avalar o corregir: atiéndelo antes de enviar otro."))
    errors = {}
    percent = _percent(physical_percent, errors, project.physical_progress)
    summary = _text(summary, "summary", _("Cuenta qué se hizo en el periodo."), errors)
    cleaned = _photos(photos, errors, required=True)
    if errors:
        raise ValidationError(errors)
    report = ProgressReport.objects.create(project=project, due_on=next_report_due(project),
                                           physical_percent=percent, summary=summary, submitted_by=actor)
    _store_photos(project, actor, cleaned, report=report)
    ReportEvent.objects.create(report=report, actor=actor, action="submit", from_state="", to_state=report.status)
    record(project, actor, "report_submitted", _("Avance físico informado: %(p)s %%.") % {"p": percent})
    return report


@transaction.atomic
def progress_report_transition(*, actor, report_id: int, action: str, note: str = "", version=None,
                               physical_percent=None, summary: str = "", photos=()) -> ProgressReport:
    """Supervision endorses (the project's physical progress becomes the report's) or observes with a
    note; the administration committee corrects an observed report and sends it again."""
    found = ProgressReport.objects.filter(pk=report_id).values_list("project_id", flat=True).first()
    project = lock_project(actor, found or 0)
    cleaned = []

    def allowed(report):
        if action == ReportAction.CORRECT:
            return permissions.can_report_progress(actor, project)
        return permissions.can_endorse(actor, project)

    def guard(report):
        nonlocal cleaned
        if project.status not in WORKS_STATES:
            raise ValidationError(_("El proyecto está «%(state)s»: sus informes ya no cambian.")
                                  % {"state": project.get_status_display()})
        if action in REPORT_NOTE_REQUIRED and not note.strip():
            raise ValidationError({"note": _("Escribe qué debe corregir el comité de Administración.")})
        if action == ReportAction.OBSERVE:
            report.last_note = note.strip()
        if action == ReportAction.CORRECT:
            errors = {}
            percent = _percent(physical_percent, errors, project.physical_progress)
            text = _text(summary, "summary", _("Cuenta qué se hizo en el periodo."), errors)
            cleaned = _photos(photos, errors)
            if errors:
                raise ValidationError(errors)
            report.physical_percent, report.summary = percent, text
        if action == ReportAction.ENDORSE:
            if report.physical_percent < project.physical_progress:
                raise ValidationError(_("El avance informado es menor que el último avalado."))
            report.endorsed_at = timezone.now()

    def after(report, source):
        if cleaned:
            _store_photos(project, actor, cleaned, report=report)
        if action == ReportAction.ENDORSE:
            project.physical_progress = report.physical_percent
            project.save(update_fields=["physical_progress", "updated_at"])
            record(project, actor, "report_endorsed", _("Avance físico: %(p)s %%.") % {"p": report.physical_percent})
        elif action == ReportAction.OBSERVE:
            record(project, actor, "report_observed", note)
            tell_project(project, ReportState.OBSERVED.label, note,
                         subject=_("%(code)s: informe de avance observado") % {"code": project.code})

    rows = ProgressReport.objects.filter(project=project)
    return transition_apply(
        REPORT_WORKFLOW, actor=actor, rows=rows, pk=report_id, action=action, version=version, note=note,
        allowed=allowed, denied=_("Tu papel no puede «%(action)s» este informe.")
        % {"action": REPORT_WORKFLOW.action_label(action)}, guard=guard, after=after)


# --- Logbook ------------------------------------------------------------------------------------------

def author_role(actor, project: Project) -> str:
    seat = permissions.seat_of(actor, project)
    if seat is not None:
        return str(CommitteeKind(seat.committee).label)
    from accounts.roles import StaffRole, roles_of

    roles = roles_of(actor)
    for role in (StaffRole.COORDINATOR, StaffRole.FINANCE_OFFICER):
        if role in roles:
            return str(role.label)
    return ""


@transaction.atomic
def logbook_write(*, actor, project_id: int, happened_on, text: str, corrects_id=None, photos=()) -> LogbookEntry:
    """Add an entry to the works logbook. Entries are never edited or deleted: a correction is a new
    entry that points to the one it corrects."""
    require_may_write(actor)
    project = lock_project(actor, project_id)
    if not permissions.can_write_logbook(actor, project):
        raise PermissionDenied(_("La bitácora la escriben los comités del proyecto y el personal que lo sigue."))
    if project.status not in LOGBOOK_STATES:
        raise ValidationError(_("La bitácora se abre con la ejecución de las obras."))
    errors = {}
    if happened_on is None:
        errors["happened_on"] = _("Indica la fecha de lo que anotas.")
    elif happened_on > _today():
        errors["happened_on"] = _("La fecha no puede ser futura.")
    elif happened_on < project.execution_starts_on:
        errors["happened_on"] = _("La fecha va desde el inicio de la ejecución (%(start)s).") % {
            "start": project.execution_starts_on.strftime("%d/%m/%Y")}
    text = _text(text, "text", _("Escribe la anotación."), errors)
    corrected = None
    if corrects_id:
        corrected = project.logbook.filter(pk=corrects_id).first()
        if corrected is None:
            errors["corrects"] = _("La anotación que corriges no es de esta bitácora.")
    cleaned = _photos(photos, errors)
    if errors:
        raise ValidationError(errors)
    entry = LogbookEntry.objects.create(project=project, happened_on=happened_on, text=text, corrects=corrected,
                                        author=actor, author_role=author_role(actor, project))
    _store_photos(project, actor, cleaned, logbook_entry=entry)
    return entry


# --- Site visits ----------------------------------------------------------------------------------------

@transaction.atomic
def site_visit_record(*, actor, project_id: int, visited_on, findings: str, observations=(), photos=()) -> SiteVisit:
    """Ministry staff record a visit; each observation has a deadline for the committee to answer.
    `observations` is a list of (text, answer_due_on)."""
    require_may_write(actor)
    project = lock_project(actor, project_id)
    if not permissions.can_record_visit(actor, project):
        raise PermissionDenied(_("Solo la coordinación registra visitas de supervisión (y nunca a un proyecto con "
                                 "el que tiene relación)."))
    if project.status not in VISIT_STATES:
        raise ValidationError(_("Las visitas se registran mientras las obras se ejecutan o se cierran."))
    errors = {}
    today = _today()
    if visited_on is None or visited_on > today or visited_on < project.execution_starts_on:
        errors["visited_on"] = _("La fecha de la visita va entre el inicio de la ejecución (%(start)s) y hoy.") % {
            "start": project.execution_starts_on.strftime("%d/%m/%Y")}
    findings = _text(findings, "findings", _("Escribe qué se encontró en la visita."), errors)
    clean_observations = []
    for number, (text, due_on) in enumerate(observations, start=1):
        text = (text or "").strip()
        if not text and due_on is None:
            continue
        if not text or len(text) > bounds.NOTE_MAX:
            errors[f"observation_{number}"] = _("Escribe la observación %(n)d (hasta %(max)s caracteres).") % {
                "n": number, "max": f"{bounds.NOTE_MAX:,}"}
        elif due_on is None or due_on <= today:
            errors[f"observation_{number}"] = _("Indica para la observación %(n)d una fecha límite posterior a "
                                                "hoy.") % {"n": number}
        else:
            clean_observations.append((text, due_on))
    cleaned = _photos(photos, errors)
    if errors:
        raise ValidationError(errors)
    visit = SiteVisit.objects.create(project=project, visited_on=visited_on, findings=findings, recorded_by=actor)
    VisitObservation.objects.bulk_create([
        VisitObservation(visit=visit, project=project, text=text, answer_due_on=due_on)
        for text, due_on in clean_observations])
    _store_photos(project, actor, cleaned, visit=visit)
    record(project, actor, "visit_recorded", findings)
    if clean_observations:
        body = "\n".join(f"- {text} ({due_on.strftime('%d/%m/%Y')})" for text, due_on in clean_observations)
        tell_project(project, _("Observaciones de la visita"), body,
                     subject=_("%(code)s: observaciones de la visita de supervisión") % {"code": project.code})
    return visit


def _lock_observation(actor, observation_id, version):
    found = VisitObservation.objects.filter(pk=observation_id).values_list("project_id", flat=True).first()
    project = lock_project(actor, found or 0)
    return project, lock(VisitObservation.objects.filter(project=project), observation_id, version)


@transaction.atomic
def observation_answer(*, actor, observation_id: int, answer: str, version=None) -> VisitObservation:
    require_may_write(actor)
    project, observation = _lock_observation(actor, observation_id, version)
    if not permissions.can_answer_observation(actor, project):
        raise PermissionDenied(_("Las observaciones las responden los comités de Administración o Supervisión."))
    if observation.status != VisitObservation.Status.OPEN:
        raise ValidationError(_("Esta observación ya fue respondida."))
    errors = {}
    answer = _text(answer, "answer", _("Escribe qué se hizo para atender la observación."), errors,
                   limit=bounds.NOTE_MAX)
    if errors:
        raise ValidationError(errors)
    observation.status, observation.answer = VisitObservation.Status.ANSWERED, answer
    observation.answered_by, observation.answered_at = actor, timezone.now()
    observation.version += 1
    observation.save()
    record(project, actor, "observation_answered", answer)
    return observation


@transaction.atomic
def observation_settle(*, actor, observation_id: int, settled: bool, note: str = "", version=None) -> VisitObservation:
    """Staff accept the answer (settled) or open the observation again with a note the committee reads;
    a deadline already past moves a week ahead so there is time to answer."""
    require_may_write(actor)
    project, observation = _lock_observation(actor, observation_id, version)
    if not permissions.can_record_visit(actor, project):
        raise PermissionDenied(_("Solo la coordinación da por atendida una observación."))
    if observation.status != VisitObservation.Status.ANSWERED:
        raise ValidationError(_("Solo se revisa una observación que el comité ya respondió."))
    if not settled and not note.strip():
        raise ValidationError({"note": _("Escribe por qué la respuesta no basta.")})
    if settled:
        observation.status = VisitObservation.Status.SETTLED
        observation.settled_by, observation.settled_at = actor, timezone.now()
    else:
        observation.status = VisitObservation.Status.OPEN
        observation.review_note = note.strip()
        observation.answer_due_on = max(observation.answer_due_on, _today() + timedelta(days=7))
    observation.version += 1
    observation.save()
    record(project, actor, "observation_settled" if settled else "observation_reopened", note)
    if not settled:
        tell_project(project, _("Observación reabierta"), note,
                     subject=_("%(code)s: una observación de visita sigue abierta") % {"code": project.code})
    return observation


@transaction.atomic
def photo_publish(*, actor, photo_id: int, public: bool) -> ProjectPhoto:
    """Staff choose which photographs the public pages show."""
    require_may_write(actor)
    found = ProjectPhoto.objects.filter(pk=photo_id).values_list("project_id", flat=True).first()
    project = lock_project(actor, found or 0)
    if not permissions.can_publish_photo(actor, project):
        raise PermissionDenied(_("Solo la coordinación elige las fotos públicas."))
    photo = lock(ProjectPhoto.objects.filter(project=project), photo_id)
    ProjectPhoto.objects.filter(pk=photo.pk).update(is_public=public)
    from projects.services.publication import public_page_changed

    public_page_changed(project)
    photo.is_public = public
    return photo
