from celery import shared_task

from notifications.services import notices_email


@shared_task(name="notifications.tasks.email_notices", acks_late=True, autoretry_for=(OSError,),
             retry_backoff=True, max_retries=5)
def email_notices(notice_ids: list[int]) -> int:
    return notices_email(notice_ids=notice_ids)
