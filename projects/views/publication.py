"""The coordination's switches for what the public project page shows: a logbook entry, an expense's
receipt file, a signed document. Each is a POST that goes through projects.services.publication and
redirects back (to `next` when it is a page of this site), like the photographs' switch."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects import permissions
from projects.models import Expense
from projects.services import publication
from projects.views.common import project_for


def _require(allowed) -> None:
    if not allowed:
        raise PermissionDenied


def _back(request, fallback: str):
    back = request.POST.get("next", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = fallback
    return redirect(back)


def _switch(request, write, shown: str, hidden: str, fallback: str):
    public = request.POST.get("public") == "1"
    try:
        write(public)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, shown if public else hidden)
    return _back(request, fallback)


@login_required
@require_POST
def logbook_entry_publish(request, pk, entry_pk):
    project = project_for(request.user, pk)
    entry = get_object_or_404(project.logbook, pk=entry_pk)
    _require(permissions.can_publish_logbook_entry(request.user, project))
    return _switch(request, lambda public: publication.logbook_entry_publish(
        actor=request.user, entry_id=entry.pk, public=public),
        _("La anotación se muestra en la página pública."), _("La anotación ya no se muestra en la página pública."),
        reverse("projects:logbook", args=[pk]) + f"#anotacion-{entry.pk}")


@login_required
@require_POST
def expense_receipt_publish(request, pk, expense_pk):
    project = project_for(request.user, pk)
    expense = get_object_or_404(Expense.objects.visible_to(request.user).filter(project=project), pk=expense_pk)
    _require(permissions.can_publish_receipt(request.user, project))
    return _switch(request, lambda public: publication.expense_receipt_publish(
        actor=request.user, expense_id=expense.pk, public=public),
        _("El comprobante se muestra en la página pública."),
        _("El comprobante ya no se muestra en la página pública."),
        reverse("projects:expense_detail", args=[pk, expense.pk]))


@login_required
@require_POST
def document_publish(request, pk, kind):
    project = project_for(request.user, pk)
    if kind not in publication.DOCUMENT_KINDS:
        raise Http404
    _require(permissions.can_publish_document(request.user, project))
    return _switch(request, lambda public: publication.document_publish(
        actor=request.user, project_id=project.pk, kind=kind, public=public),
        _("El documento se muestra en la página pública."), _("El documento ya no se muestra en la página pública."),
        reverse("projects:closure", args=[pk]))


urlpatterns = [
    path("<int:pk>/bitacora/<int:entry_pk>/publicar/", logbook_entry_publish, name="logbook_entry_publish"),
    path("<int:pk>/gastos/<int:expense_pk>/publicar-comprobante/", expense_receipt_publish,
         name="expense_receipt_publish"),
    path("<int:pk>/documentos/<slug:kind>/publicar/", document_publish, name="document_publish"),
]
