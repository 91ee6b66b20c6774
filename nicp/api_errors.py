"""One exception handler for the API: DRF's answers, with a Spanish message where DRF or Django would
give their own English text (a 404 from get_object_or_404 names the model; a parse error quotes Python's)."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler

from nicp.relations import NOT_FOUND


def api_exception_handler(exc, context):
    if isinstance(exc, Http404 | exceptions.NotFound):
        # The same words for missing and forbidden, and no model names.
        exc = exceptions.NotFound(str(NOT_FOUND))
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ParseError(_("El cuerpo de la petición no se pudo leer: envía JSON válido (o el "
                                      "formulario multipart que pide la operación)."))
    return exception_handler(exc, context)
