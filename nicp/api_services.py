"""Service errors as API answers, in one place for every app's API (DESIGN.md §3).

Services raise Django's errors; the API answers them alike everywhere: a ValidationError is a 400 with its
messages (by field when the service named the field), PermissionDenied a 403 with the service's reason, a
stale version a 409 that says to reload. Http404 needs nothing here: DRF answers it (nicp.api_errors words it)."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.settings import api_settings

from nicp.errors import StaleVersion


class Conflict(APIException):
    status_code = 409
    default_detail = _("Alguien más guardó cambios antes que tú: recarga y vuelve a intentarlo.")
    default_code = "conflict"


def run_service(call):
    """Run `call` (a service call without arguments) and turn its refusals into API answers."""
    try:
        return call()
    except StaleVersion as error:
        raise Conflict(str(error)) from error
    except PermissionDenied as error:
        raise ApiPermissionDenied(str(error) or None) from error
    except ValidationError as error:
        raise ApiValidationError(_as_fields(error)) from error


def _as_fields(error: ValidationError) -> dict:
    """By field when the service named fields (Django's "__all__" under DRF's name for it), else "detail"."""
    if not hasattr(error, "error_dict"):
        return {"detail": error.messages}
    return {api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field: messages
            for field, messages in error.message_dict.items()}
