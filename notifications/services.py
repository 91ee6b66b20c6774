"""Tell people what happened: an in-app notice each, and an e-mail sent by the worker after commit."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from notifications.messages import Message, other_languages, render_active, render_in
from notifications.models import Notice

_muted: ContextVar[bool] = ContextVar("notifications_muted", default=False)


@contextmanager
def muted():
    """Tell nobody of what happens inside: the demo loader writes past years as history, and news of
    them, dated today, would only mislead."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    """Inside muted(): the code running now tells nobody (e-mails it would queue included)."""
    return _muted.get()


@dataclass(frozen=True)
class NoticeDraft:
    recipient: object
    subject: object
    body: object
    url: str = ""
    link_text: object = ""


FIELDS = ("subject", "body", "link_text")


def _rendered(drafts: list[NoticeDraft]) -> list[dict]:
    """Each draft's fields: Spanish in the notice's own fields; texts given as `Message`s (or lazy texts) in
    every other language of the site too; plain strings as they are. One language switch per language for
    the whole batch, not one per text: a sweep writes thousands."""
    translatable = [any(isinstance(getattr(d, key), (Message, Promise)) for key in FIELDS) for d in drafts]
    rows = [{"translations": {}} for _ in drafts]
    for language in [settings.LANGUAGE_CODE, *other_languages()]:
        with translation.override(language):
            for draft, row, translate in zip(drafts, rows, translatable, strict=True):
                if language == settings.LANGUAGE_CODE:
                    row.update({key: render_active(getattr(draft, key)) for key in FIELDS})
                    row["link_text"] = row["link_text"][:200]
                elif translate:
                    row["translations"][language] = {key: render_active(getattr(draft, key)) for key in FIELDS}
    return rows


def notices_create(drafts: list[NoticeDraft]) -> list[Notice]:
    """One notice per draft, in order, in one insert; their e-mails are queued when the transaction commits."""
    if _muted.get() or not drafts:
        return []
    notices = Notice.objects.bulk_create(
        [Notice(recipient=draft.recipient, url=draft.url, **fields)
         for draft, fields in zip(drafts, _rendered(drafts), strict=True)])
    ids = [n.pk for n in notices]
    if ids:
        from notifications.tasks import email_notices

        transaction.on_commit(lambda: email_notices.delay(ids))
    return notices


def notify(*, recipients, subject, body, url: str = "", link_text="",
           unless_unread: bool = False) -> list[Notice]:
    """One notice per recipient (each person once). With `unless_unread`, whoever still has an unread
    notice with this subject and link is not told again (a batch of proposals sent to the Committee is
    one request to score, not one per proposal)."""
    if _muted.get():
        return []
    people = list({user.pk: user for user in recipients if user is not None}.values())
    if unless_unread and people:
        spanish = render_in(subject, settings.LANGUAGE_CODE)
        waiting = set(Notice.objects.filter(recipient__in=people, subject=spanish, url=url, read_at__isnull=True)
                      .values_list("recipient_id", flat=True))
        people = [user for user in people if user.pk not in waiting]
    return notices_create([NoticeDraft(recipient=user, subject=subject, body=body, url=url, link_text=link_text)
                           for user in people])


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
            texts = notice.in_language(notice.recipient.language)  # in the language the person reads
            label = f"{texts['link_text']}:\n" if texts["link_text"] else ""
            link = f"\n\n{label}{base}{notice.url}" if notice.url else ""
            subject = " ".join(f"[NICP] {texts['subject']}".split())  # one line: a subject is a mail header
            send_mail(subject=subject, message=texts["body"] + link, from_email=None,
                      recipient_list=[notice.recipient.email])
            sent += 1
    return sent


def notice_mark_read(*, user, notice_ids: list[int] | None = None) -> int:
    """Mark read the person's own notices: those given (the ones a page showed them), or all."""
    notices = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_ids is not None:
        notices = notices.filter(pk__in=notice_ids)
    return notices.update(read_at=timezone.now())
