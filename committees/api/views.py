"""Committee API: members score through it (only their own sheets, never a recused proposal);
published results are public."""

import math

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from committees import services
from committees.models import Committee, Outcome, ScoreSheet, Session
from nicp import bounded_api, bounds
from nicp.api_services import run_service
from nicp.readonly import ReadOnlyRolesPermission
from proposals.models import Call, Proposal
from proposals.workflow import CallState


class CommitteeSerializer(serializers.ModelSerializer):
    call_title = serializers.CharField(source="call.title", read_only=True)

    class Meta:
        model = Committee
        fields = ["id", "call", "call_title"]


class ScoringProposalSerializer(serializers.ModelSerializer):
    neighbourhood = serializers.CharField(source="neighbourhood.name", read_only=True)
    stratum = serializers.CharField(source="neighbourhood.stratum", read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "folio", "title", "neighbourhood", "stratum", "budget_total", "population_benefited"]


class ScoreSheetSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScoreSheet
        fields = ["scores", "status", "weighted_score", "version", "submitted_at"]


class ScoreWriteSerializer(serializers.Serializer):
    scores = bounded_api.BoundedDictField(
        child=bounded_api.BoundedDictField(max_items=bounds.MAX_ENTRY_KEYS), max_items=bounds.MAX_RUBRIC_CRITERIA,
        help_text='criterion id -> {"value": 1..5, "comment": "…"}')
    submit = serializers.BooleanField(default=False)
    version = bounded_api.version()

    def validate_scores(self, scores):
        # JSON lets a number overflow to infinity (1e400) or carry decimals: a score is a whole number.
        for entry in scores.values():
            value = entry.get("value")
            if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
                raise serializers.ValidationError(_("Cada calificación es un número entero de 1 a 5."))
        return scores


class CommitteeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CommitteeSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesPermission]
    pagination_class = None

    queryset = Committee.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Committee.objects.none()
        return Committee.objects.filter(members__user=self.request.user).select_related("call")

    @extend_schema(responses={200: ScoringProposalSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def proposals(self, request, pk=None):
        committee = self.get_object()
        member = committee.members.get(user=request.user)
        rows = services.committee_proposals(member).select_related("neighbourhood")
        return Response(ScoringProposalSerializer(rows, many=True).data)

    @extend_schema(methods=["GET"], responses={200: ScoreSheetSerializer})
    @extend_schema(methods=["PUT"], request=ScoreWriteSerializer, responses={200: ScoreSheetSerializer})
    @action(detail=True, methods=["get", "put"], url_path=r"proposals/(?P<proposal_id>\d+)/score")
    def score(self, request, pk=None, proposal_id=None):
        committee = self.get_object()
        member = committee.members.get(user=request.user)
        proposal = services.committee_proposals(member).filter(pk=proposal_id).first()
        if proposal is None:
            raise NotFound
        if request.method == "GET":
            sheet = ScoreSheet.objects.filter(member__committee=committee, member__user=request.user,
                                              proposal=proposal).first()
            if sheet is None:
                raise NotFound
            return Response(ScoreSheetSerializer(sheet).data)
        data = ScoreWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sheet = run_service(lambda: services.score_save(actor=request.user, proposal_id=proposal.pk,
                                                        values=data.validated_data["scores"],
                                                        submit=data.validated_data["submit"],
                                                        version=data.validated_data.get("version")))
        return Response(ScoreSheetSerializer(sheet).data)


class ResultSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    rank = serializers.IntegerField()
    folio = serializers.CharField(source="proposal.folio")
    title = serializers.CharField(source="proposal.title")
    borough = serializers.CharField(source="proposal.neighbourhood.borough.name")
    neighbourhood = serializers.CharField(source="proposal.neighbourhood.name")
    stratum = serializers.CharField(source="proposal.neighbourhood.stratum")
    assigned_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    weighted_score = serializers.DecimalField(max_digits=6, decimal_places=3)


class CallResultsView(APIView):
    """Selected and waitlisted proposals of a call, public once the results are published (404 before)."""

    permission_classes = [AllowAny, ReadOnlyRolesPermission]

    @extend_schema(responses={200: ResultSerializer(many=True)})
    def get(self, request, pk):
        call = get_object_or_404(Call, pk=pk, status__in=[CallState.RESULTS_PUBLISHED, CallState.ARCHIVED])
        session = get_object_or_404(Session, committee__call=call, status=Session.Status.CLOSED)
        entries = session.entries.filter(dropped=False, outcome__in=[Outcome.SELECTED, Outcome.WAITLISTED]) \
            .select_related("proposal__neighbourhood__borough")
        return Response(ResultSerializer(entries, many=True).data)
