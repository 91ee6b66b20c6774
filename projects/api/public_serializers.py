"""What /api/v1/public/ shows: exactly the dicts of `projects.public.records`, field by field.

These serializers read plain dicts, never model instances, so a field that `records.py` does not write cannot
travel (see `projects.public`). Amounts are strings with two decimals, like the rest of the API; labels are
rendered in the request's language (the switch's cookie; Spanish by default)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


def money(**kwargs):
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


def percent(**kwargs):
    return serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True, **kwargs)


class PublicProjectSerializer(serializers.Serializer):
    """One row of the public list (`records.list_row`)."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    year = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    project_type = serializers.CharField()
    project_type_label = serializers.CharField()
    unit_key = serializers.CharField()
    unit_name = serializers.CharField()
    borough_code = serializers.CharField()
    borough_name = serializers.CharField()
    stratum = serializers.CharField()
    stratum_label = serializers.CharField()
    approved_amount = money()
    released_amount = money()
    verified_amount = money()
    physical_progress = percent(help_text=_("Avance físico (%) del último informe aprobado; null si aún no se "
                                            "reporta."))
    financial_progress = percent(help_text=_("Gasto comprobado ÷ monto aprobado (%); null hasta la primera "
                                             "ministración."))
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    updated_at = serializers.DateTimeField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    location_precision = serializers.ChoiceField(
        choices=["site", "unit_centroid", ""],
        help_text=_("site: el punto de la obra; unit_centroid: el centro de su unidad territorial; vacío: sin "
                    "ubicación."))


class PublicPageSerializer(serializers.Serializer):
    """A page of the cursor-paginated list (the OpenAPI description of the envelope)."""

    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PublicProjectSerializer(many=True)


class PublicSeatSerializer(serializers.Serializer):
    position = serializers.CharField()
    position_label = serializers.CharField()
    name = serializers.CharField(allow_null=True, help_text=_("Solo si las reglas de la convocatoria hacen "
                                                              "públicos los nombres; si no, null."))


class PublicCommitteeSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    seats = PublicSeatSerializer(many=True)


class PublicTrancheSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    share_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    amount = money()
    status = serializers.CharField()
    status_label = serializers.CharField()
    released_on = serializers.DateField(allow_null=True)


class PublicBudgetLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    chapter = serializers.CharField()
    chapter_label = serializers.CharField()
    concept = serializers.CharField()
    budgeted = money()
    verified = money()


class PublicExpenseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    spent_on = serializers.DateField()
    amount = money()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    budget_line_id = serializers.IntegerField(allow_null=True)
    chapter = serializers.CharField(allow_null=True)
    concept = serializers.CharField()
    supplier = serializers.CharField(help_text=_("Una empresa por su nombre; una persona física sin nombre."))
    supplier_rfc = serializers.CharField()
    cfdi_uuid = serializers.CharField()
    receipt_url = serializers.URLField(allow_null=True, help_text=_("Solo si el comprobante se publicó."))


class PublicProgressPointSerializer(serializers.Serializer):
    date = serializers.DateField()
    physical = percent()
    financial = percent()


class PublicPhotoSerializer(serializers.Serializer):
    caption = serializers.CharField()
    taken_on = serializers.DateField(allow_null=True)
    url = serializers.URLField()


class PublicLogbookSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    happened_on = serializers.DateField()
    text = serializers.CharField()
    author_role = serializers.CharField()
    corrects_id = serializers.IntegerField(allow_null=True)


class PublicDocumentSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    attendance = serializers.IntegerField(required=False, help_text=_("Asistencia a la asamblea de rendición de "
                                                                      "cuentas."))
    url = serializers.URLField(allow_null=True, help_text=_("Solo si el documento se publicó."))


class PublicMilestoneSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    date = serializers.DateField()


class PublicRefundSerializer(serializers.Serializer):
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    amount = money()
    returned_on = serializers.DateField(allow_null=True)


class PublicProjectDetailSerializer(PublicProjectSerializer):
    """One project (`records.detail`), with links to the files staff published and to its public page."""

    page_url = serializers.URLField()
    modality = serializers.CharField()
    description = serializers.CharField()
    objectives = serializers.CharField()
    diagnosis = serializers.CharField()
    population_benefited = serializers.IntegerField(allow_null=True)
    committees = PublicCommitteeSerializer(many=True)
    tranches = PublicTrancheSerializer(many=True)
    budget_lines = PublicBudgetLineSerializer(many=True)
    expenses = PublicExpenseSerializer(many=True)
    progress_series = PublicProgressPointSerializer(many=True)
    photos = PublicPhotoSerializer(many=True)
    logbook = PublicLogbookSerializer(many=True)
    documents = PublicDocumentSerializer(many=True)
    milestones = PublicMilestoneSerializer(many=True)
    refund = PublicRefundSerializer(allow_null=True)
