from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from neighbourhoods.models import Borough, Neighbourhood


def home(request):
    context = {
        "borough_count": Borough.objects.count(),
        "neighbourhood_count": Neighbourhood.objects.count(),
    }
    return render(request, "home.html", context)


def healthz(request):
    """Liveness for the load balancer: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that could fail again: a plain render of a static page.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
