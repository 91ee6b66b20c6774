"""Following the works, a tab each: progress reports (submitted by the administration committee, endorsed or
observed by supervision), the append-only logbook, site visits with the observations the committees answer,
the photos they carry (served only to who sees the project) and the project's timeline. Every write goes
through projects.services; a refused form comes back as typed with each error by its field."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nicp.errors import StaleVersion
from nicp.pagination import KeysFirstPaginator
from nicp.storage import content_type_of, download_response
from projects import permissions, services
from projects.models import LogbookEntry, ProjectPhoto, VisitObservation
from projects.progress import financial_progress, physical_progress
from projects.services.execution import LOGBOOK_STATES, VISIT_STATES, WORKS_STATES
from projects.views.common import apply_error, project_for
from projects.views.execution_forms import (
    AnswerForm,
    LogbookForm,
    ReportCorrectForm,
    ReportForm,
    ReportReviewForm,
    SettleForm,
    VisitForm,
)
from projects.views.next_steps import _what, register_step
from projects.workflow import ReportAction, ReportState
from proposals.models.calls import MEXICO_CITY

PAGE_SIZE = 25
FORM_METHODS = require_http_methods(["GET", "POST"])  # a form page: shown, or sent
PHOTOS = Prefetch("photos", queryset=ProjectPhoto.objects.order_by("uploaded_at", "id"))


def _require(allowed) -> None:
    if not allowed:
        raise PermissionDenied


def _today():
    return timezone.now().astimezone(MEXICO_CITY).date()


def _write(form, write) -> int | None:
    """Run the service when the form parses: None when written, else the status to answer with (400, or
    409 when someone changed the record first); the errors are on the form by their fields."""
    if not form.is_valid():
        return 400
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        apply_error(form, error)
        return 400
    except StaleVersion as error:
        form.add_error(None, str(error))
        return 409
    return None


# --- Progress -------------------------------------------------------------------------------------------

def _open_report(project):
    return project.progress_reports.exclude(status=ReportState.ENDORSED).first()


@login_required
def progress(request, pk):
    project = project_for(request.user, pk)
    due = services.next_report_due(project)
    reports = project.progress_reports.select_related("submitted_by").prefetch_related(PHOTOS)
    page = KeysFirstPaginator(reports.order_by("-due_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    works = project.status in WORKS_STATES
    return render(request, "projects/execution/progress.html", {
        "project": project, "page": page, "physical": physical_progress(project),
        "financial": financial_progress(project), "due": due, "overdue": works and due < _today(),
        "works": works, "may_submit": works and permissions.can_report_progress(user, project)
        and _open_report(project) is None,
        "may_endorse": works and permissions.can_endorse(user, project),
        "may_correct": works and permissions.can_report_progress(user, project),
        "may_publish": permissions.can_publish_photo(user, project),
    })


@login_required
@FORM_METHODS
def report_submit(request, pk):
    project = project_for(request.user, pk)
    _require(permissions.can_report_progress(request.user, project))
    form = ReportForm(request.POST or None, request.FILES or None, initial={"version": project.version})
    status = 200
    if request.method == "POST":
        status = _write(form, lambda data: services.progress_report_submit(
            actor=request.user, project_id=project.pk, physical_percent=data["physical_percent"],
            summary=data["summary"], photos=data["photos"], version=data.get("version")))
        if status is None:
            messages.success(request, _("Informe enviado. El comité de Supervisión lo revisará."))
            return redirect("projects:progress", pk=project.pk)
    return render(request, "projects/execution/report_form.html", {
        "project": project, "form": form, "due": services.next_report_due(project),
        "open_report": _open_report(project)}, status=status)


@login_required
@FORM_METHODS
def report_action(request, pk, report_pk):
    """Supervision endorses or observes a submitted report; the administration committee corrects an
    observed one. GET shows the report with the form this person may use."""
    project = project_for(request.user, pk)
    user = request.user
    _require(permissions.can_endorse(user, project) or permissions.can_report_progress(user, project))
    report = get_object_or_404(project.progress_reports.prefetch_related(PHOTOS), pk=report_pk)
    reviewing = permissions.can_endorse(user, project)
    initial = {"version": report.version}
    if reviewing:
        form = ReportReviewForm(request.POST or None, initial=initial)
    else:
        form = ReportCorrectForm(request.POST or None, request.FILES or None,
                                 initial={**initial, "physical_percent": report.physical_percent,
                                          "summary": report.summary})
    status = 200
    if request.method == "POST":
        def write(data):
            if reviewing:
                return services.progress_report_transition(
                    actor=user, report_id=report.pk, action=data["decision"], note=data["note"],
                    version=data.get("version"))
            return services.progress_report_transition(
                actor=user, report_id=report.pk, action=ReportAction.CORRECT, version=data.get("version"),
                physical_percent=data["physical_percent"], summary=data["summary"], photos=data["photos"])

        status = _write(form, write)
        if status is None:
            messages.success(request, _("Informe avalado: el avance físico del proyecto se actualizó.")
                             if reviewing and form.cleaned_data["decision"] == ReportAction.ENDORSE
                             else _("Listo. Se avisó a los comités del proyecto."))
            return redirect("projects:progress", pk=project.pk)
    return render(request, "projects/execution/report_action.html", {
        "project": project, "report": report, "form": form, "reviewing": reviewing,
        "actionable": project.status in WORKS_STATES and report.status == (
            ReportState.SUBMITTED if reviewing else ReportState.OBSERVED)}, status=status)


# --- Logbook --------------------------------------------------------------------------------------------

@login_required
def logbook(request, pk):
    project = project_for(request.user, pk)
    entries = (project.logbook.select_related("author", "corrects")
               .prefetch_related(PHOTOS, Prefetch("corrections", queryset=LogbookEntry.objects.order_by("id"))))
    page = KeysFirstPaginator(entries.order_by("-written_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/execution/logbook.html", {
        "project": project, "page": page,
        "may_write": project.status in LOGBOOK_STATES and permissions.can_write_logbook(request.user, project),
        "may_publish": permissions.can_publish_photo(request.user, project),
    })


@login_required
@FORM_METHODS
def logbook_write(request, pk):
    project = project_for(request.user, pk)
    _require(permissions.can_write_logbook(request.user, project))
    corrects = request.POST.get("corrects") if request.method == "POST" else request.GET.get("corrige")
    corrected = None
    if corrects and str(corrects).isdigit():
        corrected = project.logbook.select_related("author").filter(pk=int(corrects)).first()
    form = LogbookForm(request.POST or None, request.FILES or None,
                       initial={"happened_on": _today(), "corrects": corrected.pk if corrected else None})
    status = 200
    if request.method == "POST":
        status = _write(form, lambda data: services.logbook_write(
            actor=request.user, project_id=project.pk, happened_on=data["happened_on"], text=data["text"],
            corrects_id=data.get("corrects"), photos=data["photos"]))
        if status is None:
            messages.success(request, _("Anotación agregada a la bitácora."))
            return redirect("projects:logbook", pk=project.pk)
    return render(request, "projects/execution/logbook_form.html",
                  {"project": project, "form": form, "corrected": corrected}, status=status)


# --- Site visits and their observations -----------------------------------------------------------------

def _visits_page(request, project, *, status=200, bound=None):
    """The visits tab; `bound` is (kind, observation id, form) for an answer or review that came back."""
    user = request.user
    observations = Prefetch("observations", queryset=VisitObservation.objects.select_related("answered_by")
                            .order_by("answer_due_on", "id"))
    visits = project.visits.select_related("recorded_by").prefetch_related(PHOTOS, observations)
    page = KeysFirstPaginator(visits.order_by("-visited_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    may_answer = permissions.can_answer_observation(user, project)
    may_settle = permissions.can_record_visit(user, project)
    today = _today()
    for visit in page.object_list:
        for observation in visit.observations.all():
            observation.overdue = (observation.status == VisitObservation.Status.OPEN
                                   and observation.answer_due_on < today)
            if may_answer and observation.status == VisitObservation.Status.OPEN:
                observation.answer_form = AnswerForm(observation=observation)
            if may_settle and observation.status == VisitObservation.Status.ANSWERED:
                observation.settle_form = SettleForm(observation=observation)
            if bound and bound[1] == observation.pk:
                setattr(observation, f"{bound[0]}_form", bound[2])
    return render(request, "projects/execution/visits.html", {
        "project": project, "page": page,
        "may_record": may_settle and project.status in VISIT_STATES,
        "may_publish": permissions.can_publish_photo(user, project),
    }, status=status)


@login_required
def visits(request, pk):
    return _visits_page(request, project_for(request.user, pk))


@login_required
@FORM_METHODS
def visit_record(request, pk):
    project = project_for(request.user, pk)
    _require(permissions.can_record_visit(request.user, project))
    form = VisitForm(request.POST or None, request.FILES or None, initial={"visited_on": _today()})
    status = 200
    if request.method == "POST":
        status = _write(form, lambda data: services.site_visit_record(
            actor=request.user, project_id=project.pk, visited_on=data["visited_on"], findings=data["findings"],
            observations=form.observations(), photos=data["photos"]))
        if status is None:
            messages.success(request, _("Visita registrada. Se avisó a los comités de sus observaciones."))
            return redirect("projects:visits", pk=project.pk)
    return render(request, "projects/execution/visit_form.html", {
        "project": project, "form": form, "suggested_due": _today() + timedelta(days=15)}, status=status)


def _observation(project, obs_pk) -> VisitObservation:
    return get_object_or_404(VisitObservation, pk=obs_pk, project=project)


@login_required
@require_POST
def observation_answer(request, pk, obs_pk):
    project = project_for(request.user, pk)
    _require(permissions.can_answer_observation(request.user, project))
    observation = _observation(project, obs_pk)
    form = AnswerForm(request.POST, observation=observation)
    status = _write(form, lambda data: services.observation_answer(
        actor=request.user, observation_id=observation.pk, answer=data["answer"], version=data.get("version")))
    if status is None:
        messages.success(request, _("Respuesta enviada. La coordinación la revisará."))
        return redirect(reverse("projects:visits", args=[project.pk]) + f"#observacion-{observation.pk}")
    return _visits_page(request, project, status=status, bound=("answer", observation.pk, form))


@login_required
@require_POST
def observation_settle(request, pk, obs_pk):
    project = project_for(request.user, pk)
    _require(permissions.can_record_visit(request.user, project))
    observation = _observation(project, obs_pk)
    form = SettleForm(request.POST, observation=observation)
    status = _write(form, lambda data: services.observation_settle(
        actor=request.user, observation_id=observation.pk, settled=data["decision"] == "settle", note=data["note"],
        version=data.get("version")))
    if status is None:
        messages.success(request, _("Revisión registrada."))
        return redirect(reverse("projects:visits", args=[project.pk]) + f"#observacion-{observation.pk}")
    return _visits_page(request, project, status=status, bound=("settle", observation.pk, form))


# --- Photos ---------------------------------------------------------------------------------------------

def _photo(request, pk, photo_pk) -> ProjectPhoto:
    project = project_for(request.user, pk)
    return get_object_or_404(project.photos, pk=photo_pk)


@login_required
def photo(request, pk, photo_pk):
    stored = _photo(request, pk, photo_pk).file
    return download_response(stored, stem=f"foto-{photo_pk}", content_type=content_type_of(stored.name),
                             inline=True)


def _photo_tab(photo_row) -> str:
    if photo_row.report_id:
        return "projects:progress"
    if photo_row.logbook_entry_id:
        return "projects:logbook"
    return "projects:visits"


@login_required
@require_POST
def photo_publish(request, pk, photo_pk):
    photo_row = _photo(request, pk, photo_pk)
    _require(permissions.can_publish_photo(request.user, photo_row.project))
    public = request.POST.get("public") == "1"
    services.photo_publish(actor=request.user, photo_id=photo_row.pk, public=public)
    messages.success(request, _("La foto se muestra en la página pública.") if public
                     else _("La foto ya no se muestra en la página pública."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()) or not back.startswith("/"):
        back = reverse(_photo_tab(photo_row), args=[pk])
    return redirect(back)


# --- Timeline -------------------------------------------------------------------------------------------

@login_required
def timeline(request, pk):
    project = project_for(request.user, pk)
    events = project.events.select_related("actor").order_by("-created_at", "-id")
    page = KeysFirstPaginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/execution/timeline.html", {"project": project, "page": page})


# --- What to do next ------------------------------------------------------------------------------------

REPORT_NOTICE_DAYS = 7  # a report shows as the next step this many days before it falls due


def report_step(user, project, seat):
    """Administration: an observed report to correct, or the report that falls due; supervision: a
    submitted report to endorse."""
    if seat is None or project.status not in WORKS_STATES:
        return None
    report = _open_report(project)
    if seat.committee == "administration":
        if report is not None and report.status == ReportState.OBSERVED:
            found = _what(_("Supervisión observó el informe de avance: corrígelo y envíalo de nuevo."),
                          (_("Corregir el informe"), reverse("projects:report_action", args=[project.pk, report.pk])),
                          tone="error")
            found["reason"] = report.last_note
            return found
        due = services.next_report_due(project)
        if report is None and due <= _today() + timedelta(days=REPORT_NOTICE_DAYS):
            heading = (_("Tu informe de avance está vencido: envíalo cuanto antes.") if due < _today()
                       else _("Se acerca la fecha de tu informe de avance."))
            found = _what(heading, (_("Enviar el informe de avance"),
                                    reverse("projects:report_submit", args=[project.pk])),
                          tone="error" if due < _today() else "")
            found["deadline"] = due
            return found
    if seat.committee == "supervision" and report is not None and report.status == ReportState.SUBMITTED:
        return _what(_("El comité de Administración envió un informe de avance: aválalo u obsérvalo."),
                     (_("Revisar el informe"), reverse("projects:report_action", args=[project.pk, report.pk])))
    return None


def observation_step(user, project, seat):
    """The committees answer open observations; the coordination reviews answers and chases overdue ones."""
    visits_url = reverse("projects:visits", args=[project.pk])
    observations = project.observations.order_by("answer_due_on", "id")
    if seat is not None:
        if seat.committee not in ("administration", "supervision"):
            return None
        pending = observations.filter(status=VisitObservation.Status.OPEN).first()
        if pending is None:
            return None
        found = _what(_("Responde la observación de la visita de supervisión: «%(text)s».")
                      % {"text": pending.text},
                      (_("Responder la observación"), f"{visits_url}#observacion-{pending.pk}"),
                      tone="error" if pending.answer_due_on < _today() else "")
        found["deadline"] = pending.answer_due_on
        return found
    if not permissions.can_record_visit(user, project):
        return None
    answered = observations.filter(status=VisitObservation.Status.ANSWERED).first()
    if answered is not None:
        return _what(_("El comité respondió una observación de visita: revisa si queda atendida."),
                     (_("Revisar la respuesta"), f"{visits_url}#observacion-{answered.pk}"))
    overdue = observations.filter(status=VisitObservation.Status.OPEN, answer_due_on__lt=_today()).first()
    if overdue is not None:
        found = _what(_("Una observación de visita venció sin respuesta del comité."),
                      (_("Ver la observación"), f"{visits_url}#observacion-{overdue.pk}"), tone="error")
        found["deadline"] = overdue.answer_due_on
        return found
    return None


register_step(30, report_step)
register_step(40, observation_step)

urlpatterns = [
    path("<int:pk>/avance/", progress, name="progress"),
    path("<int:pk>/avance/nuevo/", report_submit, name="report_submit"),
    path("<int:pk>/avance/<int:report_pk>/accion/", report_action, name="report_action"),
    path("<int:pk>/bitacora/", logbook, name="logbook"),
    path("<int:pk>/bitacora/nueva/", logbook_write, name="logbook_write"),
    path("<int:pk>/visitas/", visits, name="visits"),
    path("<int:pk>/visitas/nueva/", visit_record, name="visit_record"),
    path("<int:pk>/visitas/observaciones/<int:obs_pk>/responder/", observation_answer, name="observation_answer"),
    path("<int:pk>/visitas/observaciones/<int:obs_pk>/revisar/", observation_settle, name="observation_settle"),
    path("<int:pk>/fotos/<int:photo_pk>/", photo, name="photo"),
    path("<int:pk>/fotos/<int:photo_pk>/publicar/", photo_publish, name="photo_publish"),
    path("<int:pk>/historial/", timeline, name="timeline"),
]
