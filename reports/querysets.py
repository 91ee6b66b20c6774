from django.db import models


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A report is its requester's: the file holds what they may read, not what others may."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)
