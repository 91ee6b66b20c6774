import uuid
from datetime import timedelta

import pytest
from celery.result import EagerResult
from django.conf import settings
from django.utils import timezone

from nicp.celery import app
from tests.real_worker import database_shared_with_a_worker, wait_until, worker_process


def test_every_scheduled_name_is_a_registered_task(db):
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_celery_runs_in_mexico_city_time_with_json_only():
    assert app.conf.timezone == "America/Mexico_City"
    assert app.conf.accept_content == ["json"] and app.conf.task_serializer == "json"
    assert app.conf.task_time_limit and app.conf.task_soft_time_limit < app.conf.task_time_limit


@pytest.fixture
def real_worker(tmp_path):
    with worker_process(tmp_path / "worker.log") as worker:
        yield worker.log


@pytest.mark.worker
def test_a_real_worker_runs_a_task_and_returns_its_result(real_worker):
    from nicp.tasks import ping

    token = uuid.uuid4().hex
    result = ping.apply_async(args=[token])
    assert not isinstance(result, EagerResult)
    try:
        # Eager tasks run earlier in this process leave Celery's "inside a task" flag set; this test
        # is not inside a task, so the guard against blocking on subtasks does not apply.
        value = result.get(timeout=60, disable_sync_subtasks=False)
    except Exception:
        pytest.fail("worker did not answer in 60 s; its log:\n" + real_worker.read_text()[-3000:])
    assert value["token"] == token
    assert "nicp.tasks.ping" in real_worker.read_text()


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """The database this test and the worker share (tests/real_worker.py). Yields the worker's DATABASE_URL."""
    with database_shared_with_a_worker(tmp_path) as url:
        yield url


@pytest.fixture
def shared_media(settings, tmp_path):
    """Files in a folder both processes read (tests/worker_settings.py points the worker at it)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return settings.MEDIA_ROOT


@pytest.fixture
def worker_with_data(shared_database, shared_media, tmp_path):
    """A real worker on this test's database and media folder, that knows the test-only report kind."""
    from reports import registry
    from tests.worker_kinds import WORKER_ROWS

    registry.register(WORKER_ROWS)
    try:
        with worker_process(tmp_path / "worker.log", DJANGO_SETTINGS_MODULE="tests.worker_settings",
                            DATABASE_URL=shared_database, NICP_TEST_MEDIA_ROOT=str(shared_media)) as worker:
            yield worker
    finally:
        registry._KINDS.pop(WORKER_ROWS.code, None)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_reminder_sweep_through_the_real_worker_logs_and_notifies(worker_with_data, group, applicant):
    from notifications.models import Notice, ReminderLog, ReminderStatus
    from notifications.tasks import send_reminders
    from proposals import services
    from tests.factories import make_open_call

    # Registration closes in a week (the worker's today is the real one): the -7 reminder is due now.
    call = make_open_call(closes_on=timezone.localdate() + timedelta(days=7))
    draft = services.proposal_create(actor=applicant, call=call, group=group, title="Huerto")

    result = send_reminders.apply_async()
    assert not isinstance(result, EagerResult)
    try:
        sent = result.get(timeout=90, disable_sync_subtasks=False)
    except Exception:
        pytest.fail("the worker did not run the sweep. " + worker_with_data.tail())
    assert sent == {"registration_closing": 1}
    log = ReminderLog.objects.get(kind="registration_closing", object_key=f"proposal:{draft.pk}")
    assert (log.recipient_id, log.status, log.due_key) == (applicant.pk, ReminderStatus.SENT,
                                                           f"{call.registration_closes_on.isoformat()}-7")
    notice = Notice.objects.get(recipient=applicant)
    assert log.notice_id == notice.pk and "Huerto" in notice.body
    # Sent again through the worker: nothing new.
    assert send_reminders.apply_async().get(timeout=90, disable_sync_subtasks=False) == {}
    assert ReminderLog.objects.count() == 1 and Notice.objects.count() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_report_built_by_the_real_worker_reaches_done_with_its_file(worker_with_data, staff):
    from notifications.models import Notice
    from reports.models import Report, ReportStatus
    from reports.services import report_request

    coordinator = staff["coordinator"]
    report, created = report_request(actor=coordinator, kind="test_worker_rows", params={"n": "40"})
    assert created
    wait_until(lambda: Report.objects.filter(pk=report.pk, status__in=["done", "failed"]).exists(),
               worker_with_data, "the report finished")
    report.refresh_from_db()
    assert (report.status, report.progress, report.rows, report.error) == (ReportStatus.DONE, 100, 40, "")
    assert report.downloadable
    assert report.file.read() == b"fila\n" + "".join(f"{i}\n" for i in range(40)).encode()
    # The notice follows the row's "done" in the worker: waited for, then counted.
    notices = Notice.objects.filter(recipient=coordinator, url=f"/reportes/{report.pk}/")
    wait_until(notices.exists, worker_with_data, "the requester was told")
    assert notices.count() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_report_leaves_a_running_row_that_becomes_failed(worker_with_data, staff, shared_media):
    """The worker is SIGKILLed while it writes (the test kind hangs on n=-1): the row stays running with no
    file, and the stale check makes it failed once its time limit has passed; the message delivered again
    (acks_late) does not build it."""
    from django.conf import settings

    from reports.models import Report, ReportStatus
    from reports.services import report_build, reports_fail_stale

    report, _created = report_request_as(staff["coordinator"], n=-1)
    wait_until(lambda: Report.objects.filter(pk=report.pk, status=ReportStatus.RUNNING, progress__gt=0).exists(),
               worker_with_data, "the report started")
    worker_with_data.process.kill()
    worker_with_data.process.wait(timeout=15)

    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING and not report.file
    assert not list(shared_media.rglob("*.csv"))  # the half-written part never reached the storage
    assert reports_fail_stale() == 0  # within its time limit, a running report is left alone
    limit = timedelta(seconds=report.time_limit + settings.NICP_REPORT_STALE_MARGIN_SECONDS + 1)
    assert reports_fail_stale(now=report.started_at + limit) == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "se interrumpió" in report.error and not report.downloadable
    assert report_build(report_id=report.pk) is None


def report_request_as(actor, *, n: int):
    from reports.services import report_request

    return report_request(actor=actor, kind="test_worker_rows", params={"n": str(n)})


@pytest.fixture
def call_report_kind():
    """Asked before the worker starts, so that a branch without the builder skips at once."""
    from reports.registry import kind_of

    if kind_of("call_report") is None:
        pytest.skip("the call_report kind is not registered on this branch")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_call_report_built_by_the_real_worker_is_a_valid_xlsx(call_report_kind, worker_with_data, staff, group,
                                                                  applicant):
    """The real builder end to end through the worker (skipped until reports/builders/call_report.py is in)."""
    from openpyxl import load_workbook

    from proposals import services
    from reports.models import Report, ReportStatus
    from reports.services import report_request
    from tests.factories import complete_proposal, make_open_call

    call = make_open_call()
    draft = complete_proposal(services.proposal_create(actor=applicant, call=call, group=group, title="Huerto"),
                              applicant)
    submitted = services.proposal_transition(actor=applicant, proposal_id=draft.pk, action="submit")
    report, _created = report_request(actor=staff["coordinator"], kind="call_report", params={"call": str(call.pk)})
    wait_until(lambda: Report.objects.filter(pk=report.pk, status__in=["done", "failed"]).exists(),
               worker_with_data, "the call report finished")
    report.refresh_from_db()
    assert (report.status, report.rows, report.error) == (ReportStatus.DONE, 1, "")
    book = load_workbook(report.file.path, read_only=True)
    cells = {cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row}
    assert submitted.folio in cells and "Huerto" in cells
