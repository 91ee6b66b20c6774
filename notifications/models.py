from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.querysets import ReminderLogQuerySet


class Notice(models.Model):
    """An in-app notice for one person; e-mailed in the background after the change that caused it."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    subject = models.CharField(_("asunto"), max_length=250)
    body = models.TextField(_("mensaje"))
    url = models.CharField(max_length=300, blank=True)
    # What following the link does ("Revisar la propuesta MB-2027-00012"): a card never says a bare "Ver".
    link_text = models.CharField(_("texto del enlace"), max_length=200, blank=True)
    # The same notice in the site's other languages: {"en": {"subject": …, "body": …, "link_text": …}}.
    translations = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.subject

    def in_language(self, language: str) -> dict:
        """Subject, body and link text as the reader reads the site (Spanish when not translated)."""
        own = {"subject": self.subject, "body": self.body, "link_text": self.link_text}
        return {**own, **{k: v for k, v in self.translations.get(language[:2], {}).items() if v}}


class ReminderStatus(models.TextChoices):
    SENT = "sent", _("Enviado")
    OPTED_OUT = "opted_out", _("No enviado: la persona lo desactivó")


class ReminderLog(models.Model):
    """One reminder, once: written in the same transaction as its notice (whose e-mail is queued on commit),
    under a unique key, so that two sweeps at once, or the same sweep twice, never remind twice."""

    kind = models.CharField(_("tipo"), max_length=40)
    # What the reminder is about, as "<model>:<pk>" (the log outlives nothing it names: no foreign key).
    object_key = models.CharField(max_length=60)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    # The deadline and the offset ("2027-03-15-7"): a moved deadline is a new reminder.
    due_key = models.CharField(max_length=30)
    due_on = models.DateField(_("fecha en que tocaba"))
    deadline = models.DateField(_("fecha límite"))
    call_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)  # for the coordinator's filter
    status = models.CharField(_("estado"), max_length=12, choices=ReminderStatus.choices, default=ReminderStatus.SENT)
    subject = models.CharField(_("asunto"), max_length=250)
    url = models.CharField(max_length=300, blank=True)
    staff_url = models.CharField(max_length=300, blank=True)  # where the reminders page links (see Occasion)
    notice = models.ForeignKey(Notice, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The sweep that wrote the row: after an INSERT … ON CONFLICT DO NOTHING, the rows bearing this sweep's
    # token are exactly the ones it won, and only those get a notice.
    sweep = models.CharField(max_length=32)
    sent_at = models.DateTimeField(_("enviado"), auto_now_add=True)

    objects = ReminderLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("recordatorio enviado")
        verbose_name_plural = _("recordatorios enviados")
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "object_key", "recipient", "due_key"],
                                               name="reminder_once_per_person_and_due")]
        indexes = [models.Index(fields=["sweep"]), models.Index(fields=["kind", "-sent_at"])]

    def __str__(self):
        return f"{self.kind} {self.object_key} → {self.recipient_id} ({self.due_key})"
