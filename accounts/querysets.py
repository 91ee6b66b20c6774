from django.db import models
from django.db.models import Count


class CommunityGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Members see their groups; coordinators and auditors see all; everyone else none."""
        from accounts.roles import OVERSIGHT_ROLES, roles_of

        if user is None or not user.is_authenticated:
            return self.none()
        if roles_of(user) & OVERSIGHT_ROLES:
            return self
        return self.filter(memberships__user=user)

    def of_member(self, user):
        """The groups this person belongs to: the only ones they may act for (propose, invite, hand over)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def for_list(self):
        return self.select_related("neighbourhood__borough").annotate(member_count=Count("memberships"))

