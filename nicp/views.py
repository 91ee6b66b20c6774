from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from nicp.relations import NOT_FOUND


def help_page(request):
    """How to get help: the programme's office and the questions people ask most."""
    return render(request, "pages/help.html")


def privacy_notice(request):
    """The privacy notice (aviso de privacidad). Its text is the template pages/privacy_notice_text.html,
    which the ministry replaces with its legal text by overriding that template."""
    return render(request, "pages/privacy.html")


def healthz(request):
    """Liveness for the load balancer: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


API_ERRORS = {
    400: _("La petición no es válida (demasiados campos, datos dañados o un encabezado incorrecto)."),
    403: _("No tienes permiso para hacer esto."),
    404: NOT_FOUND,  # the same words as a refused relation: missing and forbidden look alike
    500: _("Error del servidor: no se guardó nada. Inténtalo de nuevo más tarde."),
}


def _api_error(request, status: int):
    """Under /api/ errors Django answers itself (too many fields, a bad host) are JSON too, like DRF's."""
    if request is not None and request.path.startswith("/api/"):
        return JsonResponse({"detail": str(API_ERRORS[status])}, status=status)
    return None


def bad_request(request, exception=None):
    return _api_error(request, 400) or render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return _api_error(request, 403) or render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return _api_error(request, 404) or render(request, "404.html", status=404)


def server_error(request):
    if (answer := _api_error(request, 500)) is not None:
        return answer
    # No context processors that could fail again: a plain render of a static page.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
