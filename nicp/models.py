"""The kernel's one abstract model: the append-only event row every workflow writes."""

from django.conf import settings
from django.db import models


class WorkflowEvent(models.Model):
    """One step of an entity's timeline: who did what, when, from which state to which. Each app's event
    table adds the foreign key to its entity (and what else it records); rows are only ever added."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=30)
    to_state = models.CharField(max_length=30)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("Workflow events are append-only.")
        super().save(*args, **kwargs)
