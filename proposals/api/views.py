from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from nicp import confirm
from nicp.api_services import run_service
from nicp.readonly import ReadOnlyRolesPermission
from proposals import permissions, services
from proposals.api.serializers import (
    AssemblyOutcomeSerializer,
    AssemblyScheduleSerializer,
    AssemblySerializer,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    CallSerializer,
    ProposalCreateSerializer,
    ProposalEventSerializer,
    ProposalListSerializer,
    ProposalSerializer,
    ReviewWriteSerializer,
    TechnicalReviewSerializer,
    TransitionSerializer,
)
from proposals.filters import ProposalFilter
from proposals.models import Attachment, BudgetLine, Call, Proposal, TechnicalReview
from proposals.services.proposals import EDITABLE_FIELDS, require_editable
from proposals.workflow import ProposalAction


def _how_many(model):
    """How many rows of `model` belong to each proposal: a subquery the database runs for the page's rows
    only (the pagination reads the keys without it)."""
    rows = model.objects.filter(proposal=OuterRef("pk")).order_by().values("proposal").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), 0)


def _review_as_seen(user, review) -> dict:
    """The review's fields this person may read (permissions.review_fields_for, as on the pages)."""
    fields = permissions.review_fields_for(user, review)
    return {name: value for name, value in TechnicalReviewSerializer(review).data.items() if name in fields}


class CallViewSet(viewsets.ReadOnlyModelViewSet):
    """Calls (convocatorias). Public once published."""

    serializer_class = CallSerializer
    permission_classes = [AllowAny, ReadOnlyRolesPermission]
    pagination_class = None

    def get_queryset(self):
        return Call.objects.visible_to(self.request.user).prefetch_related("modalities")


class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Proposals: an applicant sees their groups' proposals; staff see submitted ones."""

    serializer_class = ProposalSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = ProposalFilter
    ordering_fields = ["created_at", "updated_at", "budget_total", "folio"]

    def get_serializer_class(self):
        return ProposalListSerializer if self.action == "list" else ProposalSerializer

    def get_queryset(self):
        if self.action == "list":  # ids of the relations, counts instead of the nested lists: no join, no prefetch
            return (Proposal.objects.visible_to(self.request.user).order_by("-created_at", "-id")
                    .annotate(budget_line_count=_how_many(BudgetLine), attachment_count=_how_many(Attachment)))
        return (Proposal.objects.visible_to(self.request.user).for_list().order_by("-created_at", "-id")
                .prefetch_related(Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("position", "id")),
                                  "attachments"))

    @extend_schema(request=ProposalCreateSerializer, responses={201: ProposalSerializer})
    def create(self, request, *args, **kwargs):
        data = ProposalCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        proposal = run_service(lambda: services.proposal_create(actor=request.user, **data.validated_data))
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        proposal = self.get_object()
        # Refuse up front, even an empty body: the same checks the services make on every write.
        run_service(lambda: require_editable(request.user, proposal))
        serializer = ProposalSerializer(proposal, data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        version = serializer.validated_data.pop("version", None)
        lines = serializer.validated_data.pop("budget_lines", None)
        fields = {k: v for k, v in serializer.validated_data.items() if k in EDITABLE_FIELDS}
        forbidden = set(serializer.validated_data) - set(fields)
        if forbidden:
            raise ApiValidationError({f: ["No se puede cambiar."] for f in forbidden})

        def save():
            current = proposal
            if fields:
                current = services.proposal_update(actor=request.user, proposal_id=proposal.pk, data=fields,
                                                   version=version)
            if lines is not None:
                current = services.budget_lines_save(actor=request.user, proposal_id=proposal.pk, lines=lines,
                                                     version=version if not fields else current.version)
            return current

        run_service(save)
        return Response(ProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data)

    def update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=TransitionSerializer, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        proposal = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if fields.pop("confirm") is not True and fields["action"] == ProposalAction.WITHDRAW:
            raise ApiValidationError({"confirm": [confirm.NOT_CONFIRMED]})  # destructive: say so explicitly
        run_service(lambda: services.proposal_transition(actor=request.user, proposal_id=proposal.pk, **fields))
        return Response(ProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data)

    @extend_schema(request=AttachmentUploadSerializer, responses={201: AttachmentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def attachments(self, request, pk=None):
        proposal = self.get_object()
        data = AttachmentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = run_service(lambda: services.attachment_add(
            actor=request.user, proposal_id=proposal.pk, kind=data.validated_data["kind"],
            upload=data.validated_data["file"], version=data.validated_data.get("version")))
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: ProposalEventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        proposal = self.get_object()
        return Response(ProposalEventSerializer(proposal.events.select_related("actor"), many=True).data)

    @extend_schema(methods=["GET"], responses={200: AssemblySerializer(many=True)})
    @extend_schema(methods=["POST"], request=AssemblyScheduleSerializer, responses={201: AssemblySerializer})
    @action(detail=True, methods=["get", "post"])
    def assemblies(self, request, pk=None):
        proposal = self.get_object()
        if request.method == "GET":
            return Response(AssemblySerializer(proposal.assemblies.all(), many=True).data)
        data = AssemblyScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assembly = run_service(lambda: services.assembly_schedule(actor=request.user, proposal_id=proposal.pk,
                                                                  **data.validated_data))
        return Response(AssemblySerializer(assembly).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssemblyOutcomeSerializer, responses={200: AssemblySerializer})
    @action(detail=True, methods=["post"], url_path=r"assemblies/(?P<assembly_id>\d+)/outcome",
            parser_classes=[MultiPartParser, FormParser])
    def assembly_outcome(self, request, pk=None, assembly_id=None):
        proposal = self.get_object()
        assembly = proposal.assemblies.filter(pk=assembly_id).first()
        if assembly is None:
            raise NotFound
        data = AssemblyOutcomeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recorded = run_service(lambda: services.assembly_record(actor=request.user, assembly_id=assembly.pk,
                                                                **data.validated_data))
        return Response(AssemblySerializer(recorded).data)

    @extend_schema(methods=["GET"], responses={200: TechnicalReviewSerializer(many=True)})
    @extend_schema(methods=["POST"], request=ReviewWriteSerializer, responses={200: TechnicalReviewSerializer})
    @action(detail=True, methods=["get", "post"])
    def reviews(self, request, pk=None):
        """A reviewer writes their own review. Reading follows the rule the pages follow: drafts only to
        their author, coordination and audit; of submitted reviews, the group reads the verdict, other
        staff the verdict with the adjusted cost, never the internal notes."""
        proposal = self.get_object()
        if request.method == "GET":
            reviews = (TechnicalReview.objects.visible_to(request.user).filter(proposal=proposal)
                       .select_related("reviewer"))
            return Response([_review_as_seen(request.user, review) for review in reviews])
        data = ReviewWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        submit, version = values.pop("submit"), values.pop("version", None)
        review = run_service(lambda: services.review_save(actor=request.user, proposal_id=proposal.pk, data=values,
                                                          submit=submit, version=version))
        return Response(TechnicalReviewSerializer(review).data)

    def get_object(self):
        try:
            return get_object_or_404(self.get_queryset(), pk=int(self.kwargs["pk"]))
        except (TypeError, ValueError) as error:
            raise NotFound from error
