"""The committee-election assembly: the coordination schedules it and records what it decided (attendance,
votes, the minutes and the slate); anyone who sees the project downloads the minutes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from nicp.errors import StaleVersion
from nicp.storage import download_response
from projects import permissions, services
from projects.forms import ElectionRecordForm, ElectionScheduleForm, slate_forms
from projects.models import ElectionAssembly, ProjectRules
from projects.views.common import apply_error, project_for

ROW_FIELDS = ("full_name", "email", "position")


def _managed(request, pk):
    project = project_for(request.user, pk)
    if not permissions.can_manage_project(request.user, project):
        raise PermissionDenied(_("Solo la coordinación del programa registra la elección de comités."))
    return project


def _run(form, write):
    """Write when the form is valid; otherwise the status to show it again with (400, or 409 when stale)."""
    if not form.is_valid():
        return 400
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        apply_error(form, error)
        return 400
    except StaleVersion as error:
        form.add_error(None, str(error))
        return 409
    return None


@login_required
def election_schedule(request, pk):
    project = _managed(request, pk)
    form = ElectionScheduleForm(request.POST or None, initial={"version": project.version})
    status = 200
    if request.method == "POST":
        status = _run(form, lambda data: services.election_schedule(
            actor=request.user, project_id=project.pk, scheduled_at=data["scheduled_at"], place=data["place"],
            version=data.get("version")))
        if status is None:
            messages.success(request, _("Asamblea de elección programada."))
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/election_schedule.html", {"project": project, "form": form}, status=status)


def _slate(groups) -> tuple[list[dict], bool]:
    """The rows with something typed, each checked for a name and an e-mail; empty rows are left out (the
    service then says which committee lacks people)."""
    members, ok = [], True
    for _label, rows in groups:
        for row in rows:
            row.is_valid()
            typed = {name: (row.data.get(row.add_prefix(name)) or "").strip() for name in ROW_FIELDS}
            if not any(typed.values()):
                continue
            if not typed["full_name"]:
                row.add_error("full_name", _("Escribe el nombre completo."))
            if not typed["email"] and "email" not in row.errors:
                row.add_error("email", _("Escribe el correo."))
            if row.errors:
                ok = False
                continue
            members.append({**{k: row.cleaned_data[k] for k in ROW_FIELDS}, "committee": row.initial["committee"]})
    return members, ok


@login_required
def election_record(request, pk, election_pk):
    project = _managed(request, pk)
    election = get_object_or_404(ElectionAssembly, pk=election_pk, project=project)
    if election.status != ElectionAssembly.Status.SCHEDULED:
        messages.error(request, _("El resultado de esta asamblea ya se registró."))
        return redirect("projects:detail", pk=project.pk)
    per = ProjectRules.for_call(project.call).members_per_committee
    data = request.POST if request.method == "POST" else None
    form = ElectionRecordForm(data, request.FILES or None, initial={"version": project.version})
    groups = slate_forms(data, per)
    members_errors, status = [], 200
    if data is not None:
        members, rows_ok = _slate(groups)
        status = 400
        if form.is_valid() and rows_ok:
            try:
                services.election_record(actor=request.user, election_id=election.pk, members=members,
                                         **form.cleaned_data)
            except ValidationError as error:
                found = dict(error.message_dict) if hasattr(error, "error_dict") else {None: error.messages}
                members_errors = found.pop("members", [])
                for field, errors in found.items():
                    form.add_error(field if field in form.fields else None, errors)
            except StaleVersion as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(request, _("Resultado de la asamblea registrado."))
                return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/election_record.html", {
        "project": project, "election": election, "form": form, "groups": groups, "per": per,
        "members_errors": members_errors}, status=status)


@login_required
def election_minutes(request, pk, election_pk):
    project = project_for(request.user, pk)
    election = get_object_or_404(ElectionAssembly, pk=election_pk, project=project)
    if not election.minutes:
        raise Http404
    return download_response(election.minutes, stem=f"acta-eleccion-{project.code}-{election.pk}",
                             content_type="application/pdf", inline=request.GET.get("ver") == "1")
