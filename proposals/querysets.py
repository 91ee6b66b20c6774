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
        """Group members see their group's proposals (drafts included); ministry staff see
        every proposal once submitted; nobody else sees any (public results come later)."""
        from accounts.roles import is_staff_member
        from proposals.workflow import ProposalState

        if user is None or not user.is_authenticated:
            return self.none()
        from accounts.models import Membership

        mine = models.Q(group_id__in=Membership.objects.filter(user=user).values("group_id"))
        if is_staff_member(user):
            return self.filter(mine | ~models.Q(status=ProposalState.DRAFT))
        return self.filter(mine)

    def for_list(self):
        return self.select_related("call", "group", "neighbourhood__borough")
