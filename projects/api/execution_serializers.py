"""What the works-stage API shows and takes: expenses, progress reports, logbook entries, site visits and
closure. Files never leave as files here: each is a URL to the page's download view, which reads the record
through visible_to again (null while that view does not exist)."""

import json

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from nicp import bounded_api, bounds
from nicp.api_pagination_rows import FlatListSerializer
from projects.models import (
    Cfdi,
    Expense,
    LogbookEntry,
    ProgressReport,
    ProjectPhoto,
    SiteVisit,
    VisitObservation,
)
from projects.progress import CENT
from projects.services.execution import MAX_PHOTOS
from projects.workflow import ExpenseAction, ReportAction


def file_url(context, name: str, **kwargs) -> str | None:
    """The download view's URL, absolute when the request is known; null if that route is not there."""
    try:
        path = reverse(f"projects:{name}", kwargs=kwargs)
    except NoReverseMatch:
        return None
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def _name(user) -> str | None:
    return user.get_full_name() if user else None


URL = serializers.URLField(allow_null=True, read_only=True)


# --- Photos -----------------------------------------------------------------------------------------------

class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("La foto, servida a quien ve el proyecto."))

    class Meta:
        model = ProjectPhoto
        fields = ["id", "url", "caption", "latitude", "longitude", "taken_at", "far_from_site", "is_public",
                  "uploaded_at"]
        read_only_fields = fields

    @extend_schema_field(URL)
    def get_url(self, photo) -> str | None:
        return file_url(self.context, "photo", pk=photo.project_id, photo_pk=photo.pk)


def photo_list(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                 **bounded_api.list_cap(MAX_PHOTOS), **kwargs)


# --- Expenses ---------------------------------------------------------------------------------------------

class CfdiSerializer(serializers.ModelSerializer):
    sat_status_label = serializers.CharField(source="get_sat_status_display", read_only=True)
    xml_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Cfdi
        fields = ["uuid", "issuer_rfc", "issuer_name", "receiver_rfc", "issued_at", "subtotal", "total", "currency",
                  "kind", "sat_status", "sat_status_label", "sat_detail", "sat_checked_at", "xml_url", "pdf_url"]
        read_only_fields = fields

    @extend_schema_field(URL)
    def get_xml_url(self, invoice) -> str | None:
        expense = invoice.expense  # cached by Expense.objects.for_list()'s select_related("cfdi")
        return file_url(self.context, "expense_file", pk=expense.project_id, expense_pk=expense.pk, which="xml")

    @extend_schema_field(URL)
    def get_pdf_url(self, invoice) -> str | None:
        if not invoice.pdf_file:
            return None
        expense = invoice.expense
        return file_url(self.context, "expense_file", pk=expense.project_id, expense_pk=expense.pk, which="pdf")


class ExpenseSerializer(serializers.ModelSerializer):
    """An expense, read through Expense.objects.for_list(): no field costs a query."""

    project_code = serializers.CharField(source="project.code", read_only=True)
    budget_line_concept = serializers.CharField(source="budget_line.concept", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    # One nested serializer for the whole list: building one per row cost about 20 ms a row.
    cfdi = CfdiSerializer(read_only=True, allow_null=True,
                          help_text=_("Lo leído del XML de la factura; null en un recibo simple."))
    receipt_url = serializers.SerializerMethodField(help_text=_("El recibo simple firmado; null en una factura."))

    class Meta:
        model = Expense
        list_serializer_class = FlatListSerializer  # the same JSON, fields looked up once per page
        fields = ["id", "project", "project_code", "budget_line", "budget_line_concept", "kind", "kind_label",
                  "status", "status_label", "version", "spent_on", "supplier", "supplier_rfc", "concept", "amount",
                  "over_budget_reason", "last_note", "recorded_at", "updated_at", "cfdi", "receipt_url"]
        read_only_fields = fields

    @extend_schema_field(URL)
    def get_receipt_url(self, expense) -> str | None:
        if not expense.receipt_file:
            return None
        return file_url(self.context, "expense_file", pk=expense.project_id, expense_pk=expense.pk, which="recibo")


class InvoiceReadingSerializer(serializers.Serializer):
    """What was read from an XML before recording it, and why it could not be recorded."""

    acceptable = serializers.BooleanField(help_text=_("true: la factura se puede registrar tal cual."))
    problems = serializers.ListField(child=serializers.CharField())
    uuid = serializers.CharField(allow_null=True)
    issuer_rfc = serializers.CharField(allow_null=True)
    issuer_name = serializers.CharField(allow_null=True)
    receiver_rfc = serializers.CharField(allow_null=True)
    issued_at = serializers.DateTimeField(allow_null=True)
    subtotal = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    total = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    currency = serializers.CharField(allow_null=True)
    kind = serializers.CharField(allow_null=True)
    version = serializers.CharField(allow_null=True)

    @staticmethod
    def of(reading) -> dict:
        cfdi = reading.cfdi
        read = {name: getattr(cfdi, name, None) for name in
                ["uuid", "issuer_rfc", "issuer_name", "receiver_rfc", "issued_at", "subtotal", "total", "currency",
                 "kind", "version"]}
        return {"acceptable": reading.acceptable, "problems": [str(p) for p in reading.problems], **read}


def _text(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, **kwargs)


def _optional_text(max_length: int = bounds.NOTE_MAX, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, default="", **kwargs)


class InvoiceReadInput(serializers.Serializer):
    xml = serializers.FileField(help_text=_("El XML del CFDI 4.0 tal como lo timbró el SAT."))


class InvoiceExpenseInput(serializers.Serializer):
    xml = serializers.FileField(help_text=_("El XML del CFDI 4.0: fecha, proveedor e importe se leen de él."))
    pdf = serializers.FileField(required=False, allow_null=True, default=None,
                                help_text=_("Su representación impresa (PDF), si la tienes."))
    budget_line = bounded_api.record_id(help_text=_("Id del concepto del presupuesto al que se carga."))
    concept = _text(250, help_text=_("Qué se compró o pagó."))
    over_budget_reason = _optional_text(help_text=_("Obligatoria si el concepto del presupuesto se sobregasta."))
    version = bounded_api.version()


class SimpleExpenseInput(serializers.Serializer):
    receipt = serializers.FileField(help_text=_("El recibo firmado: PDF o foto (JPEG, PNG o WEBP)."))
    budget_line = bounded_api.record_id(help_text=_("Id del concepto del presupuesto al que se carga."))
    spent_on = bounded_api.plausible_date()
    supplier = _text(250, help_text=_("A quién se pagó."))
    concept = _text(250)
    amount = bounded_api.money(min_value=CENT)
    over_budget_reason = _optional_text()
    version = bounded_api.version()


class ExpenseTransitionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=[choice for choice in ExpenseAction.choices
                                              if choice[0] != ExpenseAction.CORRECT],
                                     help_text=_("La corrección va en /correct/."))
    note = _optional_text(help_text=_("Obligatoria para observar, rechazar y revocar."))
    version = bounded_api.version()


class ExpenseCorrectInput(serializers.Serializer):
    """The answer to an observation. An invoice's figures are its XML's: only a simple receipt's change."""

    budget_line = bounded_api.record_id()
    concept = _text(250)
    over_budget_reason = _optional_text()
    note = _optional_text(help_text=_("Qué corregiste, para Supervisión."))
    version = bounded_api.version()
    spent_on = bounded_api.plausible_date(required=False, allow_null=True, default=None)
    supplier = _optional_text(250)
    amount = bounded_api.money(required=False, allow_null=True, default=None)
    receipt = serializers.FileField(required=False, allow_null=True, default=None)


class BatchVerifyInput(serializers.Serializer):
    ids = serializers.ListField(child=bounded_api.record_id(), min_length=1, **bounded_api.list_cap(200),
                                help_text=_("Ids de gastos avalados por Supervisión (hasta 200)."))


class RefusedExpenseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()


class BatchVerifyResultSerializer(serializers.Serializer):
    verified = serializers.ListField(child=serializers.IntegerField())
    refused = RefusedExpenseSerializer(many=True)


# --- Progress reports, logbook, visits ----------------------------------------------------------------------

class ProgressReportSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    submitted_by = serializers.SerializerMethodField()
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "due_on", "physical_percent", "summary", "status", "status_label", "version", "last_note",
                  "submitted_by", "submitted_at", "endorsed_at", "photos"]
        read_only_fields = fields

    def get_submitted_by(self, report) -> str | None:
        return _name(report.submitted_by)


class ReportInput(serializers.Serializer):
    physical_percent = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    summary = _text(bounds.TEXT_MAX, help_text=_("Qué se hizo en el periodo."))
    photos = photo_list(help_text=_("Fotos de la obra (al menos una, hasta 10)."))
    version = bounded_api.version()


class ReportTransitionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=ReportAction.choices)
    note = _optional_text(help_text=_("Obligatoria para observar."))
    version = bounded_api.version()
    physical_percent = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100,
                                                required=False, allow_null=True, default=None,
                                                help_text=_("Para corregir."))
    summary = _optional_text(bounds.TEXT_MAX, help_text=_("Para corregir."))
    photos = photo_list(help_text=_("Para corregir: fotos que se suman al informe."))


class LogbookEntrySerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = LogbookEntry
        fields = ["id", "happened_on", "text", "corrects", "author", "author_role", "written_at", "photos"]
        read_only_fields = fields

    def get_author(self, entry) -> str | None:
        return _name(entry.author)


class LogbookInput(serializers.Serializer):
    happened_on = bounded_api.plausible_date()
    text = _text(bounds.TEXT_MAX)
    corrects = bounded_api.record_id(required=False, allow_null=True, default=None,
                                     help_text=_("Id de la anotación que esta corrige (las anotaciones no se "
                                                 "editan ni se borran)."))
    photos = photo_list()


class ObservationSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = VisitObservation
        fields = ["id", "text", "answer_due_on", "status", "status_label", "version", "answer", "answered_at",
                  "settled_at"]
        read_only_fields = fields


class SiteVisitSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SerializerMethodField()
    observations = ObservationSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = SiteVisit
        fields = ["id", "visited_on", "findings", "recorded_by", "recorded_at", "observations", "photos"]
        read_only_fields = fields

    def get_recorded_by(self, visit) -> str | None:
        return _name(visit.recorded_by)


class ObservationInput(serializers.Serializer):
    text = _text(bounds.NOTE_MAX)
    answer_due_on = bounded_api.plausible_date(help_text=_("Fecha límite para que el comité responda."))


class ObservationsField(serializers.ListField):
    """A JSON list of observations; in a multipart form (with photos) the same list as one JSON text."""

    default_error_messages = {"not_json": _("Envía las observaciones como una lista JSON de objetos con «text» "
                                            "y «answer_due_on».")}

    def get_value(self, dictionary):
        value = super().get_value(dictionary)
        if hasattr(dictionary, "getlist") and self.field_name in dictionary:
            value = dictionary.get(self.field_name)
        return value

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data) if data.strip() else []
            except ValueError:
                self.fail("not_json")
        return super().to_internal_value(data)


class VisitInput(serializers.Serializer):
    visited_on = bounded_api.plausible_date()
    findings = _text(bounds.TEXT_MAX, help_text=_("Qué se encontró en la visita."))
    observations = ObservationsField(child=ObservationInput(), required=False, default=list,
                                     **bounded_api.list_cap(20))
    photos = photo_list()


class ObservationAnswerInput(serializers.Serializer):
    answer = _text(bounds.NOTE_MAX, help_text=_("Qué se hizo para atender la observación."))
    version = bounded_api.version()


class ObservationSettleInput(serializers.Serializer):
    settled = serializers.BooleanField(help_text=_("true: la respuesta basta; false: la observación se reabre."))
    note = _optional_text(help_text=_("Obligatoria para reabrir."))
    version = bounded_api.version()


# --- Closure --------------------------------------------------------------------------------------------------

class ChecklistItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    done = serializers.BooleanField()
    detail = serializers.CharField()


class HandoverSerializer(serializers.Serializer):
    works_delivered = serializers.CharField()
    delivered_on = serializers.DateField()
    generated_at = serializers.DateTimeField()
    signed_uploaded_at = serializers.DateTimeField(allow_null=True)
    generated_url = URL
    signed_url = URL


class AccountabilitySerializer(serializers.Serializer):
    held_on = serializers.DateField()
    attendance = serializers.IntegerField()
    reported = serializers.CharField()
    recorded_at = serializers.DateTimeField()
    minutes_url = URL


class RefundSerializer(serializers.Serializer):
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    opened_at = serializers.DateTimeField()
    transfer_reference = serializers.CharField()
    transfer_date = serializers.DateField(allow_null=True)
    recorded_at = serializers.DateTimeField(allow_null=True)


class ClosureSerializer(serializers.Serializer):
    """The closing checklist item by item, and the closure's records so far."""

    status = serializers.CharField()
    ready = serializers.BooleanField(help_text=_("true: no falta nada para cerrar."))
    checklist = ChecklistItemSerializer(many=True)
    refund_due = serializers.DecimalField(max_digits=14, decimal_places=2,
                                          help_text=_("Ministrado − comprobado, al centavo."))
    handover = HandoverSerializer(allow_null=True)
    accountability = AccountabilitySerializer(allow_null=True)
    refund = RefundSerializer(allow_null=True)


class HandoverInput(serializers.Serializer):
    works_delivered = _text(bounds.TEXT_MAX, help_text=_("Las obras que se entregan."))
    delivered_on = bounded_api.plausible_date()


class HandoverSignedInput(serializers.Serializer):
    signed_file = serializers.FileField(help_text=_("El acta de entrega-recepción firmada, en PDF."))


class AccountabilityInput(serializers.Serializer):
    held_on = bounded_api.plausible_date()
    attendance = bounded_api.count(min_value=1)
    reported = _text(bounds.TEXT_MAX, help_text=_("Qué se informó a la asamblea."))
    minutes_file = serializers.FileField(help_text=_("El acta de la asamblea, en PDF."))


class RefundInput(serializers.Serializer):
    transfer_reference = _text(60)
    transfer_date = bounded_api.plausible_date()


class CloseInput(serializers.Serializer):
    note = _optional_text()
    version = bounded_api.version()

