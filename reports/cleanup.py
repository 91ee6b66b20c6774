"""Removing files nobody will read again: generated reports past their keeping days, and uploads whose
database row never committed (orphans: a file is stored before its row, and a rolled-back transaction
leaves the file behind).

Everything goes through the storage API (the folder under MEDIA_ROOT, or S3 in production), and memory
stays bounded: folders are walked one at a time and their files checked against the database in chunks."""

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from reports.models import Report, ReportStatus

log = logging.getLogger(__name__)
CHUNK = 500
# A file younger than this may belong to a transaction still running (an upload being saved).
ORPHAN_MIN_AGE = timedelta(days=1)


@dataclass
class CleanUp:
    """What a clean-up removed (or, in a dry run, would remove)."""

    expired_reports: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"expired_reports": len(self.expired_reports), "orphans": len(self.orphans)}


def clean_up_files(*, now=None, dry_run: bool = False) -> CleanUp:
    now = now or timezone.now()
    return CleanUp(expired_reports=expire_old_reports(now=now, dry_run=dry_run),
                   orphans=delete_orphans(now=now, dry_run=dry_run))


def expire_old_reports(*, now=None, dry_run: bool = False) -> list[str]:
    """Report files finished more than NICP_REPORT_KEEP_DAYS ago are deleted; the row stays as history,
    marked expired (its page offers to generate the report again)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.NICP_REPORT_KEEP_DAYS)
    old = (Report.objects.filter(status=ReportStatus.DONE, expired_at__isnull=True, finished_at__lt=cutoff)
           .exclude(file="").only("pk", "file").order_by("pk"))
    removed = []
    for report in old.iterator(chunk_size=CHUNK):
        name = report.file.name
        removed.append(name)
        if dry_run:
            continue
        # The row first: a crash between the two leaves an unreferenced file (an orphan, removed next
        # time), never a row pointing at a file that is gone.
        with transaction.atomic():
            Report.objects.filter(pk=report.pk, expired_at__isnull=True).update(expired_at=now, file="")
        report.file.storage.delete(name)
    return removed


@dataclass(frozen=True)
class UploadField:
    model: type
    name: str
    folder: str  # the top folder its files are stored under ("" when unknown: never scanned)


class _Probe:
    """Stands in for a model instance when an upload_to callable is asked where it would store a file:
    every attribute is a probe, and it prints as a number."""

    def __getattr__(self, name):
        return self

    def __str__(self):
        return "0"

    def __format__(self, spec):
        return "0"


def upload_fields() -> list[UploadField]:
    """Every FileField and ImageField of every installed model, with the top folder it writes to."""
    found = []
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                found.append(UploadField(model, model_field.name, _folder_of(model_field)))
    return found


def _folder_of(model_field: models.FileField) -> str:
    upload_to = model_field.upload_to
    try:
        path = upload_to(_Probe(), "probe.pdf") if callable(upload_to) else str(upload_to)
    except Exception:  # noqa: BLE001 (an unknown folder is left alone, never guessed)
        log.warning("Cannot tell where %s stores its files; its folder is not cleaned.", model_field)
        return ""
    top = str(path).strip("/").split("/", 1)[0]
    # A bare file name ("probe.pdf") means files at the storage root: never scanned.
    return top if "/" in str(path).strip("/") else ""


def upload_folders() -> list[str]:
    return sorted({f.folder for f in upload_fields() if f.folder})


def delete_orphans(*, now=None, dry_run: bool = False, storage=None) -> list[str]:
    """Delete files in the upload folders that no row references and that are older than a day."""
    now = now or timezone.now()
    storage = storage or default_storage
    fields = upload_fields()
    removed = []
    for folder in upload_folders():
        for names in _old_files(storage, folder, now - ORPHAN_MIN_AGE):
            orphans = sorted(set(names) - _referenced(fields, names))
            removed.extend(orphans)
            if not dry_run:
                for name in orphans:
                    storage.delete(name)
    return removed


def _old_files(storage, folder: str, cutoff) -> Iterator[list[str]]:
    """Files under `folder` last modified before `cutoff`, in chunks; one directory listed at a time."""
    pending = [folder]
    while pending:
        directory = pending.pop()
        try:
            subfolders, files = storage.listdir(directory)
        except FileNotFoundError:
            continue
        pending.extend(f"{directory}/{name}" for name in subfolders)
        for start in range(0, len(files), CHUNK):
            names = [f"{directory}/{name}" for name in files[start:start + CHUNK]]
            old = [name for name in names if _older_than(storage, name, cutoff)]
            if old:
                yield old


def _older_than(storage, name: str, cutoff) -> bool:
    try:
        modified = storage.get_modified_time(name)
    except OSError:  # removed meanwhile
        return False
    return (modified if timezone.is_aware(modified) else timezone.make_aware(modified)) < cutoff


def _referenced(fields: list[UploadField], names: list[str]) -> set[str]:
    """Which of `names` some row of any file field points to (every field, not only the folder's: a name
    set by hand outside its field's folder is still kept)."""
    found: set[str] = set()
    for upload in fields:
        found.update(upload.model._base_manager.filter(**{f"{upload.name}__in": names})
                     .values_list(upload.name, flat=True))
    return found
