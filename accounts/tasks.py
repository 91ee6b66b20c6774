from celery import shared_task

from accounts.services import invitations_expire


@shared_task(name="accounts.tasks.expire_invitations", acks_late=True)
def expire_invitations() -> int:
    return invitations_expire()
