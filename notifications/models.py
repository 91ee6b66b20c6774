from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
