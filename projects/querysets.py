"""Read paths of funded projects: who sees which, and the list's shape."""

from django.db import models

# Staff who read every project: coordination, finance and audit.
PROJECT_READER_ROLES = frozenset({"coordinator", "finance_officer", "auditor"})


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordination, finance and audit see every project. A person elected to one of a project's
        committees, and the members of its proposing group, see that project only. Nobody else sees any
        (the public pages come with the accountability issue and show public fields only)."""
        from accounts.models import Membership
        from accounts.roles import roles_of

        if user is None or not user.is_authenticated:
            return self.none()
        if roles_of(user) & PROJECT_READER_ROLES:
            return self
        from projects.models import CommitteeSeat

        seats = CommitteeSeat.objects.filter(user=user, ended_at__isnull=True).values("project_id")
        groups = Membership.objects.filter(user=user).values("group_id")
        return self.filter(models.Q(pk__in=seats) | models.Q(group_id__in=groups))

    def for_list(self):
        return self.select_related("neighbourhood__borough", "call", "group")

    def needing_action_of(self, user):
        """Projects waiting on this person's role: the coordination records elections and approves
        tranches; finance verifies accounts, signs agreements and releases money."""
        from accounts.roles import StaffRole, roles_of
        from projects.models import Agreement, BankAccount, Tranche
        from projects.workflow import ProjectState, TrancheState

        def having(rows):
            return models.Q(pk__in=rows.values("project_id"))

        # One small subquery per kind of waiting row, each read from an index, rather than an OR across
        # joins: with 10,000 projects that one scanned every project and tranche (benchmark_review_queue).
        from django.utils import timezone

        from projects.models import Expense, Refund, VisitObservation
        from proposals.models.calls import MEXICO_CITY

        roles = roles_of(user)
        wanted = models.Q(pk__in=[])
        if StaffRole.COORDINATOR in roles:
            wanted |= models.Q(status=ProjectState.COMMITTEES_PENDING)
            wanted |= having(Tranche.objects.filter(status=TrancheState.REQUESTED))
            # A site-visit observation the committee did not answer in time.
            today = timezone.now().astimezone(MEXICO_CITY).date()
            wanted |= having(VisitObservation.objects.filter(status="open", answer_due_on__lt=today))
            wanted |= having(VisitObservation.objects.filter(status="answered"))
        if StaffRole.FINANCE_OFFICER in roles:
            wanted |= having(BankAccount.objects.filter(status="pending"))
            signed = Agreement.objects.filter(ministry_signed_on__isnull=True).exclude(signed_file="")
            wanted |= models.Q(status=ProjectState.AGREEMENT_PENDING) & having(signed)
            wanted |= having(Tranche.objects.filter(status=TrancheState.APPROVED))
            wanted |= having(Expense.objects.filter(status="endorsed"))
            wanted |= having(Refund.objects.filter(recorded_at__isnull=True))
        return self.filter(wanted)

    # --- Deadline reminders (projects/reminders.py): each reads one call's projects through the
    # (call, status) index; the deadline range is the call's, as its offsets are.

    def needing_agreement_unsigned_reminder(self, call):
        """Projects of a call with no agreement signed by their committees yet. Once the committees uploaded
        the signed copy the ministry's signature is awaited: nothing left for them to do."""
        from projects.workflow import ProjectState

        unsigned = models.Q(agreement__isnull=True) | models.Q(agreement__signed_file="")
        return self.filter(unsigned, call=call,
                           status__in=[ProjectState.COMMITTEES_PENDING, ProjectState.AGREEMENT_PENDING])

    def needing_agreement_unsigned_staff_reminder(self, call):
        """Projects of a call that have not reached execution: committees unelected or agreement unsigned."""
        from projects.workflow import ProjectState

        return self.filter(call=call, status__in=[ProjectState.COMMITTEES_PENDING, ProjectState.AGREEMENT_PENDING])

    def needing_tranche_proof_due_reminder(self, call, low, high):
        """Projects spending money released but not yet proved, whose execution ends between low and high.
        Works completed still prove their expenses; a suspended project waits on the coordination."""
        from projects.workflow import ProjectState

        return self.filter(call=call, status__in=[ProjectState.IN_EXECUTION, ProjectState.WORKS_COMPLETED],
                           released_total__gt=models.F("verified_total"), execution_ends_on__range=(low, high))

    def needing_report_due_reminder(self, call):
        """Projects of a call in execution with the number of reports made, which with the call's period
        gives the next report's due date (projects.services.execution.report_due_after), per row without
        a query. Used by report_due, report_overdue and report_overdue_staff."""
        from projects.workflow import ProjectState

        return self.filter(call=call, status=ProjectState.IN_EXECUTION).annotate(
            reports_made=models.Count("progress_reports"))

    def needing_closure_due_reminder(self, call, low, high, *, staff=False):
        """Projects of a call not closed or cancelled whose execution ends between low and high. The
        committees are not reminded while the project is suspended (the coordination stopped the works and
        decides what follows); the coordination is, as a suspended project past its end needs its decision."""
        from projects.workflow import ProjectState

        states = [ProjectState.IN_EXECUTION, ProjectState.WORKS_COMPLETED, ProjectState.ACCOUNTABILITY]
        if staff:
            states.append(ProjectState.SUSPENDED)
        return self.filter(call=call, status__in=states, execution_ends_on__range=(low, high))


class ExpenseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An expense is read by whoever reads its project."""
        from projects.models import Project

        return self.filter(project__in=Project.objects.visible_to(user).values("pk"))

    def to_verify(self):
        """Finance's queue: endorsed expenses, oldest endorsement first (index expense_to_verify)."""
        return self.filter(status="endorsed").order_by("updated_at", "id")

    def for_list(self):
        return self.select_related("project__neighbourhood__borough", "budget_line", "cfdi")


class ObservationQuerySet(models.QuerySet):
    def needing_observation_reminder(self, call, low, high):
        """Site-visit observations still unanswered, due between low and high, of a call's projects that
        are not closed or cancelled (index observation_open_due)."""
        from projects.workflow import OPEN_STATES

        return self.filter(status="open", answer_due_on__range=(low, high), project__call=call,
                           project__status__in=OPEN_STATES)
