"""A report row's path: queued → running → done | failed, one active row per request, a stale running row
failing, and a half-written file never served as done. A test-only kind stands in for the real builders."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import StaffRole, has_role
from notifications.models import Notice
from reports import registry
from reports.models import Report, ReportStatus
from reports.services import report_build, report_request, report_retry, reports_fail_stale

pytestmark = pytest.mark.django_db


def _clean(params):
    if not str(params.get("n", "")).isdigit():
        raise ValidationError({"n": "Indica cuántas filas."})
    return {"n": int(params["n"])}


def _build(report, out, progress):
    n = report.params["n"]
    if n == 13:
        out.write(b"half a file")
        raise RuntimeError("disk on fire")
    for i in range(n):
        out.write(f"{i}\n".encode())
        progress(i + 1, n)
    return n


@pytest.fixture
def coordinator(staff):
    return staff["coordinator"]


@pytest.fixture
def test_kind():
    kind = registry.register(registry.ReportKind(
        code="test_rows", label="Filas de prueba", extension="csv", clean_params=_clean,
        may_request=lambda user, params: has_role(user, StaffRole.COORDINATOR), title=lambda p: f"Filas {p['n']}",
        build=_build))
    yield kind
    registry._KINDS.pop("test_rows")


def test_a_report_goes_from_queued_to_done_and_tells_its_requester(test_kind, coordinator,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, created = report_request(actor=coordinator, kind="test_rows", params={"n": "5"})
    assert created
    report.refresh_from_db()
    assert (report.status, report.progress, report.rows) == (ReportStatus.DONE, 100, 5)
    assert report.file.read() == b"0\n1\n2\n3\n4\n"
    assert report.file.name == f"reports/{report.pk}/test_rows-{report.pk}.csv"
    assert report.started_at <= report.finished_at
    notice = Notice.objects.get(recipient=coordinator)
    assert notice.url == f"/reportes/{report.pk}/" and "Filas 5" in notice.subject


def test_asking_twice_while_queued_returns_the_same_report(test_kind, coordinator):
    first, created = report_request(actor=coordinator, kind="test_rows", params={"n": "5"})
    again, created_again = report_request(actor=coordinator, kind="test_rows", params={"n": 5})
    assert created and not created_again and again.pk == first.pk
    other, created_other = report_request(actor=coordinator, kind="test_rows", params={"n": "6"})
    assert created_other and other.pk != first.pk


def test_bad_parameters_and_people_without_permission_are_refused(test_kind, applicant):
    with pytest.raises(ValidationError):
        report_request(actor=applicant, kind="test_rows", params={"n": "many"})
    with pytest.raises(PermissionDenied):
        report_request(actor=applicant, kind="test_rows", params={"n": "5"})
    with pytest.raises(ValidationError):
        report_request(actor=applicant, kind="no_such_report", params={})
    assert not Report.objects.exists()


def test_a_failed_build_leaves_a_readable_reason_no_file_and_can_be_retried(test_kind, coordinator,
                                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = report_request(actor=coordinator, kind="test_rows", params={"n": "13"})
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and not report.file
    assert "Vuelve a intentarlo" in report.error and "disk on fire" not in report.error
    again = report_retry(actor=coordinator, report_id=report.pk)
    assert again.pk != report.pk and again.status == ReportStatus.QUEUED
    with pytest.raises(ValidationError):
        report_retry(actor=coordinator, report_id=again.pk)


def test_a_repeated_delivery_builds_nothing_twice(test_kind, coordinator):
    report, _ = report_request(actor=coordinator, kind="test_rows", params={"n": "3"})
    assert report_build(report_id=report.pk).status == ReportStatus.DONE
    assert report_build(report_id=report.pk) is None


def test_a_running_row_older_than_its_limit_fails_and_a_fresh_one_is_left_alone(test_kind, coordinator):
    stale, _ = report_request(actor=coordinator, kind="test_rows", params={"n": "3"})
    fresh, _ = report_request(actor=coordinator, kind="test_rows", params={"n": "4"})
    long_ago = timezone.now() - timedelta(seconds=stale.time_limit + 3600)
    Report.objects.filter(pk=stale.pk).update(status=ReportStatus.RUNNING, started_at=long_ago, progress=40)
    Report.objects.filter(pk=fresh.pk).update(status=ReportStatus.RUNNING, started_at=timezone.now())
    assert reports_fail_stale() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == ReportStatus.FAILED and "se interrumpió" in stale.error
    assert fresh.status == ReportStatus.RUNNING
    # The worker that was killed comes back with the message: it finds the row failed and writes nothing.
    assert report_build(report_id=stale.pk) is None
    stale.refresh_from_db()
    assert not stale.file and not stale.downloadable


def test_a_report_is_visible_to_its_requester_only(test_kind, coordinator, applicant):
    report, _ = report_request(actor=coordinator, kind="test_rows", params={"n": "3"})
    assert list(Report.objects.visible_to(coordinator)) == [report]
    assert not Report.objects.visible_to(applicant).exists()
    with pytest.raises(PermissionDenied):
        report_retry(actor=applicant, report_id=report.pk)


def test_names_sort_as_people_read_them():
    from reports.sorting import alphabetical

    assert sorted(["Tlalpan", "Álvaro Obregón", "azcapotzalco"], key=alphabetical) == [
        "Álvaro Obregón", "azcapotzalco", "Tlalpan"]
