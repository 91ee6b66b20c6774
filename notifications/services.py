"""Tell people what happened: an in-app notice each, and an e-mail sent by the worker after commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from notifications.models import Notice


def notify(*, recipients, subject: str, body: str, url: str = "") -> list[Notice]:
    notices = Notice.objects.bulk_create(
        [Notice(recipient=user, subject=subject, body=body, url=url) for user in recipients]
    )
    ids = [n.pk for n in notices]
    if ids:
        from notifications.tasks import email_notices

        transaction.on_commit(lambda: email_notices.delay(ids))
    return notices


def notices_email(*, notice_ids: list[int]) -> int:
    """Send each notice not yet e-mailed; marking it first makes a repeated run send nothing twice."""
    sent = 0
    base = settings.NICP_SITE_URL.rstrip("/")
    for notice_id in notice_ids:
        with transaction.atomic():
            notice = (Notice.objects.select_for_update().select_related("recipient")
                      .filter(pk=notice_id, emailed_at__isnull=True).first())
            if notice is None:
                continue
            notice.emailed_at = timezone.now()
            notice.save(update_fields=["emailed_at"])
            link = f"\n\n{base}{notice.url}" if notice.url else ""
            subject = " ".join(f"[NICP] {notice.subject}".split())  # one line: a subject is a mail header
            send_mail(subject=subject, message=notice.body + link, from_email=None,
                      recipient_list=[notice.recipient.email])
            sent += 1
    return sent


def notice_mark_read(*, user, notice_id: int | None = None) -> int:
    notices = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_id is not None:
        notices = notices.filter(pk=notice_id)
    return notices.update(read_at=timezone.now())
