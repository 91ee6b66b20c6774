from django.db import models


class CallQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Drafts are for coordinators (and auditors); everyone sees calls once published."""
        from accounts.roles import OVERSIGHT_ROLES, roles_of
        from proposals.workflow import CallState

        if roles_of(user) & OVERSIGHT_ROLES:
            return self
        return self.exclude(status=CallState.DRAFT)

    def open_for_registration(self, now=None):
        from django.utils import timezone

        from proposals.models.calls import MEXICO_CITY
        from proposals.workflow import CallState

        today = (now or timezone.now()).astimezone(MEXICO_CITY).date()
        return self.filter(status=CallState.PUBLISHED, registration_opens_on__lte=today,
                           registration_closes_on__gte=today)


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Group members see their group's proposals, drafts included. Of submitted proposals:
        coordination, secretary, finance and audit see all; a technical reviewer only those assigned
        to them; a Committee member those before the Committee or decided. Nobody else sees any."""
        from accounts.models import Membership
        from accounts.roles import PROPOSAL_READER_ROLES, StaffRole, roles_of
        from proposals.workflow import ProposalState

        if user is None or not user.is_authenticated:
            return self.none()
        visible = models.Q(group_id__in=Membership.objects.filter(user=user).values("group_id"))
        roles = roles_of(user)
        submitted = ~models.Q(status=ProposalState.DRAFT)
        if roles & PROPOSAL_READER_ROLES:
            visible |= submitted
        else:
            if StaffRole.TECHNICAL_REVIEWER in roles:
                from proposals.models import ReviewAssignment

                assigned = ReviewAssignment.objects.filter(reviewer=user).values("proposal_id")
                visible |= submitted & models.Q(pk__in=assigned)
        # Readers that higher apps register (the Committee's members; a project's elected committees).
        from proposals.visibility import extra_readers

        visible |= extra_readers(user, roles)
        return self.filter(visible)

    def continuable_by(self, user, proposal):
        """What a proposal may continue: a submitted proposal of an earlier year that this person sees, from
        the same group or funded (selected). Never a draft, never another group's proposal they cannot see."""
        from proposals.workflow import ProposalState

        earlier = models.Q(call__fiscal_year__lt=proposal.call.fiscal_year) if proposal else models.Q(pk__in=[])
        return (self.visible_to(user).filter(earlier).exclude(folio="").exclude(pk=getattr(proposal, "pk", None))
                .filter(models.Q(group_id=getattr(proposal, "group_id", None))
                        | models.Q(status=ProposalState.SELECTED)))

    def submitted_visible_to(self, user):
        """Submitted proposals this person may read: the staff review queue. For the roles that read
        every submitted proposal it is a plain state filter, which the (submitted_at, id) index serves."""
        from accounts.roles import PROPOSAL_READER_ROLES, roles_of
        from proposals.workflow import ProposalState

        if roles_of(user) & PROPOSAL_READER_ROLES:
            return self.exclude(status=ProposalState.DRAFT)
        return self.visible_to(user).exclude(status=ProposalState.DRAFT)

    def for_list(self):
        return self.select_related("call", "group", "neighbourhood__borough")

    def needing_registration_reminder(self, call):
        """Drafts of a call: their group is reminded that registration is closing (the (call, status)
        index serves it)."""
        from proposals.workflow import ProposalState

        return self.filter(call=call, status=ProposalState.DRAFT)

    def needing_correction_reminder(self, windows):
        """Returned proposals whose correction deadline falls in a window of their call: while returned,
        the group is reminded before the deadline and the coordination after it (the status index serves)."""
        from proposals.workflow import ProposalState

        return self.filter(_any_window(windows, lambda w: models.Q(
            call_id__in=w.call_ids, correction_deadline__range=(w.low, w.high))), status=ProposalState.RETURNED)


def _any_window(windows, condition) -> models.Q:
    """Rows inside any of the windows (calls sharing a kind's offsets, and the deadlines due with them);
    no window, no rows."""
    match = models.Q(pk__in=[])
    for window in windows:
        match |= condition(window)
    return match


def local_day_starts(low, high):
    """The instants a Mexico City day range starts and ends (exclusive), for filtering date-times by day."""
    from datetime import datetime, time, timedelta

    from proposals.models.calls import MEXICO_CITY

    return (datetime.combine(low, time.min, tzinfo=MEXICO_CITY),
            datetime.combine(high + timedelta(days=1), time.min, tzinfo=MEXICO_CITY))


class AssemblyQuerySet(models.QuerySet):
    def needing_assembly_reminder(self, windows):
        """Scheduled approval assemblies, not yet recorded, on a day (Mexico City) in a window of their
        call, of proposals still waiting for them: the group is reminded the day before."""
        from proposals.models import AssemblyStatus
        from proposals.workflow import ProposalState

        def held_in(window):
            start, end = local_day_starts(window.low, window.high)
            return models.Q(proposal__call_id__in=window.call_ids, scheduled_at__gte=start, scheduled_at__lt=end)

        return self.filter(_any_window(windows, held_in), status=AssemblyStatus.SCHEDULED,
                           proposal__status=ProposalState.ASSEMBLY_SCHEDULED)


class ReviewAssignmentQuerySet(models.QuerySet):
    def needing_review_reminder(self, windows):
        """Assignments made on a day (Mexico City) inside a window of their call, while the proposal is in
        review and this reviewer has not submitted their review (the assigned_at index serves)."""
        from proposals.models import TechnicalReview
        from proposals.workflow import ProposalState

        def assigned_in(window):
            start, end = local_day_starts(window.low, window.high)
            return models.Q(proposal__call_id__in=window.call_ids, assigned_at__gte=start, assigned_at__lt=end)

        submitted = TechnicalReview.objects.filter(proposal_id=models.OuterRef("proposal_id"),
                                                   reviewer_id=models.OuterRef("reviewer_id"),
                                                   status=TechnicalReview.Status.SUBMITTED)
        return self.filter(_any_window(windows, assigned_in), proposal__status=ProposalState.IN_REVIEW).exclude(
            models.Exists(submitted))


class TechnicalReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reviews of the proposals this person reads. A draft only to its author, coordination and audit;
        a submitted review to everyone who reads the proposal. Which fields of it each one reads is
        `permissions.review_fields_for`: the pages, the API and the photo download share both."""
        from accounts.roles import OVERSIGHT_ROLES, roles_of
        from proposals.models import Proposal, TechnicalReview

        reviews = self.filter(proposal__in=Proposal.objects.visible_to(user))
        if roles_of(user) & OVERSIGHT_ROLES:
            return reviews
        return reviews.filter(models.Q(status=TechnicalReview.Status.SUBMITTED) | models.Q(reviewer=user))


class ReviewPhotoQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Site-visit photos are internal: programme staff who see the review (its author, coordination
        and audit for a draft; the proposal's staff readers once submitted). Never the group."""
        from accounts.roles import is_staff_member
        from proposals.models import TechnicalReview

        if not is_staff_member(user):
            return self.none()
        return self.filter(review__in=TechnicalReview.objects.visible_to(user))
