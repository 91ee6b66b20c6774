"""Funded projects in every state, built through the real services (the closure steps as the closure
tests take them), with personal data seeded where a careless export would pick it up."""

from decimal import Decimal

from django.utils import timezone

from accounts.models import Membership
from projects import services
from projects.workflow import ProjectAction, ProjectState, ReportAction
from tests.factories import PDF_BYTES, upload
from tests.projects.conftest import two_tranche_call
from tests.projects.execution_helpers import in_execution_project, photo, record_invoice, verify
from tests.projects.helpers import elect, selected_project, staff_people
from tests.projects.test_closure_pages import completed, in_accountability

# Personal data that must never reach a public file.
SECRETS = ("GOMJ800101HDFRRN09", "55 1234 5678", "persona.privada", "Juana Gómez Privada",
           "032180000118359719")


def seed_personal_data(project) -> None:
    group = project.group
    group.description = f"Representante {SECRETS[3]}, CURP {SECRETS[0]}, tel. {SECRETS[1]}, CLABE {SECRETS[4]}"
    group.save(update_fields=["description"])
    representative = Membership.objects.get(group=group, role="representative").user
    representative.full_name, representative.phone, representative.email = (SECRETS[3], SECRETS[1],
                                                                         f"{project.pk}.{SECRETS[2]}@ejemplo.mx")
    representative.save(update_fields=["full_name", "phone", "email"])


def with_progress(works, people):
    verify(works, record_invoice(works, subtotal=Decimal("50000.00")), people["finance"])
    report = services.progress_report_submit(actor=works.admin, project_id=works.project.pk, physical_percent=40,
                                             summary="Cimentación.", photos=[photo()])
    services.progress_report_transition(actor=works.supervision, report_id=report.pk, action=ReportAction.ENDORSE)
    return works.refresh()


def coordinate(people, project, action, note="Motivo registrado."):
    return services.project_transition(actor=people["coordinator"], project_id=project.pk, action=action, note=note)


def projects_in_every_state() -> dict:
    """{state: project} for each of the eight states."""
    people = staff_people()
    call = two_tranche_call()
    out = {ProjectState.COMMITTEES_PENDING: selected_project(call)}
    pending = selected_project(call)
    elect(pending, people["coordinator"])
    out[ProjectState.AGREEMENT_PENDING] = pending
    running = in_execution_project(call, people)
    out[ProjectState.IN_EXECUTION] = with_progress(running, people)
    suspended = in_execution_project(call, people)
    coordinate(people, suspended.project, ProjectAction.SUSPEND)
    out[ProjectState.SUSPENDED] = suspended.refresh()
    out[ProjectState.WORKS_COMPLETED] = completed(in_execution_project(call, people), people)
    out[ProjectState.ACCOUNTABILITY] = in_accountability(in_execution_project(call, people), people)
    closing = in_execution_project(call, people)
    closed = in_accountability(closing, people)
    services.accountability_record(actor=closing.admin, project_id=closed.pk, held_on=timezone.localdate(),
                                   attendance=40, reported="Todo.", minutes=upload("acta.pdf", PDF_BYTES))
    services.refund_record(actor=people["finance"], project_id=closed.pk, transfer_reference="R-1",
                           transfer_date=timezone.localdate())
    coordinate(people, closed, ProjectAction.CLOSE, note="Cumplido.")
    out[ProjectState.CLOSED] = closing.refresh()
    cancelled = in_execution_project(call, people)
    coordinate(people, cancelled.project, ProjectAction.CANCEL, note="Incumplimiento.")
    out[ProjectState.CANCELLED] = cancelled.refresh()
    for project in out.values():
        project.refresh_from_db()
        seed_personal_data(project)
    out["people"] = people
    return out
