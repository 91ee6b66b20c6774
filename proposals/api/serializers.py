from rest_framework import serializers

from accounts.models import CommunityGroup
from neighbourhoods.models import Neighbourhood
from nicp import bounded_api, bounds
from nicp.api_pagination_rows import FlatListSerializer
from nicp.relations import ChoosableRelatedField
from proposals.models import (
    Assembly,
    Attachment,
    BudgetLine,
    Call,
    CallModality,
    IneligibilityReason,
    Proposal,
    ProposalEvent,
    ReviewResult,
    TechnicalReview,
)
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
                  "max_files_per_proposal", "max_total_size_mb", "committee_names_public"]

    def get_registration_open(self, call) -> bool:
        return call.registration_open()


class BudgetLineSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    quantity = bounded_api.money(min_value=bounds.QUANTITY_MIN, max_value=bounds.QUANTITY_MAX)
    unit_price = bounded_api.money(max_value=bounds.UNIT_PRICE_MAX)

    class Meta:
        model = BudgetLine
        fields = ["chapter", "concept", "unit", "quantity", "unit_price", "amount"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "kind", "original_name", "content_type", "size", "uploaded_at"]


def choosable_calls(user, _instance=None):
    return Call.objects.visible_to(user).open_for_registration()


def choosable_groups(user, _instance=None):
    return CommunityGroup.objects.of_member(user)


def choosable_neighbourhoods(user, _instance=None):
    return Neighbourhood.objects.all()  # the public catalogue


def choosable_continuations(user, proposal=None):
    return Proposal.objects.continuable_by(user, proposal)


class ProposalSerializer(serializers.ModelSerializer):
    # Every id a client sets is looked up among what they may choose; missing and forbidden answer alike.
    call = ChoosableRelatedField(model=Call, choosable=choosable_calls)
    group = ChoosableRelatedField(model=CommunityGroup, choosable=choosable_groups)
    neighbourhood = ChoosableRelatedField(model=Neighbourhood, choosable=choosable_neighbourhoods, required=False,
                                          allow_null=True)
    continuation_of = ChoosableRelatedField(model=Proposal, choosable=choosable_continuations, required=False,
                                            allow_null=True)
    budget_lines = BudgetLineSerializer(many=True, required=False, **bounded_api.list_cap(bounds.MAX_BUDGET_LINES))
    attachments = AttachmentSerializer(many=True, read_only=True)
    version = bounded_api.version()
    population_benefited = bounded_api.count(max_value=bounds.POPULATION_MAX, required=False, allow_null=True)

    class Meta:
        model = Proposal
        fields = ["id", "call", "group", "folio", "status", "version", "title", "neighbourhood", "address",
                  "latitude", "longitude", "project_type", "modality", "continuation_of", "diagnosis", "objectives",
                  "description", "population_benefited", "schedule", "budget_lines", "budget_total", "attachments",
                  "created_at", "updated_at", "submitted_at"]
        read_only_fields = ["folio", "status", "budget_total", "created_at", "updated_at", "submitted_at"]


class ProposalListSerializer(serializers.ModelSerializer):
    """A row of the list: the proposal's own fields, its relations' ids and how many budget lines and
    attachments it has (the detail has them in full). Read through ProposalViewSet's list queryset, so no
    field costs a query."""

    call = serializers.IntegerField(source="call_id", read_only=True)
    group = serializers.IntegerField(source="group_id", read_only=True)
    neighbourhood = serializers.IntegerField(source="neighbourhood_id", read_only=True, allow_null=True)
    continuation_of = serializers.IntegerField(source="continuation_of_id", read_only=True, allow_null=True)
    budget_line_count = serializers.IntegerField(read_only=True)
    attachment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Proposal
        list_serializer_class = FlatListSerializer
        fields = ["id", "call", "group", "folio", "status", "version", "title", "neighbourhood", "address",
                  "latitude", "longitude", "project_type", "modality", "continuation_of", "population_benefited",
                  "budget_total", "budget_line_count", "attachment_count", "created_at", "updated_at",
                  "submitted_at"]
        read_only_fields = fields


class ProposalCreateSerializer(serializers.Serializer):
    call = ChoosableRelatedField(model=Call, choosable=choosable_calls)
    group = ChoosableRelatedField(model=CommunityGroup, choosable=choosable_groups)
    title = serializers.CharField(max_length=200)


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ProposalAction.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=bounds.NOTE_MAX)
    version = bounded_api.version()
    correction_deadline = bounded_api.plausible_date(required=False, allow_null=True, default=None,
                                                     help_text="Required to return a proposal for corrections.")
    reason_code = serializers.ChoiceField(choices=[("", ""), *IneligibilityReason.choices], required=False,
                                          default="", help_text="Required to reject as ineligible.")
    confirm = serializers.BooleanField(required=False, default=False,
                                       help_text="Must be true to withdraw: withdrawing cannot be undone.")


class AttachmentUploadSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=30)
    file = serializers.FileField()
    version = bounded_api.version()


class ProposalEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ProposalEvent
        fields = ["action", "from_state", "to_state", "note", "created_at", "actor"]

    def get_actor(self, event) -> str | None:
        return event.actor.get_full_name() if event.actor else None


class AssemblySerializer(serializers.ModelSerializer):
    class Meta:
        model = Assembly
        fields = ["id", "purpose", "status", "scheduled_at", "place", "convened_by", "quorum_required", "attendees",
                  "votes_for", "votes_against", "abstentions", "observations", "recorded_at"]
        read_only_fields = fields


class AssemblyScheduleSerializer(serializers.Serializer):
    scheduled_at = bounded_api.plausible_datetime()
    place = serializers.CharField(max_length=300)
    convened_by = serializers.CharField(max_length=200)
    version = bounded_api.version()


class AssemblyOutcomeSerializer(serializers.Serializer):
    attendees = bounded_api.count()
    votes_for = bounded_api.count()
    votes_against = bounded_api.count()
    abstentions = bounded_api.count()
    observations = serializers.CharField(required=False, allow_blank=True, default="", max_length=bounds.NOTE_MAX)
    minutes = serializers.FileField()
    attendance_list = serializers.FileField(required=False)


class TechnicalReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.SerializerMethodField()

    class Meta:
        model = TechnicalReview
        fields = ["id", "reviewer", "status", "checklist", "adjusted_cost", "site_visit_on", "result",
                  "observations", "reasons", "internal_notes", "version", "submitted_at"]
        read_only_fields = ["id", "reviewer", "status", "submitted_at"]

    def get_reviewer(self, review) -> str:
        return review.reviewer.get_full_name()


class GroupReviewSerializer(serializers.ModelSerializer):
    """What the proposing group reads of a submitted review: the verdict and what is meant for them."""

    class Meta:
        model = TechnicalReview
        fields = ["result", "observations", "reasons", "submitted_at"]
        read_only_fields = fields


class ReviewWriteSerializer(serializers.Serializer):
    checklist = bounded_api.BoundedDictField(
        child=bounded_api.BoundedDictField(child=serializers.CharField(allow_blank=True, max_length=500),
                                           max_items=bounds.MAX_ENTRY_KEYS),
        max_items=bounds.MAX_CHECKLIST_ITEMS, required=False)
    adjusted_cost = bounded_api.money(required=False, allow_null=True)
    site_visit_on = bounded_api.plausible_date(required=False, allow_null=True)
    result = serializers.ChoiceField(choices=[("", ""), *ReviewResult.choices], required=False)
    observations = serializers.CharField(required=False, allow_blank=True, max_length=bounds.TEXT_MAX)
    reasons = serializers.CharField(required=False, allow_blank=True, max_length=bounds.TEXT_MAX)
    internal_notes = serializers.CharField(required=False, allow_blank=True, max_length=bounds.TEXT_MAX)
    submit = serializers.BooleanField(required=False, default=False)
    version = bounded_api.version()
