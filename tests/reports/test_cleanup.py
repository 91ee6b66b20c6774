"""The daily clean-up: report files past their keeping days go (the row stays, marked expired); uploads no
row references go once they are a day old; referenced files, fresh files and anything outside the upload
folders stay. Files live in a real folder here (MEDIA_ROOT under tmp), aged with os.utime."""

import os
import time
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.roles import StaffRole, has_role
from proposals import services
from proposals.models import Attachment
from reports import registry
from reports.cleanup import clean_up_files, upload_fields, upload_folders
from reports.models import Report, ReportStatus
from reports.services import report_request
from reports.tasks import clean_up_files as clean_up_task
from tests.factories import complete_proposal, jpeg_bytes, make_open_call, upload

pytestmark = pytest.mark.django_db
DAY = 24 * 3600


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A real folder as storage, so that ages and deletions are the file system's."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return settings.MEDIA_ROOT


def put(name: str, *, days_old: float = 0, content: bytes = b"x") -> str:
    """Store a file as an upload would and set its age."""
    stored = default_storage.save(name, _content(content))
    age = time.time() - days_old * DAY
    os.utime(default_storage.path(stored), (age, age))
    return stored


def _content(data: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(data)


def age(name: str, days_old: float) -> None:
    then = time.time() - days_old * DAY
    os.utime(default_storage.path(name), (then, then))


@pytest.fixture
def csv_kind():
    kind = registry.register(registry.ReportKind(
        code="test_cleanup", label="Prueba", extension="csv",
        clean_params=lambda params: {"n": int(params["n"])},
        may_request=lambda user, params: has_role(user, StaffRole.COORDINATOR),
        title=lambda params: f"Prueba {params['n']}",
        build=lambda report, out, progress: out.write(b"a,b\n") and 1))
    yield kind
    registry._KINDS.pop(kind.code)


def done_report(coordinator, n: int, capture) -> Report:
    with capture(execute=True):
        report, _created = report_request(actor=coordinator, kind="test_cleanup", params={"n": str(n)})
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and default_storage.exists(report.file.name)
    return report


def test_an_old_report_file_is_removed_and_its_row_kept_as_expired(settings, csv_kind, staff,
                                                                  django_capture_on_commit_callbacks):
    coordinator = staff["coordinator"]
    old = done_report(coordinator, 1, django_capture_on_commit_callbacks)
    fresh = done_report(coordinator, 2, django_capture_on_commit_callbacks)
    now = timezone.now()
    Report.objects.filter(pk=old.pk).update(finished_at=now - timedelta(days=settings.NICP_REPORT_KEEP_DAYS, hours=1))
    Report.objects.filter(pk=fresh.pk).update(finished_at=now - timedelta(days=settings.NICP_REPORT_KEEP_DAYS - 1))
    old_name = old.file.name

    result = clean_up_files(now=now)

    assert result.expired_reports == [old_name]
    assert not default_storage.exists(old_name)
    old.refresh_from_db()
    assert old.expired_at == now and not old.file and old.status == ReportStatus.DONE
    assert not old.downloadable
    fresh.refresh_from_db()
    assert fresh.expired_at is None and fresh.downloadable and default_storage.exists(fresh.file.name)
    # A second run finds nothing more: the expired row is history, not a candidate again.
    assert clean_up_files(now=now).expired_reports == []


def test_a_report_file_whose_row_never_said_done_is_an_orphan(csv_kind, staff, django_capture_on_commit_callbacks):
    """A worker killed between saving the file and marking the row leaves a file no row points to."""
    report = done_report(staff["coordinator"], 3, django_capture_on_commit_callbacks)
    leftover = put(f"reports/{report.pk}/test_cleanup-{report.pk}-killed.csv", days_old=2)
    age(report.file.name, 2)
    assert clean_up_files().orphans == [leftover]
    assert default_storage.exists(report.file.name) and not default_storage.exists(leftover)


@pytest.fixture
def attachment(applicant, group):
    call = make_open_call()
    proposal = services.proposal_create(actor=applicant, call=call, group=group, title="Parque")
    complete_proposal(proposal, applicant)
    return Attachment.objects.filter(proposal=proposal).first()


def test_orphans_older_than_a_day_are_removed_and_everything_else_stays(attachment, media):
    age(attachment.file.name, 30)  # referenced and old: kept
    folder = attachment.file.name.rsplit("/", 1)[0]
    orphan = put(f"{folder}/rolled-back.pdf", days_old=2)
    deep_orphan = put("projects/7/photos/rolled-back.jpg", days_old=3)
    fresh_orphan = put(f"{folder}/being-saved.pdf", days_old=0.5)
    outside = [put("stray.pdf", days_old=90), put("benchmark/factura.xml", days_old=90),
               put("other/old.pdf", days_old=90)]
    (media.parent / "beside-media.txt").write_text("not ours")

    dry = clean_up_files(dry_run=True)
    assert sorted(dry.orphans) == sorted([orphan, deep_orphan])
    assert default_storage.exists(orphan)  # a dry run removes nothing

    result = clean_up_files()

    assert sorted(result.orphans) == sorted([orphan, deep_orphan])
    assert not default_storage.exists(orphan) and not default_storage.exists(deep_orphan)
    assert default_storage.exists(attachment.file.name)
    assert default_storage.exists(fresh_orphan)
    assert all(default_storage.exists(name) for name in outside)
    assert (media.parent / "beside-media.txt").exists()


def test_an_upload_whose_transaction_rolled_back_is_removed_once_a_day_old(attachment, applicant, media):
    """The real way orphans are made: the service stores the file, then the transaction around it fails."""
    before = set(media.rglob("*"))
    with pytest.raises(RuntimeError), transaction.atomic():
        services.attachment_add(actor=applicant, proposal_id=attachment.proposal_id, kind="site_photo",
                                upload=upload("otra.jpg", jpeg_bytes(), "image/jpeg"))
        raise RuntimeError("the request failed after the file was stored")
    [left] = [path for path in set(media.rglob("*")) - before if path.is_file()]
    name = left.relative_to(media).as_posix()
    assert not Attachment.objects.filter(file=name).exists()
    assert clean_up_files().orphans == []  # still young: it may be a transaction in flight
    age(name, 1.1)
    assert clean_up_files().orphans == [name]
    assert not left.exists() and default_storage.exists(attachment.file.name)


def test_a_file_referenced_under_another_fields_folder_is_kept(staff):
    """References are checked against every file field, not only the folder's own: a name set by hand
    (the benchmark points many invoices at one file) is never taken for an orphan."""
    shared = put("proposals/shared/one-file.pdf", days_old=5)
    Report.objects.create(kind="x", params_key="{}", title="x", requested_by=staff["coordinator"],
                          status=ReportStatus.DONE, file=shared)
    assert clean_up_files().orphans == []
    assert default_storage.exists(shared)


def test_every_file_field_of_the_project_has_a_known_folder():
    project_fields = {f"{f.model._meta.label}.{f.name}": f.folder for f in upload_fields()}
    assert all(project_fields.values()), project_fields
    assert upload_folders() == ["assemblies", "calls", "committees", "projects", "proposals", "reports", "reviews"]
    assert project_fields["reports.Report.file"] == "reports"
    assert project_fields["projects.Cfdi.xml_file"] == "projects"


def test_the_command_dry_run_prints_and_keeps(attachment, capsys):
    orphan = put("proposals/0/old.pdf", days_old=2)
    call_command("clean_up_files", "--dry-run")
    out = capsys.readouterr().out
    assert f"would remove orphan file: {orphan}" in out and "1 orphan file(s)" in out
    assert default_storage.exists(orphan)
    call_command("clean_up_files")
    assert "removed: 0 expired report file(s), 1 orphan file(s)" in capsys.readouterr().out
    assert not default_storage.exists(orphan)


def test_the_daily_task_is_scheduled_and_counts(settings, attachment):
    assert any(entry["task"] == "reports.tasks.clean_up_files" for entry in settings.CELERY_BEAT_SCHEDULE.values())
    put("calls/0/old.pdf", days_old=2)
    assert clean_up_task.delay().get() == {"expired_reports": 0, "orphans": 1}
