"""The Mixed Technical Committee (Comité Técnico Mixto) of a call: members, recusals, scores, session."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nicp.storage import random_name


class Committee(models.Model):
    call = models.OneToOneField("proposals.Call", on_delete=models.CASCADE, related_name="committee")
    secretary = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("secretaría"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Comité Técnico Mixto")
        verbose_name_plural = _("Comités Técnicos Mixtos")

    def __str__(self):
        return f"{self.call}"


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("Servidora o servidor público")
    ACADEMIA = "academia", _("Academia")
    CIVIL_SOCIETY = "civil_society", _("Sociedad civil")


class CommitteeMember(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_seats")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    institution = models.CharField(_("institución"), max_length=200)

    class Meta:
        ordering = ["sector", "id"]
        constraints = [models.UniqueConstraint(fields=["committee", "user"], name="committee_member_once")]

    def __str__(self):
        return f"{self.user} ({self.get_sector_display()})"


class Recusal(models.Model):
    """A member steps aside from one proposal: declared, or automatic when they belong to its group."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="recusals")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="recusals")
    reason = models.TextField(_("motivo"))
    automatic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "proposal"], name="recusal_once")]

    def __str__(self):
        return f"{self.member} ↛ {self.proposal_id}"


class ScoreSheet(models.Model):
    """One member's scores for one proposal: criterion id -> {"value": 1..5, "comment": ""}."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        SUBMITTED = "submitted", _("Enviada")

    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="score_sheets")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="score_sheets")
    scores = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    weighted_score = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "proposal"], name="score_sheet_once")]

    def __str__(self):
        return f"{self.member_id} · {self.proposal_id} · {self.status}"


def minutes_path(instance, filename):
    return random_name(f"committees/{instance.committee_id}", filename, extension="pdf")


class Session(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("En sesión")
        CLOSED = "closed", _("Cerrada")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("fecha"))
    present = models.ManyToManyField(CommitteeMember, related_name="sessions_attended", verbose_name=_("presentes"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    minutes = models.FileField(_("acta"), upload_to=minutes_path, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["committee"], condition=models.Q(status="open"),
                                               name="one_open_session_per_committee")]

    def __str__(self):
        return f"{self.committee} · {self.held_on}"


class Outcome(models.TextChoices):
    SELECTED = "selected", _("Seleccionada")
    WAITLISTED = "waitlisted", _("Lista de espera")
    NOT_SELECTED = "not_selected", _("No seleccionada")


class SelectionEntry(models.Model):
    """A proposal's place in the session's ranking and what the committee decided for it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="entries")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField()
    weighted_score = models.DecimalField(max_digits=6, decimal_places=3)
    assigned_amount = models.DecimalField(max_digits=14, decimal_places=2)
    proposed_outcome = models.CharField(max_length=20, choices=Outcome.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    change_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["session", "proposal"], name="selection_entry_once")]

    def __str__(self):
        return f"{self.rank}. {self.proposal_id} {self.outcome}"


class Vote(models.Model):
    class Choice(models.TextChoices):
        FOR = "for", _("A favor")
        AGAINST = "against", _("En contra")
        ABSTAIN = "abstain", _("Abstención")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="votes")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    cast_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="vote_once")]

    def __str__(self):
        return f"{self.member_id}: {self.choice}"
