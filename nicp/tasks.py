from celery import shared_task
from django.utils import timezone


@shared_task(name="nicp.tasks.ping")
def ping(token: str) -> dict:
    """Echo a token back with the worker's clock: the health check of the background machinery."""
    return {"token": token, "at": timezone.now().isoformat()}
