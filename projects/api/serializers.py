"""What the projects API shows. Every field is listed: a seat's invitation token, the CLABE (except to
finance) and the e-mail of elected people (except to the programme's staff readers) never leave."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from nicp import bounded_api, bounds
from nicp.api_pagination_rows import FlatListSerializer
from projects import permissions
from projects.models import Agreement, BankAccount, CommitteeSeat, Project, ProjectEvent, Tranche
from projects.services import current_account, tranche_problems
from projects.workflow import PROJECT_COORDINATOR_ACTIONS, PROJECT_TRANSITIONS, ProjectAction, TrancheAction


class ProjectSerializer(serializers.ModelSerializer):
    """A row of the list: read through Project.objects.for_list(), so no field costs a query."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    call_title = serializers.CharField(source="call.title", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True)
    neighbourhood = serializers.CharField(source="neighbourhood.key", read_only=True)
    neighbourhood_name = serializers.CharField(source="neighbourhood.name", read_only=True)
    borough = serializers.CharField(source="neighbourhood.borough.inegi_code", read_only=True)
    borough_name = serializers.CharField(source="neighbourhood.borough.name", read_only=True)

    class Meta:
        model = Project
        list_serializer_class = FlatListSerializer  # the same JSON, fields looked up once per page
        fields = ["id", "code", "title", "status", "status_label", "version", "call", "call_title", "group_name",
                  "neighbourhood", "neighbourhood_name", "borough", "borough_name", "approved_amount",
                  "released_total", "physical_progress", "execution_starts_on", "execution_ends_on", "updated_at"]
        read_only_fields = fields


class BankAccountSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    clabe = serializers.SerializerMethodField(help_text=_("Completa solo para Finanzas; enmascarada para los demás."))

    class Meta:
        model = BankAccount
        fields = ["bank", "holder", "clabe", "status", "status_label", "registered_at", "reviewed_at",
                  "review_note"]
        read_only_fields = fields

    def get_clabe(self, account) -> str:
        if permissions.can_see_full_clabe(self.context.get("user"), self.context["project"]):
            return account.clabe
        return account.masked_clabe


class AgreementSerializer(serializers.ModelSerializer):
    signed_uploaded = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = ["generated_at", "signed_uploaded", "signed_uploaded_at", "ministry_signed_on"]
        read_only_fields = fields

    def get_signed_uploaded(self, agreement) -> bool:
        return bool(agreement.signed_file)


class ProjectDetailSerializer(ProjectSerializer):
    """One project: the list's fields, its proposal, its bank account and agreement, and the state changes
    this person may apply through /transitions/."""

    proposal_folio = serializers.CharField(source="proposal.folio", read_only=True)
    bank_account = serializers.SerializerMethodField()
    agreement = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField(
        help_text=_("Las acciones de /transitions/ que puedes aplicar ahora."))

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "proposal", "proposal_folio", "created_at", "bank_account",
                  "agreement", "available_actions"]
        read_only_fields = fields

    @extend_schema_field(BankAccountSerializer(allow_null=True))
    def get_bank_account(self, project):
        account = current_account(project)
        context = {**self.context, "project": project}
        return BankAccountSerializer(account, context=context).data if account else None

    @extend_schema_field(AgreementSerializer(allow_null=True))
    def get_agreement(self, project):
        agreement = Agreement.objects.filter(project=project).first()
        return AgreementSerializer(agreement).data if agreement else None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ProjectAction.choices)))
    def get_available_actions(self, project) -> list[str]:
        user = self.context.get("user")
        if not permissions.can_manage_project(user, project):
            return []
        return [action for (state, action) in PROJECT_TRANSITIONS
                if state == project.status and action in PROJECT_COORDINATOR_ACTIONS]


class ProjectEventSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ProjectEvent
        fields = ["action", "action_label", "from_state", "to_state", "note", "created_at", "actor"]
        read_only_fields = fields

    def get_actor(self, event) -> str | None:
        return event.actor.get_full_name() if event.actor else None


class CommitteeSeatSerializer(serializers.ModelSerializer):
    """A seat on one of the project's community committees; past seats stay, with when and why they ended."""

    committee_label = serializers.CharField(source="get_committee_display", read_only=True)
    position_label = serializers.CharField(source="get_position_display", read_only=True)
    name = serializers.CharField(source="full_name", read_only=True)
    accepted = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField(help_text=_("Solo para la coordinación, Finanzas y Auditoría; "
                                                          "null para los demás."))

    class Meta:
        model = CommitteeSeat
        fields = ["id", "committee", "committee_label", "position", "position_label", "name", "accepted",
                  "accepted_at", "started_at", "ended_at", "end_reason", "email"]
        read_only_fields = fields

    def get_email(self, seat) -> str | None:
        return seat.email if self.context.get("show_email") else None

    def get_accepted(self, seat) -> bool:
        return seat.accepted_at is not None


class TrancheSerializer(serializers.ModelSerializer):
    """A tranche with what is still missing for it to move on (empty once released)."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    missing = serializers.SerializerMethodField(help_text=_("Lo que falta para que esta ministración avance."))

    class Meta:
        model = Tranche
        fields = ["id", "number", "status", "status_label", "version", "share_percent", "amount",
                  "progress_required_percent", "previous_proved_percent", "documents_required", "proved_amount",
                  "requested_at", "approved_at", "released_at", "transfer_reference", "transfer_date", "missing"]
        read_only_fields = fields

    def get_missing(self, tranche) -> list[str]:
        if tranche.status == "released":
            return []
        return [str(problem) for problem in tranche_problems(tranche, self.context["project"])]


class ProjectTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ProjectAction.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=bounds.NOTE_MAX,
                                 help_text=_("Obligatoria para suspender, reanudar y cancelar."))
    version = bounded_api.version()
    confirm = serializers.BooleanField(required=False, default=False,
                                       help_text=_("Debe ser true para cancelar: no se puede deshacer."))


class TrancheTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=TrancheAction.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=bounds.NOTE_MAX,
                                 help_text=_("Obligatoria para retener."))
    version = bounded_api.version()
    transfer_reference = serializers.CharField(required=False, allow_blank=True, default="",
                                               max_length=Tranche._meta.get_field("transfer_reference").max_length,
                                               help_text=_("Obligatoria para ministrar."))
    transfer_date = bounded_api.plausible_date(required=False, allow_null=True, default=None,
                                               help_text=_("Obligatoria para ministrar: hoy o antes."))
