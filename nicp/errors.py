"""Errors that services raise and views/API turn into answers (409 for a stale version)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class StaleVersion(Exception):
    """Someone else saved this record since it was loaded: nothing was written."""

    message = _("Alguien más guardó cambios mientras editabas. Recarga la página para ver la versión actual; "
                "lo que escribiste no se guardó.")

    def __str__(self):
        return str(self.message)


def check_version(obj, version: int | str | None) -> None:
    """Views pass the raw form value: anything but a whole number is a bad request, not a crash."""
    if version in (None, ""):
        return
    text = str(version).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        raise ValidationError({"version": _("La versión debe ser un número entero.")})
    if int(text) != obj.version:
        raise StaleVersion()


class TransitionNotAllowed(ValidationError):
    pass
