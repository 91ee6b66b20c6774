"""The funded-project reminders (projects/reminders.py), each kind on a project built through the real
services: it fires once and only once per offset to exactly its recipients, catches up once after a gap, is
not sent once its reason is gone, honours the opt-out only when it is not essential, and a sweep reads the
same number of queries whatever the number of projects."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import StaffRole
from notifications.models import Notice, ReminderLog, ReminderStatus
from notifications.reminders import catalogue, reminders_sweep, upcoming
from projects import services
from projects.models import CommitteeKind, Project, ProjectRules
from projects.services.execution import next_report_due
from projects.workflow import ProjectAction, ProjectState, ReportAction
from tests.factories import PDF_BYTES, upload
from tests.projects.conftest import two_tranche_call
from tests.projects.execution_helpers import in_execution_project, photo, record_invoice, verify
from tests.projects.helpers import VALID_CLABE, elect, selected_project, staff_people, start_execution

pytestmark = pytest.mark.django_db

CODES = ["agreement_unsigned", "agreement_unsigned_staff", "tranche_proof_due", "report_due", "report_overdue",
         "report_overdue_staff", "observation_due", "observation_overdue_staff", "closure_due",
         "closure_overdue_staff"]
ESSENTIAL = {"agreement_unsigned", "tranche_proof_due", "report_due", "report_overdue", "observation_due",
             "closure_due"}


@pytest.fixture
def people(db):
    return staff_people()


@pytest.fixture
def call(db):
    return two_tranche_call()


def sweep(code: str, today: date) -> dict:
    return reminders_sweep(today=today, kinds=[catalogue()[code]])


def coordinators() -> set:
    return set(User.objects.filter(groups__name=StaffRole.COORDINATOR))


def seated(project, *committees) -> set:
    seats = project.seats.filter(ended_at__isnull=True, accepted_at__isnull=False)
    if committees:
        seats = seats.filter(committee__in=committees)
    return {seat.user for seat in seats.select_related("user")}


def today() -> date:
    return timezone.localdate()


# --- One project per kind, with what makes its reason go away ----------------------------------------------

@dataclass
class Case:
    project: Project
    object_key: str
    deadline: date
    recipients: set
    urls: set  # the link each recipient gets (one, or one per role)
    gone: Callable[[], object]


def agreement_case(call, people, code) -> Case:
    project = selected_project(call)
    elect(project, people["coordinator"])
    committees = code == "agreement_unsigned"
    return Case(project, f"project:{project.pk}", call.results_date,
                seated(project) if committees else coordinators(),
                {reverse("projects:money", args=[project.pk]) + "#convenio" if committees
                 else reverse("projects:detail", args=[project.pk])},
                lambda: start_execution(project, people["coordinator"], people["finance"]))


def prove_everything(works, people):
    """Invoices adding up exactly to the first tranche, verified: nothing left to prove."""
    for line, total in ((0, Decimal("400000.00")), (1, Decimal("300000.00"))):
        verify(works, record_invoice(works, line=line, subtotal=(total / Decimal("1.16")).quantize(Decimal("0.01")),
                                     total=total), people["finance"])
    assert works.refresh().verified_total == works.project.released_total


def proof_case(call, people, code) -> Case:
    works = in_execution_project(call, people)
    project = works.project
    return Case(project, f"project:{project.pk}", project.execution_ends_on,
                seated(project, CommitteeKind.ADMINISTRATION, CommitteeKind.SUPERVISION),
                {reverse("projects:expenses", args=[project.pk])}, lambda: prove_everything(works, people))


def submit_report(works, percent=30):
    return services.progress_report_submit(actor=works.admin, project_id=works.project.pk,
                                           physical_percent=percent, summary="Se colaron los firmes.",
                                           photos=[photo()])


def report_case(call, people, code) -> Case:
    works = in_execution_project(call, people)
    project = works.project
    staff = code == "report_overdue_staff"
    return Case(project, f"project:{project.pk}", next_report_due(project),
                coordinators() if staff else seated(project),
                {reverse("projects:progress", args=[project.pk])} if staff
                else {reverse(name, args=[project.pk]) for name in ("projects:report_submit", "projects:progress")},
                lambda: submit_report(works))


def observation_case(call, people, code) -> Case:
    works = in_execution_project(call, people)
    project = works.project
    visit = services.site_visit_record(actor=people["coordinator"], project_id=project.pk, visited_on=today(),
                                       findings="Falta señalización.",
                                       observations=[("Coloquen señalización de obra.", today() + timedelta(days=3))])
    observation = visit.observations.get()
    staff = code == "observation_overdue_staff"
    return Case(project, f"observation:{observation.pk}", observation.answer_due_on,
                coordinators() if staff else seated(project, CommitteeKind.ADMINISTRATION, CommitteeKind.SUPERVISION),
                {reverse("projects:visits", args=[project.pk]) + f"#observacion-{observation.pk}"},
                lambda: services.observation_answer(actor=works.supervision, observation_id=observation.pk,
                                                    answer="Ya se colocó la señalización."))


def close_project(works, people):
    """The whole closure: proof, works at 100 %, handover, accountability assembly, refund, closed."""
    coordinator, project = people["coordinator"], works.project
    verify(works, record_invoice(works, subtotal=Decimal("100000.00")), people["finance"])
    report = submit_report(works, 100)
    services.progress_report_transition(actor=works.supervision, report_id=report.pk, action=ReportAction.ENDORSE)
    services.project_transition(actor=coordinator, project_id=project.pk, action=ProjectAction.COMPLETE_WORKS)
    services.handover_generate(actor=coordinator, project_id=project.pk, works_delivered="Parque con juegos.",
                               delivered_on=today())
    services.handover_upload_signed(actor=works.admin, project_id=project.pk, upload=upload("acta.pdf", PDF_BYTES))
    services.project_transition(actor=coordinator, project_id=project.pk, action=ProjectAction.OPEN_ACCOUNTABILITY)
    services.accountability_record(actor=works.admin, project_id=project.pk, held_on=today(), attendance=54,
                                   reported="Se informó el gasto completo.", minutes=upload("acta.pdf", PDF_BYTES))
    services.refund_record(actor=people["finance"], project_id=project.pk, transfer_reference="REINT-1",
                           transfer_date=today())
    assert services.project_close(actor=coordinator, project_id=project.pk).status == ProjectState.CLOSED


def closure_case(call, people, code) -> Case:
    works = in_execution_project(call, people)
    project = works.project
    if code == "closure_due":
        return Case(project, f"project:{project.pk}", project.execution_ends_on, seated(project),
                    {reverse("projects:closure", args=[project.pk])}, lambda: close_project(works, people))
    return Case(project, f"project:{project.pk}", project.execution_ends_on, coordinators(),
                {reverse("projects:closure", args=[project.pk])},
                lambda: services.project_transition(actor=people["coordinator"], project_id=project.pk,
                                                    action=ProjectAction.CANCEL, note="Incumplimiento del convenio."))


CASES = {"agreement_unsigned": agreement_case, "agreement_unsigned_staff": agreement_case,
         "tranche_proof_due": proof_case, "report_due": report_case, "report_overdue": report_case,
         "report_overdue_staff": report_case, "observation_due": observation_case,
         "observation_overdue_staff": observation_case, "closure_due": closure_case,
         "closure_overdue_staff": closure_case}


def make_case(code, call, people) -> Case:
    return CASES[code](call, people, code)


def offsets(code) -> tuple[int, ...]:
    return catalogue()[code].default_offsets


def on(case: Case, offset: int, plus: int = 0) -> date:
    return case.deadline + timedelta(days=offset + plus)


def logs(code):
    return ReminderLog.objects.filter(kind=code)


# --- Every kind ------------------------------------------------------------------------------------------

def test_the_catalogue_has_every_project_kind_with_its_defaults():
    kinds = catalogue()
    assert {code: (kinds[code].default_offsets, kinds[code].essential) for code in CODES} == {
        "agreement_unsigned": ((14,), True), "agreement_unsigned_staff": ((30,), False),
        "tranche_proof_due": ((-14, -3), True), "report_due": ((-3, 0), True), "report_overdue": ((3,), True),
        "report_overdue_staff": ((7,), False), "observation_due": ((-2, 0), True),
        "observation_overdue_staff": ((1,), False), "closure_due": ((-30, -7), True),
        "closure_overdue_staff": ((1,), False)}


@pytest.mark.parametrize("code", CODES)
def test_each_kind_fires_once_per_offset_to_exactly_its_recipients(code, call, people):
    case = make_case(code, call, people)
    first, *rest = offsets(code)
    assert case.recipients
    assert sweep(code, on(case, first, -1)) == {}
    assert sweep(code, on(case, first)) == {code: len(case.recipients)}
    assert sweep(code, on(case, first)) == {} and sweep(code, on(case, first, 1)) == {}
    sent = logs(code)
    assert {log.recipient for log in sent} == case.recipients
    assert {(log.object_key, log.call_id, log.due_on, log.status) for log in sent} == {
        (case.object_key, call.pk, on(case, first), ReminderStatus.SENT)}
    assert {log.url for log in sent} == case.urls
    for log in sent:
        notice = Notice.objects.get(pk=log.notice_id)
        assert case.project.code in notice.subject + notice.body and notice.url == log.url and notice.link_text
    for offset in rest:  # the next offset is a new reminder, once
        assert sweep(code, on(case, offset)) == {code: len(case.recipients)}
        assert sweep(code, on(case, offset)) == {}
    assert logs(code).count() == len(case.recipients) * len(offsets(code))


@pytest.mark.parametrize("code", CODES)
def test_each_kind_catches_up_once_after_a_gap(code, call, people):
    case = make_case(code, call, people)
    first, *rest = offsets(code)
    gap = 1 if rest and rest[0] - first <= 3 else 3  # still before the next offset is due
    assert sweep(code, on(case, first, gap)) == {code: len(case.recipients)}
    until = on(case, rest[0], -1) if rest else on(case, first, gap + 1)  # nothing more until the next offset
    assert sweep(code, on(case, first, gap)) == {} and sweep(code, until) == {}
    assert {log.due_on for log in logs(code)} == {on(case, first)}


@pytest.mark.parametrize("code", CODES)
def test_each_kind_is_not_sent_once_its_reason_is_gone(code, call, people):
    case = make_case(code, call, people)
    case.gone()
    notices = Notice.objects.count()
    for offset in offsets(code):
        assert sweep(code, on(case, offset)) == {}
    assert not logs(code).exists() and Notice.objects.count() == notices


@pytest.mark.parametrize("code", CODES)
def test_the_opt_out_is_honoured_only_for_non_essential_kinds(code, call, people):
    case = make_case(code, call, people)
    User.objects.filter(pk__in=[person.pk for person in case.recipients]).update(reminders_off=[code])
    first = offsets(code)[0]
    if code in ESSENTIAL:
        assert sweep(code, on(case, first)) == {code: len(case.recipients)}
        assert set(logs(code).values_list("status", flat=True)) == {ReminderStatus.SENT}
    else:
        assert sweep(code, on(case, first)) == {}
        assert logs(code).count() == len(case.recipients)
        assert set(logs(code).values_list("status", flat=True)) == {ReminderStatus.OPTED_OUT}
        assert not logs(code).filter(notice__isnull=False).exists()
    assert catalogue()[code].essential == (code in ESSENTIAL)


# --- What each kind says and to whom, beyond the common rules ----------------------------------------------

def test_before_committees_are_elected_the_group_is_reminded_of_the_agreement(call, people):
    project = selected_project(call)
    members = set(project.group.members.all())
    assert sweep("agreement_unsigned", call.results_date + timedelta(days=14)) == {"agreement_unsigned": len(members)}
    log = logs("agreement_unsigned").get()
    assert log.recipient in members and log.url == reverse("projects:detail", args=[project.pk])
    assert "aún no tiene comités electos" in Notice.objects.get(pk=log.notice_id).body


def test_elected_people_who_have_not_accepted_their_seat_leave_the_agreement_to_the_group(call, people):
    project = selected_project(call)
    elect(project, people["coordinator"], accept=False)
    assert project.status == ProjectState.AGREEMENT_PENDING
    members = set(project.group.members.all())
    assert sweep("agreement_unsigned", call.results_date + timedelta(days=14)) == {"agreement_unsigned": len(members)}
    assert {log.recipient for log in logs("agreement_unsigned")} == members


def test_a_signed_copy_waiting_for_the_ministry_is_not_the_committees_to_chase(call, people):
    case = make_case("agreement_unsigned", call, people)
    admin = case.project.seats.filter(committee=CommitteeKind.ADMINISTRATION).first().user
    account = services.bank_account_register(actor=admin, project_id=case.project.pk, bank="Banco", holder="Comité",
                                             clabe=VALID_CLABE, proof=upload("cuenta.pdf", PDF_BYTES))
    services.bank_account_review(actor=people["finance"], account_id=account.pk, verified=True)
    services.agreement_generate(actor=people["coordinator"], project_id=case.project.pk)
    services.agreement_upload_signed(actor=admin, project_id=case.project.pk, upload=upload("firmado.pdf", PDF_BYTES))
    assert sweep("agreement_unsigned", on(case, 14)) == {}
    # The coordination still hears of it a month after the results: the ministry has not signed.
    assert sweep("agreement_unsigned_staff", on(case, 30)) == {"agreement_unsigned_staff": len(coordinators())}


def test_the_proof_reminder_says_how_much_is_left_to_prove(call, people):
    case = make_case("tranche_proof_due", call, people)
    assert sweep("tranche_proof_due", on(case, -14))
    body = Notice.objects.filter(url__in=case.urls).first().body
    assert "Faltan 14 días" in body and "$700,000.00 MXN" in body


def test_a_reminder_caught_up_late_counts_the_days_from_when_it_goes_out(call, people):
    case = make_case("observation_overdue_staff", call, people)
    assert sweep("observation_overdue_staff", on(case, 1, 5))  # the sweep was down for five days
    log = logs("observation_overdue_staff").first()
    assert log.due_key.endswith("+1")  # logged as the +1 reminder, once
    body = Notice.objects.get(pk=log.notice_id).body
    assert "hace 6 días" in body and "Coloquen señalización de obra»." in body


def test_the_report_deadline_is_the_project_pages_with_the_calls_period(call, people):
    ProjectRules.objects.create(call=call, progress_report_every_days=15)
    works = in_execution_project(call, people)
    submit_report(works)
    due = next_report_due(works.refresh())
    assert due == works.project.execution_starts_on + timedelta(days=30)
    assert sweep("report_due", due - timedelta(days=3)) == {"report_due": len(seated(works.project))}
    assert logs("report_due").first().deadline == due
    assert sweep("report_due", due) == {"report_due": len(seated(works.project))}
    assert "Es hoy" in Notice.objects.filter(url__endswith="/avance/nuevo/").first().body
    # The administration committee, who sends it, goes to the form; the others to the progress tab.
    urls = dict(logs("report_due").filter(due_on=due).values_list("recipient", "url"))
    assert urls[works.admin.pk].endswith("/avance/nuevo/") and urls[works.supervision.pk].endswith("/avance/")


def test_a_suspended_project_reminds_the_coordination_not_the_committees(call, people):
    works = in_execution_project(call, people)
    project = works.project
    services.project_transition(actor=people["coordinator"], project_id=project.pk, action=ProjectAction.SUSPEND,
                                note="Obra detenida sin aviso.")
    ends = project.execution_ends_on
    assert sweep("closure_due", ends - timedelta(days=30)) == {}
    assert sweep("report_due", next_report_due(project)) == {}
    assert sweep("closure_overdue_staff", ends + timedelta(days=1)) == {"closure_overdue_staff": len(coordinators())}


def test_an_observation_is_only_for_the_committees_that_answer_it(call, people):
    case = make_case("observation_due", call, people)
    development = seated(case.project, CommitteeKind.DEVELOPMENT)
    assert development and not development & case.recipients
    sweep("observation_due", on(case, -2))
    assert not logs("observation_due").filter(recipient__in=development).exists()
    assert "Faltan 2 días" in Notice.objects.filter(url__in=case.urls).first().body


def test_other_projects_committees_are_not_reminded(call, people):
    case = make_case("report_due", call, people)
    other = selected_project(call)
    elect(other, people["coordinator"])  # elected, not in execution: no report due
    sweep("report_due", on(case, -3))
    assert not logs("report_due").filter(recipient__in=seated(other)).exists()
    assert {log.recipient for log in logs("report_due")} == case.recipients


# --- Queries ---------------------------------------------------------------------------------------------

def test_a_sweep_reads_the_same_number_of_queries_whatever_the_number_of_projects(call, people):
    """Every kind, on its due day, with one project of each stage and then with three."""

    def projects():
        pending = selected_project(call)
        elect(pending, people["coordinator"])
        works = in_execution_project(call, people)
        services.site_visit_record(actor=people["coordinator"], project_id=works.project.pk, visited_on=today(),
                                   findings="Falta señalización.",
                                   observations=[("Coloquen señalización.", today() + timedelta(days=3))])
        return works.project

    def due_days(project):
        observation = project.observations.get()
        return {"agreement_unsigned": call.results_date + timedelta(days=14),
                "agreement_unsigned_staff": call.results_date + timedelta(days=30),
                "tranche_proof_due": project.execution_ends_on - timedelta(days=14),
                "report_due": next_report_due(project) - timedelta(days=3),
                "report_overdue": next_report_due(project) + timedelta(days=3),
                "report_overdue_staff": next_report_due(project) + timedelta(days=7),
                "observation_due": observation.answer_due_on - timedelta(days=2),
                "observation_overdue_staff": observation.answer_due_on + timedelta(days=1),
                "closure_due": project.execution_ends_on - timedelta(days=30),
                "closure_overdue_staff": project.execution_ends_on + timedelta(days=1)}

    def queries(days):
        counts, sent = {}, {}
        for code, day in days.items():
            with CaptureQueriesContext(connection) as captured:
                sent[code] = sweep(code, day).get(code, 0)
            counts[code] = len(captured)
        return counts, sent

    days = due_days(projects())
    few, sent_few = queries(days)
    assert all(sent_few.values()), sent_few
    projects()
    projects()
    many, sent_many = queries(days)  # the first project's reminders are logged already: only the new ones go
    assert all(sent_many[code] == 2 * sent_few[code] for code in CODES), sent_many
    assert many == few


def test_the_coming_days_show_a_projects_next_reminders(call, people):
    works = in_execution_project(call, people)
    due = next_report_due(works.project)
    planned = upcoming(due - timedelta(days=10), 10, kinds=[catalogue()["report_due"]])
    committees = seated(works.project)
    assert sorted((item.due_on, item.recipient.pk) for item in planned) == sorted(
        (day, person.pk) for day in (due - timedelta(days=3), due) for person in committees)
