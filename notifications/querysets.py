from django.db import models

from accounts.roles import OVERSIGHT_ROLES, roles_of


class ReminderLogQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordination and audit read every reminder sent; anyone else only their own."""
        if user is None or not user.is_authenticated:
            return self.none()
        if roles_of(user) & OVERSIGHT_ROLES:
            return self
        return self.filter(recipient=user)
