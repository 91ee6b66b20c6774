"""The funded-project side of the reminder catalogue (see notifications/reminders.py): the agreement, the
proof of the money, the progress reports, the site-visit observations and the closure. The committees are
reminded before and on their deadlines; the coordination when something is overdue.

Offsets are per call, so each kind reads call by call (a handful of calls) and, for each, the projects that
may need a reminder through one `needing_<kind>_reminder` queryset with their recipients prefetched: the
number of queries does not grow with the number of projects."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from notifications.messages import Message
from notifications.reminders import Occasion, ReminderKind, deadline_range, offsets_for, register
from proposals.reminders import as_date, days_left

CHUNK = 2000
PERSON_FIELDS = ("pk", "email", "is_active", "language", "reminders_off")
EVERY_COMMITTEE = ("administration", "supervision", "development")
# The committees that answer for the money and the observations: administration spends and answers,
# supervision endorses the expenses and answers too (projects.permissions can_answer_observation).
MONEY_COMMITTEES = ("administration", "supervision")


# --- Who is reminded ---------------------------------------------------------------------------------

def _seats(prefix: str = ""):
    """The accepted, current seats of a project with their people, as `reminded_seats`."""
    from projects.models import CommitteeSeat

    person = [f"user__{name}" for name in PERSON_FIELDS if name != "pk"]
    seats = (CommitteeSeat.objects.filter(ended_at__isnull=True, accepted_at__isnull=False)
             .select_related("user").only("project", "committee", "user", *person))
    return Prefetch(f"{prefix}seats", queryset=seats, to_attr="reminded_seats")


def _group_members():
    from accounts.models import User

    return Prefetch("group__members", queryset=User.objects.only(*PERSON_FIELDS))


def committee_people(project, committees=EVERY_COMMITTEE) -> list:
    return _unique(seat.user for seat in project.reminded_seats if seat.committee in committees)


def coordinators() -> list:
    """Everyone holding the coordination role: read once per kind, shared by its occasions."""
    from accounts.models import User
    from accounts.roles import StaffRole

    return list(User.objects.filter(groups__name=StaffRole.COORDINATOR, is_active=True).only(*PERSON_FIELDS))


def _unique(people) -> list:
    seen = {}
    for person in people:
        seen.setdefault(person.pk, person)
    return list(seen.values())


def _calls(*states):
    """Calls with projects in these states (a few rows), with the rules that set the report period."""
    from projects.models import Project
    from proposals.models import Call

    with_projects = Project.objects.filter(status__in=states).values("call_id")
    return (Call.objects.filter(pk__in=with_projects).select_related("project_rules")
            .only("pk", "title", "results_date", "reminder_offsets", "project_rules__progress_report_every_days"))


# --- Wording -------------------------------------------------------------------------------------------

def ago(days: int) -> Message:
    """«hace 14 días», said mid-sentence of a date already passed (a call may set any offset)."""
    if days > 0:
        return Message(ngettext_lazy("hace %(n)s día", "hace %(n)s días", days), n=days)
    if days == 0:
        return Message(_("hoy"))
    return Message(ngettext_lazy("dentro de %(n)s día", "dentro de %(n)s días", -days), n=-days)


def body(template, /, *, today, deadline, **values):
    """The body of a reminder sent `today`: %(date)s is the deadline, %(left)s says how long is left or since
    when it is overdue («Faltan 3 días», «Venció hace 1 día») and %(ago)s how long ago it passed («hace 14
    días»). Both count from the day the reminder goes out, not from its offset: one caught up late still
    says the truth."""
    days = (today - deadline).days
    return lambda offset: Message(template, date=as_date(deadline), left=days_left(days), ago=ago(days), **values)


def mxn(amount) -> str:
    return f"${amount:,.2f} MXN"


def _project_fields(*extra):
    return ("pk", "code", "title", "status", "call", "group", *extra)


# --- The agreement -------------------------------------------------------------------------------------

PENDING = ("committees_pending", "agreement_pending")


def agreement_unsigned(today, horizon):
    """The project's committees (its proposing group while none is elected): without a signed agreement
    no money is released."""
    from projects.models import Project
    from projects.workflow import ProjectState

    for call in _calls(*PENDING):
        offsets = offsets_for(call, "agreement_unsigned")
        low, high = deadline_range(offsets, today, horizon)
        if not low <= call.results_date <= high:
            continue
        projects = (Project.objects.needing_agreement_unsigned_reminder(call).only(*_project_fields())
                    .prefetch_related(_seats(), _group_members()))
        published = call.results_date
        for project in projects.iterator(chunk_size=CHUNK):
            if project.status == ProjectState.AGREEMENT_PENDING:
                # Elected people who have not accepted their seat yet cannot sign: their group hears of it.
                recipients = committee_people(project) or list(project.group.members.all())
                url = reverse("projects:money", args=[project.pk]) + "#convenio"
                text = _("Se publicaron los resultados %(ago)s (%(date)s) y el convenio del proyecto "
                         "%(code)s «%(title)s» sigue sin firmar. Sin convenio no se entrega el recurso: los comités "
                         "lo firman y el comité de Administración sube la copia firmada.")
                link = _("Ver el convenio")
            else:
                recipients = list(project.group.members.all())
                url = reverse("projects:detail", args=[project.pk])
                text = _("Se publicaron los resultados %(ago)s (%(date)s) y el proyecto %(code)s «%(title)s» "
                         "aún no tiene comités electos, así que su convenio no se puede firmar. Acuerda con la "
                         "coordinación la asamblea de elección de comités.")
                link = _("Ver el proyecto")
            yield Occasion(
                object_key=f"project:{project.pk}", deadline=published, recipients=recipients, offsets=offsets,
                call_id=call.pk, url=url, link_text=link,
                subject=Message(_("%(code)s: el convenio sigue sin firmar"), code=project.code),
                body=body(text, today=today, deadline=published, code=project.code, title=project.title))


def agreement_unsigned_staff(today, horizon):
    """The coordination, when a project still has no signed agreement a month after the results."""
    from projects.models import Project
    from projects.workflow import ProjectState

    people = None
    for call in _calls(*PENDING):
        offsets = offsets_for(call, "agreement_unsigned_staff")
        low, high = deadline_range(offsets, today, horizon)
        if not low <= call.results_date <= high:
            continue
        people = coordinators() if people is None else people
        published = call.results_date
        for project in Project.objects.needing_agreement_unsigned_staff_reminder(call).only(
                *_project_fields()).iterator(chunk_size=CHUNK):
            yield Occasion(
                object_key=f"project:{project.pk}", deadline=published, recipients=people, offsets=offsets,
                call_id=call.pk, url=reverse("projects:detail", args=[project.pk]),
                link_text=_("Revisar el proyecto"),
                subject=Message(_("%(code)s: sin convenio firmado tras los resultados"), code=project.code),
                body=body(_("Se publicaron los resultados %(ago)s (%(date)s) y el proyecto %(code)s «%(title)s» "
                            "sigue en «%(state)s». Revisa qué falta para firmar su convenio."),
                          today=today, deadline=published, code=project.code, title=project.title,
                          state=ProjectState(project.status).label))


# --- The money -----------------------------------------------------------------------------------------

def tranche_proof_due(today, horizon):
    """Money released and not yet proved as the execution period ends: what is not proved is refunded."""
    from projects.models import Project

    for call in _calls("in_execution", "works_completed"):
        offsets = offsets_for(call, "tranche_proof_due")
        low, high = deadline_range(offsets, today, horizon)
        projects = (Project.objects.needing_tranche_proof_due_reminder(call, low, high)
                    .only(*_project_fields("released_total", "verified_total", "execution_ends_on"))
                    .prefetch_related(_seats()))
        for project in projects.iterator(chunk_size=CHUNK):
            ends = project.execution_ends_on
            yield Occasion(
                object_key=f"project:{project.pk}", deadline=ends, offsets=offsets, call_id=call.pk,
                recipients=committee_people(project, MONEY_COMMITTEES),
                url=reverse("projects:expenses", args=[project.pk]), link_text=_("Registrar y avalar los gastos"),
                subject=Message(_("%(code)s: comprueba el recurso antes del %(date)s"), code=project.code,
                                date=as_date(ends)),
                body=body(_("%(left)s para el fin de la ejecución del proyecto %(code)s (%(date)s). Del recurso "
                            "ministrado falta comprobar %(amount)s: registra las facturas que faltan y que "
                            "Supervisión las avale. Lo que no se compruebe se reintegra."),
                          code=project.code, today=today, deadline=ends,
                          amount=mxn(project.released_total - project.verified_total)))


# --- Progress reports ------------------------------------------------------------------------------------

def _reports(code: str, today, horizon):
    """(call, offsets, project, due date) for each project in execution whose next report falls in range.
    The due date is computed from the count of reports annotated on the row; only the projects in range
    are then read again, a chunk at a time, with their committees."""
    from projects.models import Project, ProjectRules
    from projects.services.execution import report_due_after

    for call in _calls("in_execution"):
        offsets = offsets_for(call, code)
        low, high = deadline_range(offsets, today, horizon)
        every = ProjectRules.for_call(call).progress_report_every_days
        rows = Project.objects.needing_report_due_reminder(call).values_list(
            "pk", "execution_starts_on", "reports_made")
        due = {}
        for pk, starts_on, made in rows.iterator(chunk_size=CHUNK):
            on = report_due_after(starts_on, every, made)
            if low <= on <= high:
                due[pk] = on
        pks = sorted(due)
        for start in range(0, len(pks), CHUNK):
            chunk = Project.objects.filter(pk__in=pks[start:start + CHUNK]).only(*_project_fields()).prefetch_related(
                _seats())
            for project in chunk:
                yield call, offsets, project, due[project.pk]


def _report_links(project):
    """The administration committee, who sends the report, goes straight to its form; the other committees
    (who may not send it) to the progress tab."""
    senders = committee_people(project, ("administration",))
    others = [person for person in committee_people(project) if person not in senders]
    yield senders, reverse("projects:report_submit", args=[project.pk]), _("Enviar el informe de avance")
    yield others, reverse("projects:progress", args=[project.pk]), _("Ver el avance del proyecto")


def report_due(today, horizon):
    for call, offsets, project, on in _reports("report_due", today, horizon):
        for recipients, url, link in _report_links(project):
            yield Occasion(
                object_key=f"project:{project.pk}", deadline=on, offsets=offsets, call_id=call.pk,
                recipients=recipients, url=url, link_text=link,
                staff_url=reverse("projects:progress", args=[project.pk]),  # the form is the committee's
                subject=Message(_("%(code)s: informe de avance del %(date)s"), code=project.code, date=as_date(on)),
                body=body(_("%(left)s para entregar el informe de avance del proyecto %(code)s «%(title)s» "
                            "(%(date)s). El comité de Administración lo envía con fotos de la obra."),
                          code=project.code, title=project.title, today=today, deadline=on))


def report_overdue(today, horizon):
    for call, offsets, project, on in _reports("report_overdue", today, horizon):
        for recipients, url, link in _report_links(project):
            yield Occasion(
                object_key=f"project:{project.pk}", deadline=on, offsets=offsets, call_id=call.pk,
                recipients=recipients, url=url, link_text=link,
                staff_url=reverse("projects:progress", args=[project.pk]),
                subject=Message(_("%(code)s: el informe de avance está vencido"), code=project.code),
                body=body(_("El informe de avance del proyecto %(code)s «%(title)s» debía entregarse el %(date)s, "
                            "%(ago)s, y no ha llegado. El comité de Administración debe enviarlo cuanto antes: sin "
                            "informes al día no se solicita la siguiente ministración."),
                          code=project.code, title=project.title, today=today, deadline=on))


def report_overdue_staff(today, horizon):
    # There is no supervising staff role: the supervision committee is a community one, reminded above.
    people = None
    for call, offsets, project, on in _reports("report_overdue_staff", today, horizon):
        people = coordinators() if people is None else people
        yield Occasion(
            object_key=f"project:{project.pk}", deadline=on, offsets=offsets, call_id=call.pk, recipients=people,
            url=reverse("projects:progress", args=[project.pk]), link_text=_("Ver el avance del proyecto"),
            subject=Message(_("%(code)s: el informe de avance está vencido"), code=project.code),
            body=body(_("El informe de avance del proyecto %(code)s «%(title)s» debía entregarse el %(date)s, "
                        "%(ago)s, y no ha llegado. Habla con sus comités."),
                      code=project.code, title=project.title, today=today, deadline=on))


# --- Site-visit observations -----------------------------------------------------------------------------

def _observations(code: str, today, horizon):
    from projects.models import VisitObservation
    from projects.workflow import OPEN_STATES

    for call in _calls(*OPEN_STATES):
        offsets = offsets_for(call, code)
        low, high = deadline_range(offsets, today, horizon)
        rows = (VisitObservation.objects.needing_observation_reminder(call, low, high)
                .select_related("project")
                .only("pk", "text", "answer_due_on", "project", "project__code", "project__title")
                .prefetch_related(_seats("project__")))
        for observation in rows.iterator(chunk_size=CHUNK):
            yield call, offsets, observation


def _excerpt(text: str) -> str:
    text = text.strip().rstrip(".")  # quoted mid-sentence: the sentence's own period follows
    return text if len(text) <= 200 else text[:199] + "…"


def _observation_url(observation) -> str:
    return reverse("projects:visits", args=[observation.project_id]) + f"#observacion-{observation.pk}"


def observation_due(today, horizon):
    for call, offsets, observation in _observations("observation_due", today, horizon):
        project, on = observation.project, observation.answer_due_on
        yield Occasion(
            object_key=f"observation:{observation.pk}", deadline=on, offsets=offsets, call_id=call.pk,
            recipients=committee_people(project, MONEY_COMMITTEES), url=_observation_url(observation),
            link_text=_("Responder la observación"),
            subject=Message(_("%(code)s: responde la observación de la visita"), code=project.code),
            body=body(_("%(left)s para responder la observación de la visita de supervisión al proyecto %(code)s "
                        "(%(date)s): «%(said)s»."),
                      code=project.code, today=today, deadline=on, said=_excerpt(observation.text)))


def observation_overdue_staff(today, horizon):
    people = None
    for call, offsets, observation in _observations("observation_overdue_staff", today, horizon):
        people = coordinators() if people is None else people
        project, on = observation.project, observation.answer_due_on
        yield Occasion(
            object_key=f"observation:{observation.pk}", deadline=on, offsets=offsets, call_id=call.pk,
            recipients=people, url=_observation_url(observation), link_text=_("Ver la observación"),
            subject=Message(_("%(code)s: observación de visita sin respuesta"), code=project.code),
            body=body(_("La observación de la visita al proyecto %(code)s debía responderse el %(date)s, %(ago)s, "
                        "y sigue sin respuesta: «%(said)s»."),
                      code=project.code, today=today, deadline=on, said=_excerpt(observation.text)))


# --- Closure ---------------------------------------------------------------------------------------------

def _closing(code: str, today, horizon, *, staff: bool):
    from projects.models import Project
    from projects.workflow import ProjectState

    states = [ProjectState.IN_EXECUTION, ProjectState.WORKS_COMPLETED, ProjectState.ACCOUNTABILITY]
    for call in _calls(*states, ProjectState.SUSPENDED):
        offsets = offsets_for(call, code)
        low, high = deadline_range(offsets, today, horizon)
        projects = (Project.objects.needing_closure_due_reminder(call, low, high, staff=staff)
                    .only(*_project_fields("execution_ends_on")))
        if not staff:
            projects = projects.prefetch_related(_seats())
        for project in projects.iterator(chunk_size=CHUNK):
            yield call, offsets, project


def closure_due(today, horizon):
    for call, offsets, project in _closing("closure_due", today, horizon, staff=False):
        ends = project.execution_ends_on
        yield Occasion(
            object_key=f"project:{project.pk}", deadline=ends, offsets=offsets, call_id=call.pk,
            recipients=committee_people(project),
            url=reverse("projects:closure", args=[project.pk]), link_text=_("Ver la lista de cierre"),
            subject=Message(_("%(code)s: la ejecución termina el %(date)s"), code=project.code, date=as_date(ends)),
            body=body(_("%(left)s para el fin de la ejecución del proyecto %(code)s «%(title)s» (%(date)s). Para "
                        "cerrarlo hacen falta la obra al 100 %%, los gastos comprobados, el acta de "
                        "entrega-recepción firmada y la asamblea de rendición de cuentas: revisa la lista de cierre."),
                      code=project.code, title=project.title, today=today, deadline=ends))


def closure_overdue_staff(today, horizon):
    from projects.workflow import ProjectState

    people = None
    for call, offsets, project in _closing("closure_overdue_staff", today, horizon, staff=True):
        people = coordinators() if people is None else people
        ends = project.execution_ends_on
        yield Occasion(
            object_key=f"project:{project.pk}", deadline=ends, offsets=offsets, call_id=call.pk, recipients=people,
            url=reverse("projects:closure", args=[project.pk]), link_text=_("Ver la lista de cierre"),
            subject=Message(_("%(code)s: terminó la ejecución sin cierre"), code=project.code),
            body=body(_("La ejecución del proyecto %(code)s «%(title)s» terminó el %(date)s, %(ago)s, y el "
                        "proyecto sigue en «%(state)s». Revisa su cierre."),
                      code=project.code, title=project.title, today=today, deadline=ends,
                      state=ProjectState(project.status).label))


# --- The catalogue ----------------------------------------------------------------------------------------

COMMITTEES = _("Comités del proyecto")
COORDINATION = _("Coordinación del programa")

for kind in [
    ReminderKind(code="agreement_unsigned", label=_("Convenio sin firmar"),
                 audience=_("Comités del proyecto (el grupo promovente si aún no hay comités)"),
                 default_offsets=(14,), essential=True, occasions=agreement_unsigned),
    ReminderKind(code="agreement_unsigned_staff", label=_("Convenio sin firmar (coordinación)"),
                 audience=COORDINATION, default_offsets=(30,), essential=False, occasions=agreement_unsigned_staff,
                 roles=("coordinator",)),
    ReminderKind(code="tranche_proof_due", label=_("Comprobación del recurso ministrado"),
                 audience=_("Comités de Administración y Supervisión"), default_offsets=(-14, -3), essential=True,
                 occasions=tranche_proof_due),
    ReminderKind(code="report_due", label=_("Informe de avance por entregar"), audience=COMMITTEES,
                 default_offsets=(-3, 0), essential=True, occasions=report_due),
    ReminderKind(code="report_overdue", label=_("Informe de avance vencido"), audience=COMMITTEES,
                 default_offsets=(3,), essential=True, occasions=report_overdue),
    ReminderKind(code="report_overdue_staff", label=_("Informe de avance vencido (coordinación)"),
                 audience=COORDINATION, default_offsets=(7,), essential=False, occasions=report_overdue_staff,
                 roles=("coordinator",)),
    ReminderKind(code="observation_due", label=_("Observación de visita por responder"),
                 audience=_("Comités de Administración y Supervisión"), default_offsets=(-2, 0), essential=True,
                 occasions=observation_due),
    ReminderKind(code="observation_overdue_staff", label=_("Observación de visita sin respuesta (coordinación)"),
                 audience=COORDINATION, default_offsets=(1,), essential=False, occasions=observation_overdue_staff,
                 roles=("coordinator",)),
    ReminderKind(code="closure_due", label=_("Fin de la ejecución y cierre"), audience=COMMITTEES,
                 default_offsets=(-30, -7), essential=True, occasions=closure_due),
    ReminderKind(code="closure_overdue_staff", label=_("Ejecución terminada sin cierre (coordinación)"),
                 audience=COORDINATION, default_offsets=(1,), essential=False, occasions=closure_overdue_staff,
                 roles=("coordinator",)),
]:
    register(kind)
