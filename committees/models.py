"""The Mixed Technical Committee (Comité Técnico Mixto) of a call: members, recusals, scores, session."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from committees.querysets import CommitteeMemberQuerySet
from nicp import bounds
from nicp.bounds import between, plausible_date
from nicp.storage import random_name


class UnscoredRule(models.TextChoices):
    """What opening the session does when scores are missing: the call's rule, kept with its Committee."""

    ALLOW_WITH_DECISION = "allow_with_decision", _("Se puede abrir con una decisión registrada")
    REFUSE = "refuse", _("No se abre hasta que todo esté calificado")


class Committee(models.Model):
    call = models.OneToOneField("proposals.Call", on_delete=models.CASCADE, related_name="committee")
    secretary = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("secretaría"))
    unscored_rule = models.CharField(_("sesión con calificaciones pendientes"), max_length=30,
                                     choices=UnscoredRule.choices, default=UnscoredRule.ALLOW_WITH_DECISION)
    # Fewest submitted sheets a proposal needs to be ranked; empty: a majority of its non-recused members.
    min_score_sheets = models.PositiveSmallIntegerField(
        _("mínimo de hojas de calificación por propuesta"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(bounds.MAX_PRESENT_MEMBERS)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Comité Técnico Mixto")
        verbose_name_plural = _("Comités Técnicos Mixtos")
        constraints = [
            models.CheckConstraint(condition=Q(unscored_rule__in=UnscoredRule.values),
                                   name="committee_unscored_rule_known"),
            models.CheckConstraint(condition=Q(min_score_sheets__isnull=True) | Q(min_score_sheets__gte=1),
                                   name="committee_min_score_sheets_positive"),
        ]

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

    objects = CommitteeMemberQuerySet.as_manager()

    class Meta:
        ordering = ["sector", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="committee_member_once"),
            models.CheckConstraint(condition=Q(sector__in=Sector.values), name="committee_member_sector_known"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_sector_display()})"


class Recusal(models.Model):
    """A member steps aside from one proposal: declared, or automatic when they belong to its group."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="recusals")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="recusals")
    reason = models.TextField(_("motivo"), max_length=bounds.NOTE_MAX)
    automatic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "proposal"], name="recusal_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="recusal_has_reason"),
        ]

    def __str__(self):
        return f"{self.member} ↛ {self.proposal_id}"


SCORE_MIN, SCORE_MAX = 1, 5
WEIGHTED_SCORE_BOUNDS = [MinValueValidator(0), MaxValueValidator(SCORE_MAX)]


class ScoreSheet(models.Model):
    """One member's scores for one proposal: criterion id -> {"value": 1..5, "comment": ""}.
    A sheet of a member who turns out to be in conflict is voided: kept, with why, and never counted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        SUBMITTED = "submitted", _("Enviada")
        VOIDED = "voided", _("Anulada por conflicto de interés")

    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="score_sheets")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="score_sheets")
    scores = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    weighted_score = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True,
                                         validators=WEIGHTED_SCORE_BOUNDS)
    version = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    submitted_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(_("motivo de la anulación"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "proposal"], name="score_sheet_once"),
            models.CheckConstraint(condition=Q(status__in=["draft", "submitted", "voided"]),
                                   name="score_sheet_status_known"),
            models.CheckConstraint(condition=Q(weighted_score__isnull=True)
                                   | Q(weighted_score__gte=0, weighted_score__lte=SCORE_MAX),
                                   name="score_sheet_weighted_score_0_to_5"),
            # A submitted sheet has every criterion scored 1–5, so its weighted mean is 1–5 too.
            models.CheckConstraint(condition=~Q(status="submitted")
                                   | Q(submitted_at__isnull=False, weighted_score__gte=SCORE_MIN),
                                   name="score_sheet_submitted_is_complete"),
            models.CheckConstraint(condition=~Q(status="voided") | (Q(voided_at__isnull=False) & ~Q(void_reason="")),
                                   name="score_sheet_voided_says_why"),
            models.CheckConstraint(condition=Q(version__gte=1), name="score_sheet_version_positive"),
        ]

    def __str__(self):
        return f"{self.member_id} · {self.proposal_id} · {self.status}"

    def clean(self):
        """Every score is a whole number 1–5 (or not yet given); JSON cannot say so to the database."""
        if not isinstance(self.scores, dict):
            raise ValidationError({"scores": _("Las calificaciones no tienen el formato esperado.")})
        for entry in self.scores.values():
            value = entry.get("value") if isinstance(entry, dict) else entry
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
                raise ValidationError({"scores": _("Cada calificación va de 1 a 5.")})


def minutes_path(instance, filename):
    return random_name(f"committees/{instance.committee_id}", filename, extension="pdf")


class Session(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("En sesión")
        CLOSED = "closed", _("Cerrada")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("fecha"), validators=[plausible_date])
    present = models.ManyToManyField(CommitteeMember, related_name="sessions_attended", verbose_name=_("presentes"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    minutes = models.FileField(_("acta"), upload_to=minutes_path, blank=True)
    # The secretary's recorded decision to open although scores were missing (empty when none were).
    unscored_decision = models.TextField(_("decisión sobre calificaciones pendientes"), blank=True,
                                         max_length=bounds.NOTE_MAX)
    version = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["committee"], condition=models.Q(status="open"),
                                    name="one_open_session_per_committee"),
            models.CheckConstraint(condition=Q(status__in=["open", "closed"]), name="session_status_known"),
            models.CheckConstraint(condition=~Q(status="closed") | Q(closed_at__isnull=False),
                                   name="session_closed_has_date"),
            models.CheckConstraint(condition=Q(version__gte=1), name="session_version_positive"),
            models.CheckConstraint(condition=Q(held_on__gte=bounds.DATE_MIN, held_on__lte=bounds.DATE_MAX),
                                   name="session_held_on_plausible"),
        ]

    def __str__(self):
        return f"{self.committee} · {self.held_on}"


class Outcome(models.TextChoices):
    SELECTED = "selected", _("Seleccionada")
    WAITLISTED = "waitlisted", _("Lista de espera")
    NOT_SELECTED = "not_selected", _("No seleccionada")


class SelectionEntry(models.Model):
    """A proposal's place in the session's ranking and what the committee decided for it.

    `outcome` is the one in force: the voted one, until publication or a later withdrawal moves a
    waitlisted proposal up. `dropped` marks a proposal that left the selection after the vote (withdrawn,
    or otherwise no longer able to take its outcome); `after_vote_note` says what changed and why."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="entries")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    weighted_score = models.DecimalField(max_digits=6, decimal_places=3, validators=WEIGHTED_SCORE_BOUNDS)
    assigned_amount = models.DecimalField(max_digits=14, decimal_places=2,
                                          validators=between(0, bounds.PROPOSAL_AMOUNT_MAX))
    proposed_outcome = models.CharField(max_length=20, choices=Outcome.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    change_reason = models.TextField(blank=True, max_length=bounds.NOTE_MAX)
    dropped = models.BooleanField(_("fuera de la selección"), default=False)
    after_vote_note = models.TextField(_("cambio posterior a la votación"), blank=True)

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["session", "proposal"], name="selection_entry_once"),
            models.UniqueConstraint(fields=["session", "rank"], name="selection_entry_rank_once"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="selection_entry_rank_positive"),
            models.CheckConstraint(condition=Q(weighted_score__gte=0, weighted_score__lte=SCORE_MAX),
                                   name="selection_entry_score_0_to_5"),
            models.CheckConstraint(condition=Q(assigned_amount__gte=0, assigned_amount__lte=bounds.PROPOSAL_AMOUNT_MAX),
                                   name="selection_entry_amount_in_bounds"),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values, proposed_outcome__in=Outcome.values),
                                   name="selection_entry_outcome_known"),
            models.CheckConstraint(condition=Q(dropped=False) | ~Q(after_vote_note=""),
                                   name="selection_entry_dropped_says_why"),
        ]

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
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="vote_once"),
            models.CheckConstraint(condition=Q(choice__in=["for", "against", "abstain"]), name="vote_choice_known"),
        ]

    def __str__(self):
        return f"{self.member_id}: {self.choice}"


class CommitteeEvent(models.Model):
    """Append-only record of what happened to the Committee's work outside its own votes: automatic
    recusals, voided score sheets, a list recomputed, proposals that left or joined the selection."""

    class Action(models.TextChoices):
        RECUSED = "recused", _("Excusa automática por conflicto de interés")
        SCORES_VOIDED = "scores_voided", _("Calificaciones anuladas")
        SELECTION_REBUILT = "selection_rebuilt", _("Propuesta de selección recalculada")
        PROPOSAL_LEFT = "proposal_left", _("Una propuesta dejó de estar ante el Comité")
        DROPPED = "dropped", _("Quedó fuera de la selección")
        PROMOTED = "promoted", _("Pasó de la lista de espera a la selección")
        OPENED_WITH_UNSCORED = "opened_with_unscored", _("Sesión abierta con calificaciones pendientes")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=Action.choices)
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    member = models.ForeignKey(CommitteeMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(note=""), name="committee_event_says_why")]

    def __str__(self):
        return f"{self.committee_id} · {self.action}"
