"""Committee seats: the elected person accepts their place from the e-mailed link; the coordination
replaces a member with a reason that stays in the history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from projects import permissions, services
from projects.forms import SeatReplaceForm
from projects.models import CommitteeSeat
from projects.views.common import apply_error, project_for


def _masked(email: str) -> str:
    """Enough of the invited address to recognise it, not enough to learn it: «ma•••@ejemplo.mx»."""
    local, _at, domain = email.partition("@")
    return f"{local[:2]}•••@{domain}"


@login_required
def seat_accept(request, token):
    seat = get_object_or_404(CommitteeSeat.objects.select_related("project"), token=token)
    if seat.user_id != request.user.pk:
        # Someone else's link, or the right person under another account: say how to get in, show nothing.
        return render(request, "projects/seat_wrong_person.html", {"invited": _masked(seat.email)}, status=403)
    error = None
    if request.method == "POST" and seat.active:
        try:
            services.seat_accept(actor=request.user, token=token)
        except (ValidationError, PermissionDenied) as problem:
            error = " ".join(getattr(problem, "messages", [str(problem)]))
        else:
            messages.success(request, _("Aceptaste tu lugar en el comité de %(kind)s.")
                             % {"kind": seat.get_committee_display()})
            return redirect("projects:detail", pk=seat.project_id)
    return render(request, "projects/seat_accept.html", {"seat": seat, "project": seat.project, "error": error},
                  status=400 if error else 200)


@login_required
def seat_replace(request, pk, seat_pk):
    project = project_for(request.user, pk)
    seat = get_object_or_404(CommitteeSeat, pk=seat_pk, project=project)
    if not permissions.can_manage_project(request.user, project):
        raise PermissionDenied(_("Solo la coordinación del programa cambia a las personas de un comité."))
    if not seat.active:
        messages.error(request, _("Esta persona ya no integra el comité."))
        return redirect("projects:detail", pk=project.pk)
    form = SeatReplaceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.seat_replace(actor=request.user, seat_id=seat.pk, **form.cleaned_data)
            except ValidationError as error:
                apply_error(form, error)
            else:
                messages.success(request, _("Se registró el cambio; la nueva persona recibió su invitación."))
                return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/seat_replace.html", {"project": project, "seat": seat, "form": form},
                  status=status)
