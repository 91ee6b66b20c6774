"""The annual call (convocatoria): everything that changes from year to year is data here."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nicp import bounds
from nicp.bounds import between, plausible_date
from nicp.models import WorkflowEvent
from nicp.storage import random_name
from proposals.querysets import CallQuerySet
from proposals.workflow import CallState

MEXICO_CITY = ZoneInfo("America/Mexico_City")


class ProjectType(models.TextChoices):
    COMMUNITY_CENTRE = "community_centre", _("Centro comunitario")
    CULTURAL_CENTRE = "cultural_centre", _("Centro cultural")
    PARK = "park", _("Parque o jardín")
    SPORTS = "sports", _("Área deportiva o recreativa")
    SITE_MUSEUM = "site_museum", _("Museo de sitio")
    LIGHTING = "lighting", _("Alumbrado")
    STAIRS_WALKWAYS = "stairs_walkways", _("Escaleras y andadores")
    OTHER = "other", _("Otro")


class Modality(models.TextChoices):
    NEW = "new", _("Proyecto nuevo")
    CONTINUATION = "continuation", _("Continuación de un proyecto anterior")


class Call(models.Model):
    fiscal_year = models.PositiveSmallIntegerField(_("ejercicio fiscal"), unique=True,
                                                   validators=[MinValueValidator(2007), MaxValueValidator(2100)])
    title = models.CharField(_("título"), max_length=250)
    summary = models.TextField(_("presentación"), blank=True, max_length=bounds.TEXT_MAX)
    status = models.CharField(_("estado"), max_length=20, choices=CallState.choices, default=CallState.DRAFT)
    total_budget = models.DecimalField(_("presupuesto total (MXN)"), max_digits=14, decimal_places=2,
                                       validators=between(1, bounds.CALL_BUDGET_MAX))
    eligible_project_types = models.JSONField(_("tipos de proyecto elegibles"), default=list)
    excluded_works = models.TextField(_("obras excluidas (una por línea)"), blank=True, max_length=bounds.TEXT_MAX)
    priority_strata = models.JSONField(_("estratos con prioridad"), default=list, blank=True)
    registration_opens_on = models.DateField(_("abre el registro"), validators=[plausible_date])
    registration_closes_on = models.DateField(_("cierra el registro"), validators=[plausible_date])
    assembly_window_starts_on = models.DateField(_("inicio de asambleas"), validators=[plausible_date])
    assembly_window_ends_on = models.DateField(_("fin de asambleas"), validators=[plausible_date])
    technical_review_deadline = models.DateField(_("fecha límite de dictamen técnico"), validators=[plausible_date])
    committee_date = models.DateField(_("sesión del Comité Técnico Mixto"), validators=[plausible_date])
    results_date = models.DateField(_("publicación de resultados"), validators=[plausible_date])
    execution_deadline = models.DateField(_("fecha límite de ejecución"), validators=[plausible_date])
    assembly_before_review = models.BooleanField(_("la asamblea va antes del dictamen técnico"), default=True)
    assembly_quorum = models.PositiveIntegerField(_("quórum de asamblea (personas)"), default=30,
                                                  validators=between(1, bounds.PEOPLE_MAX))
    committee_quorum = models.PositiveSmallIntegerField(_("quórum del Comité Técnico Mixto (integrantes)"),
                                                        default=6,
                                                        validators=between(1, bounds.MAX_PRESENT_MEMBERS))
    max_selected_per_borough = models.PositiveIntegerField(
        _("máximo de proyectos seleccionados por alcaldía"), null=True, blank=True,
        validators=between(1, bounds.PLACES_MAX),
        help_text=_("Vacío: sin tope por alcaldía."))
    waitlist_size = models.PositiveIntegerField(
        _("tamaño de la lista de espera"), default=10, validators=[MaxValueValidator(bounds.PLACES_MAX)],
        help_text=_("Las propuestas mejor calificadas que no alcancen presupuesto, hasta este número, quedan en "
                    "lista de espera; las demás, no seleccionadas."))
    required_attachment_kinds = models.JSONField(_("anexos obligatorios"), default=list, blank=True)
    max_file_size_mb = models.PositiveSmallIntegerField(_("tamaño máximo por archivo (MB)"), default=10,
                                                        validators=[MinValueValidator(1), MaxValueValidator(50)])
    max_files_per_proposal = models.PositiveSmallIntegerField(_("archivos por propuesta"), default=20,
                                                              validators=between(1, 100))
    max_total_size_mb = models.PositiveSmallIntegerField(_("tamaño total por propuesta (MB)"), default=60,
                                                         validators=between(1, 1000))
    # When each reminder goes out, in days from its deadline (-7: a week before; 1: the day after), by kind
    # code; a kind not named here uses its catalogue default (notifications/reminders.py).
    # The rules of the call say whether the names of the people on a project's committees are public; by
    # default the public pages name the committees and their positions only.
    committee_names_public = models.BooleanField(
        _("los nombres de quienes integran los comités son públicos"), default=False,
        help_text=_("Si se marca, la página pública de cada proyecto muestra los nombres de las personas de sus "
                    "comités; si no, solo los comités y sus cargos."))
    reminder_offsets = models.JSONField(_("días de los recordatorios"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("convocatoria")
        verbose_name_plural = _("convocatorias")
        ordering = ["-fiscal_year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(total_budget__gte=1, total_budget__lte=bounds.CALL_BUDGET_MAX),
                                   name="call_total_budget_bounded"),
        ]

    def __str__(self):
        return self.title

    @property
    def registration_opens_at(self) -> datetime:
        return datetime.combine(self.registration_opens_on, time.min, tzinfo=MEXICO_CITY)

    @property
    def registration_closes_at(self) -> datetime:
        """The last instant of the closing day, Mexico City time (23:59:59.999999)."""
        return datetime.combine(self.registration_closes_on, time.max, tzinfo=MEXICO_CITY)

    def registration_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return (self.status == CallState.PUBLISHED
                and self.registration_opens_at <= now <= self.registration_closes_at)

    def days_left(self, now: datetime | None = None) -> int | None:
        today = (now or timezone.now()).astimezone(MEXICO_CITY).date()
        if not self.registration_open(now):
            return None
        return (self.registration_closes_on - today).days

    @property
    def excluded_works_list(self) -> list[str]:
        return [line.strip() for line in self.excluded_works.splitlines() if line.strip()]

    def eligible_type_labels(self) -> list[str]:
        return [ProjectType(code).label for code in self.eligible_project_types if code in ProjectType.values]

    def required_kind_labels(self) -> list[str]:
        from proposals.models.proposals import AttachmentKind

        return [AttachmentKind(k).label for k in self.required_attachment_kinds if k in AttachmentKind.values]


class CallModality(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="modalities")
    modality = models.CharField(_("modalidad"), max_length=20, choices=Modality.choices)
    min_amount = models.DecimalField(_("monto mínimo"), max_digits=12, decimal_places=2,
                                     validators=between(0, bounds.PROPOSAL_AMOUNT_MAX))
    max_amount = models.DecimalField(_("monto máximo"), max_digits=12, decimal_places=2,
                                     validators=between(1, bounds.PROPOSAL_AMOUNT_MAX))

    class Meta:
        ordering = ["modality"]
        constraints = [
            models.UniqueConstraint(fields=["call", "modality"], name="call_modality_once"),
            models.CheckConstraint(condition=models.Q(max_amount__gte=models.F("min_amount")),
                                   name="call_modality_range_ordered"),
            models.CheckConstraint(condition=models.Q(min_amount__gte=0, max_amount__gte=1,
                                                      max_amount__lte=bounds.PROPOSAL_AMOUNT_MAX),
                                   name="call_modality_amounts_bounded"),
        ]

    def __str__(self):
        return f"{self.get_modality_display()}: {self.min_amount}–{self.max_amount}"


class TranchePlanItem(models.Model):
    """One tranche (ministración) of the call's plan and the conditions to release it."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="tranche_plan")
    number = models.PositiveSmallIntegerField(_("número"), validators=between(1, bounds.MAX_TRANCHES))
    share_percent = models.DecimalField(_("porcentaje del monto"), max_digits=5, decimal_places=2,
                                        validators=[MinValueValidator(1), MaxValueValidator(100)])
    progress_required_percent = models.PositiveSmallIntegerField(_("avance requerido (%)"), default=0,
                                                                 validators=[MaxValueValidator(100)])
    previous_spending_verified = models.BooleanField(_("requiere comprobación de la ministración anterior"),
                                                     default=False)
    # How much of the previous tranche must be proved with verified expenses, when proof is required.
    previous_proved_percent = models.PositiveSmallIntegerField(
        _("comprobación requerida de la anterior (%)"), default=100, validators=[MaxValueValidator(100)])
    documents_required = models.TextField(_("documentos requeridos (uno por línea)"), blank=True,
                                          max_length=bounds.NOTE_MAX)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="tranche_plan_number_once")]

    def __str__(self):
        return f"{self.number}: {self.share_percent} %"


class RubricCriterion(models.Model):
    class Computed(models.TextChoices):
        NONE = "", _("Lo califica el Comité")
        STRATUM = "stratum", _("Prioridad por estrato de desarrollo social")
        POPULATION_PER_PESO = "population_per_peso", _("Población beneficiada por peso")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="rubric")
    name = models.CharField(_("criterio"), max_length=200)
    weight = models.DecimalField(_("peso (%)"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(0), MaxValueValidator(100)])
    computed = models.CharField(_("cálculo automático"), max_length=30, choices=Computed.choices, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.name} ({self.weight} %)"


def call_document_path(instance, filename):
    return random_name(f"calls/{instance.call_id}", filename, extension="pdf")


class CallDocument(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("título"), max_length=200)
    file = models.FileField(_("archivo PDF"), upload_to=call_document_path)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.title


class CallEvent(WorkflowEvent):
    """Append-only timeline of a call's states."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self):
        return f"{self.call_id}: {self.action}"


class CallChange(models.Model):
    """A change to a published call's rules, with its reason: nothing changes silently."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.TextField(_("motivo"), max_length=bounds.NOTE_MAX)
    changes = models.JSONField(default=dict)  # field -> [before, after]
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.call_id}: {', '.join(self.changes)}"


class FolioCounter(models.Model):
    """The last folio number given in a call; locked row so concurrent submissions never share one."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, primary_key=True, related_name="folio_counter")
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.call_id}: {self.last_number}"
