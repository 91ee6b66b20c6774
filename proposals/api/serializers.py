from rest_framework import serializers

from proposals.models import Attachment, BudgetLine, Call, CallModality, Proposal, ProposalEvent
from proposals.workflow import ProposalAction


class CallModalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = CallModality
        fields = ["modality", "min_amount", "max_amount"]


class CallSerializer(serializers.ModelSerializer):
    modalities = CallModalitySerializer(many=True, read_only=True)
    registration_open = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = ["id", "fiscal_year", "title", "summary", "status", "total_budget", "modalities",
                  "eligible_project_types", "excluded_works", "priority_strata", "registration_opens_on",
                  "registration_closes_on", "registration_open", "assembly_window_starts_on",
                  "assembly_window_ends_on", "technical_review_deadline", "committee_date", "results_date",
                  "execution_deadline", "assembly_quorum", "required_attachment_kinds", "max_file_size_mb",
                  "max_files_per_proposal", "max_total_size_mb"]

    def get_registration_open(self, call) -> bool:
        return call.registration_open()


class BudgetLineSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = BudgetLine
        fields = ["chapter", "concept", "unit", "quantity", "unit_price", "amount"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "kind", "original_name", "content_type", "size", "uploaded_at"]


class ProposalSerializer(serializers.ModelSerializer):
    budget_lines = BudgetLineSerializer(many=True, required=False)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "call", "group", "folio", "status", "version", "title", "neighbourhood", "address",
                  "latitude", "longitude", "project_type", "modality", "continuation_of", "diagnosis", "objectives",
                  "description", "population_benefited", "schedule", "budget_lines", "budget_total", "attachments",
                  "created_at", "updated_at", "submitted_at"]
        read_only_fields = ["folio", "status", "budget_total", "created_at", "updated_at", "submitted_at"]
        extra_kwargs = {"version": {"required": False}}


class ProposalCreateSerializer(serializers.Serializer):
    call = serializers.IntegerField()
    group = serializers.IntegerField()
    title = serializers.CharField(max_length=200)


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ProposalAction.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class AttachmentUploadSerializer(serializers.Serializer):
    kind = serializers.CharField()
    file = serializers.FileField()
    version = serializers.IntegerField(required=False)


class ProposalEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ProposalEvent
        fields = ["action", "from_state", "to_state", "note", "created_at", "actor"]

    def get_actor(self, event) -> str | None:
        return event.actor.get_full_name() if event.actor else None
