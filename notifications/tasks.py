from celery import shared_task

from notifications.services import notices_email


@shared_task(name="notifications.tasks.email_notices", acks_late=True, autoretry_for=(OSError,),
             retry_backoff=True, max_retries=5)
def email_notices(notice_ids: list[int]) -> int:
    return notices_email(notice_ids=notice_ids)


@shared_task(name="notifications.tasks.send_reminders", acks_late=True, autoretry_for=(OSError,),
             retry_backoff=True, max_retries=3)
def send_reminders() -> dict:
    """The reminder sweep: whatever is due and not yet sent. Safe to run twice, or in two places at once."""
    from notifications.reminders import reminders_sweep

    return reminders_sweep()
