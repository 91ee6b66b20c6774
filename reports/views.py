"""The requester's report pages: ask, follow the bar, download, ask again. The file is served only here."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reports import services
from reports.downloads import report_response
from reports.models import Report
from reports.offers import annual_offer, button_label
from reports.permissions import can_download
from reports.registry import kind_of

# What a request may carry besides the kind: a few short values (a call, a project, a year).
MAX_PARAMS, MAX_VALUE = 4, 40
PARAM_LABELS = {"call": _("Convocatoria (número)"), "project": _("Proyecto (número)"), "year": _("Año")}


def _mine(request, pk) -> Report:
    return get_object_or_404(Report.objects.visible_to(request.user), pk=pk)


def _asked(source) -> tuple[str, dict]:
    params = {key: value for key, value in source.items() if key not in ("kind", "csrfmiddlewaretoken")}
    if len(params) > MAX_PARAMS or any(len(key) > 20 or len(value) > MAX_VALUE for key, value in params.items()):
        raise ValidationError(_("Revisa los datos del reporte: son demasiados o demasiado largos."))
    return source.get("kind", "")[:40], params


def _field_errors(error: ValidationError) -> tuple[dict, list]:
    if hasattr(error, "error_dict"):
        fields = {key: [str(m) for e in errors for m in e.messages] for key, errors in error.error_dict.items()}
        return fields, fields.pop("kind", []) + fields.pop("__all__", [])
    return {}, [str(m) for m in error.messages]


@login_required
def report_list(request):
    page = Paginator(Report.objects.visible_to(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "reports/list.html", {"page": page, "annual": annual_offer(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def report_request(request):
    """GET: the confirmation for the kind and parameters in the query string. POST: queue it (or find the
    same one already on its way) and follow it on its page."""
    source = request.POST if request.method == "POST" else request.GET
    context = {"code": source.get("kind", "")[:40], "params": {}}
    try:
        code, params = _asked(source)
        context.update(code=code, params=params, label=button_label(code) if kind_of(code) else "")
        if request.method == "POST":
            report, _created = services.report_request(actor=request.user, kind=code, params=params)
            return redirect("reports:detail", report.pk)
        kind = kind_of(code)
        if kind is None:
            raise ValidationError({"kind": _("No existe ese tipo de reporte.")})
        cleaned = kind.clean_params(params)
        if not kind.may_request(request.user, cleaned):
            raise PermissionDenied(_("No puedes pedir este reporte."))
        context["title"] = kind.title(cleaned)
        return render(request, "reports/request.html", context)
    except ValidationError as error:
        context["field_errors"], context["errors"] = _field_errors(error)
        context["fields"] = [(key, PARAM_LABELS.get(key, key), value, context["field_errors"].get(key, []))
                             for key, value in context["params"].items()]
        return render(request, "reports/request.html", context, status=400)
    except PermissionDenied as error:
        context["refused"] = str(error) or _("No puedes pedir este reporte.")
        return render(request, "reports/request.html", context, status=403)


@login_required
@require_GET
def report_detail(request, pk):
    report = _mine(request, pk)
    return render(request, "reports/detail.html",
                  {"report": report, "can_download": can_download(request.user, report)})


@login_required
@require_GET
def report_status(request, pk):
    """What the page's script polls: small, and never cached."""
    report = _mine(request, pk)
    response = JsonResponse({
        "status": report.status, "status_label": str(report.get_status_display()), "progress": report.progress,
        "rows": report.rows, "error": report.error,
        "download_url": reverse("reports:download", args=[report.pk]) if can_download(request.user, report) else None,
    })
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def report_download(request, pk):
    report = _mine(request, pk)
    if not report.downloadable:
        raise Http404
    if not can_download(request.user, report):
        raise PermissionDenied(_("Ya no tienes permiso para este reporte."))
    return report_response(report)


@login_required
@require_POST
def report_retry(request, pk):
    report = _mine(request, pk)
    try:
        again = services.report_retry(actor=request.user, report_id=report.pk)
    except ValidationError as error:
        return render(request, "reports/detail.html", {"report": report, "retry_errors": error.messages}, status=400)
    return redirect("reports:detail", again.pk)
