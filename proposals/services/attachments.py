"""Attachments of a proposal: checked by content, limited per file, per proposal, in number and per hour."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nicp.readonly import require_may_write
from proposals.models import Attachment, AttachmentKind, Proposal, UploadReceipt
from proposals.services.proposals import lock_proposal, require_editable
from proposals.uploads import clean_upload

MB = 1_048_576


def upload_receive(proposal: Proposal) -> None:
    """Count one more file for this proposal, or refuse it when the hour's allowance is spent.

    Called with the proposal locked and before the file is read, so a flood of uploads (each one an
    image to decode) is stopped cheaply. The receipts outlive removed files: deleting and sending
    again does not reset the count. Raises a ValidationError on the `file` field."""
    limit = settings.NICP_UPLOADS_PER_PROPOSAL_PER_HOUR
    since = timezone.now() - timedelta(hours=1)
    if UploadReceipt.objects.filter(proposal=proposal, received_at__gte=since).count() >= limit:
        raise ValidationError({"file": _("Esta propuesta ya recibió %(n)d archivos en la última hora; "
                                         "espera un rato antes de subir otro.") % {"n": limit}})
    UploadReceipt.objects.create(proposal=proposal)


@transaction.atomic
def attachment_add(*, actor, proposal_id: int, kind: str, upload, version: int | None = None) -> Attachment:
    require_may_write(actor)
    proposal = lock_proposal(actor, proposal_id, version)
    require_editable(actor, proposal)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Elige el tipo de anexo.")})
    call = proposal.call
    stats = proposal.attachments.aggregate(total=Sum("size"))
    count = proposal.attachments.count()
    if count >= call.max_files_per_proposal:
        raise ValidationError({"file": _("La propuesta ya tiene %(n)d archivos, el máximo de la convocatoria.")
                               % {"n": call.max_files_per_proposal}})
    upload_receive(proposal)
    try:
        clean = clean_upload(upload, max_bytes=call.max_file_size_mb * MB)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    if (stats["total"] or 0) + clean.size > call.max_total_size_mb * MB:
        raise ValidationError({"file": _("Con este archivo la propuesta pasaría de %(max)d MB en total.")
                               % {"max": call.max_total_size_mb}})
    attachment = Attachment(proposal=proposal, kind=kind, original_name=upload.name[:200],
                            content_type=clean.content_type, size=clean.size, uploaded_by=actor)
    attachment.file.save(f"upload.{clean.extension}", clean.content, save=False)
    attachment.save()
    proposal.version += 1
    proposal.save(update_fields=["version", "updated_at"])
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment_id: int, version: int | None = None) -> None:
    require_may_write(actor)
    attachment = Attachment.objects.select_related("proposal").filter(pk=attachment_id).first()
    if attachment is None:
        raise ValidationError(_("Ese archivo ya no existe."))
    proposal = lock_proposal(actor, attachment.proposal_id, version)
    require_editable(actor, proposal)
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    proposal.version += 1
    proposal.save(update_fields=["version", "updated_at"])
    transaction.on_commit(lambda: storage.delete(stored))
