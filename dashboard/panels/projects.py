"""Funded projects on the start page: the community's projects with the next thing to do, and the
coordination's counts of projects waiting on it. Queries stay the same whatever the number of projects."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from accounts.roles import StaffRole
from dashboard.panels.base import Panel, first
from projects.models import BankAccount, CommitteeSeat, ElectionAssembly, Project, Tranche, VisitObservation
from projects.querysets import PROJECT_READER_ROLES
from projects.views.next_steps import committee_step, execution_step
from projects.workflow import ProjectState, TrancheState

WORKS_STAGES = (ProjectState.IN_EXECUTION, ProjectState.SUSPENDED, ProjectState.WORKS_COMPLETED,
                ProjectState.ACCOUNTABILITY)
WAITING = (TrancheState.PLANNED, TrancheState.WITHHELD, TrancheState.REQUESTED, TrancheState.APPROVED)


def community_applies(user, roles) -> bool:
    return not (roles & PROJECT_READER_ROLES) and Project.objects.visible_to(user).exists()


def community_build(user, today) -> dict:
    seats = (CommitteeSeat.objects.filter(user=user, ended_at__isnull=True)
             .select_related("project__agreement")
             .prefetch_related(Prefetch("project__tranches", queryset=Tranche.objects.order_by("number")),
                               Prefetch("project__bank_accounts",
                                        queryset=BankAccount.objects.exclude(status=BankAccount.Status.REPLACED)))
             .order_by("-project_id"))
    seats, seat_total = first(seats)
    rows = []
    for seat in seats:
        project = seat.project
        tranche = next((t for t in project.tranches.all() if t.status in WAITING), None)
        account = next(iter(project.bank_accounts.all()), None)
        step = committee_step(project, seat, account, getattr(project, "agreement", None), tranche, None)
        if project.status in WORKS_STAGES and seat.accepted_at and not (step and step.get("action")):
            # In the works the next thing is an expense, a report or an observation (a few queries per
            # project, for the first LIST_LIMIT projects only).
            step = execution_step(user, project, seat) or step
        rows.append((seat, project, step))
    seated = [seat.project_id for seat in seats]
    group_projects = first(Project.objects.visible_to(user).exclude(pk__in=seated).order_by("-id"))
    return {"rows": rows, "seat_total": seat_total, "group_projects": group_projects}


def coordinator_applies(user, roles) -> bool:
    return StaffRole.COORDINATOR in roles


def coordinator_build(user, today) -> dict:
    visible = Project.objects.visible_to(user)
    counts = visible.aggregate(
        to_elect=Count("pk", filter=Q(status=ProjectState.COMMITTEES_PENDING)),
        agreement=Count("pk", filter=Q(status=ProjectState.AGREEMENT_PENDING)),
        running=Count("pk", filter=Q(status=ProjectState.IN_EXECUTION)),
        suspended=Count("pk", filter=Q(status=ProjectState.SUSPENDED)))
    to_record = ElectionAssembly.objects.filter(project__in=visible, status=ElectionAssembly.Status.SCHEDULED,
                                                scheduled_at__lt=timezone.now()).count()
    requested = Tranche.objects.filter(project__in=visible, status=TrancheState.REQUESTED).count()
    # Site-visit observations the committees did not answer in time, and answers waiting for review.
    observations = VisitObservation.objects.filter(project__in=visible).aggregate(
        overdue=Count("pk", filter=Q(status=VisitObservation.Status.OPEN, answer_due_on__lt=today)),
        answered=Count("pk", filter=Q(status=VisitObservation.Status.ANSWERED)))
    return {**counts, **observations, "to_record": to_record, "requested": requested,
            "needing": visible.needing_action_of(user).count()}


COMMUNITY_PANEL = Panel(key="project_community", template="dashboard/panels/project_community.html",
                        applies=community_applies, build=community_build)
COORDINATOR_PANEL = Panel(key="project_coordinator", template="dashboard/panels/project_coordinator.html",
                          applies=coordinator_applies, build=coordinator_build)
