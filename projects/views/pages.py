"""Project pages: the list and a project's page. Every route of the project pages is listed here."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from nicp.pagination import KeysFirstPaginator
from projects import permissions
from projects.forms import ProjectFilter
from projects.models import CommitteeKind, ElectionAssembly, Project
from projects.services import current_account, tranche_problems
from projects.views import actions, elections, seats
from projects.views.common import project_for
from projects.views.money import money_context
from projects.views.money_context import TRANCHE_STAGES
from projects.views.next_steps import project_next_step
from projects.workflow import ProjectState, TrancheState
from proposals.models import Proposal

PAGE_SIZE = 25
WAITING = (TrancheState.PLANNED, TrancheState.WITHHELD, TrancheState.REQUESTED, TrancheState.APPROVED)


@login_required
def project_list(request):
    rows = ProjectFilter(request.GET or None, queryset=Project.objects.visible_to(request.user).for_list(),
                         request=request)
    valid = not rows.is_bound or rows.form.is_valid()
    # Bad filter values list nothing (the errors say why) rather than quietly listing everything.
    projects = rows.qs if valid else rows.queryset.none()
    counts = dict((rows.without_status() if rows.is_bound and valid else projects)
                  .order_by().values_list("status").annotate(n=Count("id")))
    page = KeysFirstPaginator(projects.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k not in ("page", "status")}
    states = [(code, label, counts[code]) for code, label in ProjectState.choices if counts.get(code)]
    return render(request, "projects/list.html", {
        "filter": rows, "page": page, "states": states, "total": page.paginator.count,
        "query": urlencode(query), "status": request.GET.get("status", ""),
    }, status=200 if valid else 400)


def detail_context(request, project: Project) -> dict:
    user = request.user
    all_seats = list(project.seats.select_related("replaced_by").order_by("committee", "position", "id"))
    current = [s for s in all_seats if s.active]
    committees = [(kind, label, [s for s in current if s.committee == kind])
                  for kind, label in CommitteeKind.choices]
    elections_held = list(project.elections.all())
    for election in elections_held:  # its result is recorded once it has been held, not before
        election.due = election.scheduled_at <= timezone.now()
    tranches = list(project.tranches.all())
    next_tranche = next((t for t in tranches if t.status in WAITING), None)
    if project.status not in TRANCHE_STAGES:  # works done, closed or cancelled: no tranche is coming
        next_tranche = None
    problems = tranche_problems(next_tranche, project) if next_tranche is not None else []
    account = current_account(project)
    agreement = getattr(project, "agreement", None)
    my_seat = next((s for s in current if s.user_id == user.pk), None)
    manager = permissions.can_manage_project(user, project)
    return {
        "project": project, "committees": committees, "history": [s for s in all_seats if not s.active],
        "elections": elections_held, "tranches": tranches, "next_tranche": next_tranche, "problems": problems,
        "events": project.events.select_related("actor").order_by("created_at", "id"),
        "can_manage": manager, "my_seat": my_seat,
        "can_schedule": manager and project.status == ProjectState.COMMITTEES_PENDING
        and not any(e.status == ElectionAssembly.Status.SCHEDULED for e in elections_held),
        # Committee members who are not in the group do not see the proposal: no link that ends in a 404.
        "proposal_visible": Proposal.objects.visible_to(user).filter(pk=project.proposal_id).exists(),
        "action_forms": actions.forms_for(project) if manager else [],
        "what_next": project_next_step(user, project, seat=my_seat, elections=elections_held, tranches=tranches,
                                       account=account, agreement=agreement, next_tranche=next_tranche,
                                       problems=problems),
    }


def project_page(request, project, *, status=200, **extra):
    """The project's page; `extra` replaces parts of it (a form bound to what was typed)."""
    context = {**detail_context(request, project), **money_context(request, project), **extra}
    return render(request, "projects/detail.html", context, status=status)


@login_required
def project_detail(request, pk):
    return project_page(request, project_for(request.user, pk))


urlpatterns = [
    path("", project_list, name="list"),
    path("<int:pk>/", project_detail, name="detail"),
    path("<int:pk>/accion/", actions.project_action, name="action"),
    path("<int:pk>/eleccion/", elections.election_schedule, name="election_schedule"),
    path("<int:pk>/eleccion/<int:election_pk>/resultado/", elections.election_record, name="election_record"),
    path("<int:pk>/eleccion/<int:election_pk>/acta/", elections.election_minutes, name="election_minutes"),
    path("<int:pk>/comites/<int:seat_pk>/sustituir/", seats.seat_replace, name="seat_replace"),
    path("invitacion/<str:token>/", seats.seat_accept, name="seat_accept"),
]
