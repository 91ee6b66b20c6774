"""System checks that catch a misconfigured deployment before it serves anyone."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.compatibility)
def check_time_zone(app_configs, **kwargs):
    # Deadlines are Mexico City time by law; a different zone would move every closing hour.
    if settings.TIME_ZONE != "America/Mexico_City" or not settings.USE_TZ:
        return [Error("TIME_ZONE must be America/Mexico_City with USE_TZ on.", id="nicp.E001")]
    return []


@register(Tags.security, deploy=True)
def check_staff_mfa(app_configs, **kwargs):
    if not settings.NICP_STAFF_MFA_REQUIRED:
        return [Warning("Staff two-factor authentication is switched off (NICP_STAFF_MFA_REQUIRED).",
                        id="nicp.W001")]
    return []


@register(Tags.security, deploy=True)
def check_broker(app_configs, **kwargs):
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return [Warning("The Celery broker is the embedded file-system queue; set CELERY_BROKER_URL to Redis.",
                        id="nicp.W002")]
    return []
