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
