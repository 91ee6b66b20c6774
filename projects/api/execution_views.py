"""The works stage in the API: expenses, progress reports, the logbook, site visits and closure.

The same read paths (visible_to) and services as the pages. Each write answers in the same order as the rest
of the projects API: a project (or record) this person does not see is 404, a step their role can never take is
403 before the body is read, then the body's problems are a 400 by field, then the service decides."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from nicp.api_services import run_service
from nicp.bounds import plausible_id
from nicp.readonly import ReadOnlyRolesPermission
from projects import permissions, progress, services
from projects.api import execution_serializers as s
from projects.api.filters import ExpenseFilter
from projects.models import (
    AccountabilityAssembly,
    Expense,
    Handover,
    LogbookEntry,
    ProgressReport,
    Project,
    ProjectPhoto,
    Refund,
    SiteVisit,
    VisitObservation,
)

REFUSALS = {
    400: OpenApiResponse(description="Datos incompletos o un paso que no procede: los mensajes dicen qué falta."),
    403: OpenApiResponse(description="Tu papel no puede dar este paso (o es de solo lectura)."),
    404: OpenApiResponse(description="No existe o no lo puedes ver."),
    409: OpenApiResponse(description="Alguien más cambió el registro: recarga y envía la versión actual."),
}
PROJECT_PATH = OpenApiParameter("project_pk", int, OpenApiParameter.PATH, description="Id del proyecto.")
FILES = [MultiPartParser, FormParser]

NOT_RECORDER = _("Solo el comité de Administración registra y corrige los gastos.")
NOT_REVIEWER = _("Solo Supervisión (avalar, observar) y Finanzas (verificar, revocar) mueven los gastos.")
NOT_FINANCE = _("Solo Finanzas verifica los gastos.")
NOT_REPORTER = _("Solo el comité de Administración envía y corrige los informes de avance.")
NOT_REPORT_REVIEWER = _("Solo Supervisión avala u observa los informes; el comité de Administración los corrige.")
NOT_LOGBOOK = _("La bitácora la escriben los comités del proyecto y el personal que lo sigue.")
NOT_VISITOR = _("Solo la coordinación registra visitas y revisa las respuestas a sus observaciones.")
NOT_ANSWERER = _("Las observaciones las responden los comités de Administración o Supervisión.")
NOT_COORDINATION = _("Solo la coordinación da este paso (y nunca en un proyecto con el que tiene relación).")
NOT_HANDOVER = _("El acta firmada la carga el comité de Administración o la coordinación.")
NOT_ASSEMBLY = _("La asamblea la registra el comité de Administración o la coordinación.")
NOT_REFUND = _("Solo Finanzas registra el reintegro.")

photos = Prefetch("photos", queryset=ProjectPhoto.objects.order_by("uploaded_at", "id"))


def require(predicate, user, project, message) -> None:
    if not predicate(user, project):
        raise ApiPermissionDenied(message)


def valid(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class WorksBase(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, ReadOnlyRolesPermission]
    lookup_value_regex = r"\d+"

    def visible(self, queryset, pk):
        """The row among those this person sees, or 404 alike for missing and not visible."""
        number = plausible_id(pk)
        found = queryset.filter(pk=number).first() if number else None
        if found is None:
            raise NotFound
        return found

    def project(self) -> Project:
        if not hasattr(self, "_project"):
            self._project = self.visible(Project.objects.visible_to(self.request.user), self.kwargs["project_pk"])
        return self._project

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a project
            return self.serializer_class.Meta.model.objects.none()
        return self.rows()

    def created(self, data) -> Response:
        return Response(data, status=status.HTTP_201_CREATED)


# --- Expenses -----------------------------------------------------------------------------------------------

class ExpenseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorksBase):
    """Every expense this person sees (finance's verification queue: `?status=endorsed&ordering=updated_at`),
    one expense, and the steps on it."""

    serializer_class = s.ExpenseSerializer
    filterset_class = ExpenseFilter
    filter_backends = [DjangoFilterBackend]  # the order is the filter's `ordering`: only index-aligned ones

    def rows(self):
        return Expense.objects.visible_to(self.request.user).for_list().order_by("-id")

    def get_object(self):
        return self.visible(self.get_queryset(), self.kwargs["pk"])

    def _answer(self, expense) -> Response:
        return Response(s.ExpenseSerializer(self.get_queryset().get(pk=expense.pk),
                                            context=self.get_serializer_context()).data)

    @extend_schema(request=s.ExpenseTransitionInput, responses={200: s.ExpenseSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], filter_backends=[])
    def transitions(self, request, pk=None):
        """Endorse, observe or reject (Supervisión while recorded); verify, observe, reject or revoke
        (Finanzas once endorsed)."""
        expense = self.get_object()
        require(permissions.can_endorse | permissions.can_verify_expense, request.user, expense.project,
                NOT_REVIEWER)
        fields = valid(s.ExpenseTransitionInput, request)
        run_service(lambda: services.expense_transition(actor=request.user, expense_id=expense.pk, **fields))
        return self._answer(expense)

    @extend_schema(request={"multipart/form-data": s.ExpenseCorrectInput},
                   responses={200: s.ExpenseSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], filter_backends=[], parser_classes=FILES)
    def correct(self, request, pk=None):
        """The administration committee answers an observation; the expense goes back to Supervisión."""
        expense = self.get_object()
        require(permissions.can_record_expense, request.user, expense.project, NOT_RECORDER)
        fields = valid(s.ExpenseCorrectInput, request)
        fields["budget_line_id"] = fields.pop("budget_line")
        run_service(lambda: services.expense_correct(actor=request.user, expense_id=expense.pk, **fields))
        return self._answer(expense)

    @extend_schema(request=s.BatchVerifyInput, responses={200: s.BatchVerifyResultSerializer, **REFUSALS})
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def verify(self, request):
        """Finanzas verifies several endorsed expenses at once: each on its own, so one refused leaves the
        others verified and says why."""
        if not permissions.is_finance(request.user):
            raise ApiPermissionDenied(NOT_FINANCE)
        ids = valid(s.BatchVerifyInput, request)["ids"]
        # Ids this person does not see are refused like missing ones, by the service's own read.
        result = run_service(lambda: services.expenses_verify_batch(actor=request.user, expense_ids=ids))
        return Response({"verified": [expense.pk for expense in result.verified],
                         "refused": [{"id": pk, "reason": str(reason)} for pk, reason in result.refused]})


@extend_schema_view(list=extend_schema(parameters=[PROJECT_PATH]))
class ProjectExpenseViewSet(mixins.ListModelMixin, WorksBase):
    """A project's expenses, and recording new ones (the administration committee)."""

    serializer_class = s.ExpenseSerializer
    filterset_class = ExpenseFilter
    filter_backends = [DjangoFilterBackend]

    def rows(self):
        return Expense.objects.filter(project=self.project()).for_list().order_by("-id")

    def _created(self, expense) -> Response:
        return self.created(s.ExpenseSerializer(Expense.objects.for_list().get(pk=expense.pk),
                                                context=self.get_serializer_context()).data)

    @extend_schema(parameters=[PROJECT_PATH], request={"multipart/form-data": s.InvoiceReadInput},
                   responses={200: s.InvoiceReadingSerializer, **REFUSALS})
    @action(detail=False, methods=["post"], url_path="read-invoice", filter_backends=[], parser_classes=FILES)
    def read_invoice(self, request, project_pk=None):
        """What the server reads from a CFDI's XML, and why it could not be recorded: nothing is written."""
        project = self.project()
        require(permissions.can_record_expense, request.user, project, NOT_RECORDER)
        upload = valid(s.InvoiceReadInput, request)["xml"]
        reading = run_service(lambda: services.invoice_read(actor=request.user, project_id=project.pk,
                                                            upload=upload))
        return Response(s.InvoiceReadingSerializer(s.InvoiceReadingSerializer.of(reading)).data)

    @extend_schema(parameters=[PROJECT_PATH], request={"multipart/form-data": s.InvoiceExpenseInput},
                   responses={201: s.ExpenseSerializer, **REFUSALS})
    @action(detail=False, methods=["post"], filter_backends=[], parser_classes=FILES)
    def invoice(self, request, project_pk=None):
        """Record an expense proved by a CFDI 4.0 invoice: date, supplier and amount come from its XML."""
        project = self.project()
        require(permissions.can_record_expense, request.user, project, NOT_RECORDER)
        fields = valid(s.InvoiceExpenseInput, request)
        fields["budget_line_id"] = fields.pop("budget_line")
        expense = run_service(lambda: services.expense_record_invoice(actor=request.user, project_id=project.pk,
                                                                      **fields))
        return self._created(expense)

    @extend_schema(parameters=[PROJECT_PATH], request={"multipart/form-data": s.SimpleExpenseInput},
                   responses={201: s.ExpenseSerializer, **REFUSALS})
    @action(detail=False, methods=["post"], filter_backends=[], parser_classes=FILES)
    def simple(self, request, project_pk=None):
        """Record an expense proved by a signed simple receipt, within the call's share of the approved amount."""
        project = self.project()
        require(permissions.can_record_expense, request.user, project, NOT_RECORDER)
        fields = valid(s.SimpleExpenseInput, request)
        fields["budget_line_id"] = fields.pop("budget_line")
        expense = run_service(lambda: services.expense_record_simple(actor=request.user, project_id=project.pk,
                                                                     **fields))
        return self._created(expense)


# --- Progress reports --------------------------------------------------------------------------------------

@extend_schema_view(list=extend_schema(parameters=[PROJECT_PATH]),
                    create=extend_schema(parameters=[PROJECT_PATH], request={"multipart/form-data": s.ReportInput},
                                         responses={201: s.ProgressReportSerializer, **REFUSALS}))
class ProjectReportViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, WorksBase):
    """A project's progress reports, newest first; the administration committee sends one each period."""

    serializer_class = s.ProgressReportSerializer
    filter_backends = []
    parser_classes = FILES

    def rows(self):
        return (ProgressReport.objects.filter(project=self.project()).select_related("submitted_by")
                .prefetch_related(photos).order_by("-due_on", "-id"))

    def create(self, request, project_pk=None):
        project = self.project()
        require(permissions.can_report_progress, request.user, project, NOT_REPORTER)
        fields = valid(s.ReportInput, request)
        report = run_service(lambda: services.progress_report_submit(actor=request.user, project_id=project.pk,
                                                                     **fields))
        return self.created(s.ProgressReportSerializer(self.get_queryset().get(pk=report.pk),
                                                       context=self.get_serializer_context()).data)

    @extend_schema(parameters=[PROJECT_PATH], request={"multipart/form-data": s.ReportTransitionInput,
                                                       "application/json": s.ReportTransitionInput},
                   responses={200: s.ProgressReportSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, *FILES])
    def transitions(self, request, project_pk=None, pk=None):
        """Endorse or observe (Supervisión); correct an observed report (the administration committee)."""
        project = self.project()
        report = self.visible(project.progress_reports.all(), pk)
        require(permissions.can_endorse | permissions.can_report_progress, request.user, project,
                NOT_REPORT_REVIEWER)
        fields = valid(s.ReportTransitionInput, request)
        run_service(lambda: services.progress_report_transition(actor=request.user, report_id=report.pk, **fields))
        return Response(s.ProgressReportSerializer(self.get_queryset().get(pk=report.pk),
                                                   context=self.get_serializer_context()).data)


# --- Logbook ----------------------------------------------------------------------------------------------

@extend_schema_view(list=extend_schema(parameters=[PROJECT_PATH]),
                    retrieve=extend_schema(parameters=[PROJECT_PATH]),
                    create=extend_schema(parameters=[PROJECT_PATH], request={"multipart/form-data": s.LogbookInput},
                                         responses={201: s.LogbookEntrySerializer, **REFUSALS}))
class ProjectLogbookViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, WorksBase):
    """The works logbook: read and add only. An entry is never edited or deleted (PUT, PATCH and DELETE
    answer 405); a correction is a new entry that names the one it corrects."""

    serializer_class = s.LogbookEntrySerializer
    filter_backends = []
    parser_classes = FILES

    def rows(self):
        return (LogbookEntry.objects.filter(project=self.project()).select_related("author")
                .prefetch_related(photos).order_by("-written_at", "-id"))

    def get_object(self):
        return self.visible(self.get_queryset(), self.kwargs["pk"])

    def create(self, request, project_pk=None):
        project = self.project()
        require(permissions.can_write_logbook, request.user, project, NOT_LOGBOOK)
        fields = valid(s.LogbookInput, request)
        fields["corrects_id"] = fields.pop("corrects")
        entry = run_service(lambda: services.logbook_write(actor=request.user, project_id=project.pk, **fields))
        return self.created(s.LogbookEntrySerializer(self.get_queryset().get(pk=entry.pk),
                                                     context=self.get_serializer_context()).data)


# --- Site visits and their observations ---------------------------------------------------------------------

@extend_schema_view(list=extend_schema(parameters=[PROJECT_PATH]),
                    create=extend_schema(parameters=[PROJECT_PATH],
                                         request={"application/json": s.VisitInput,
                                                  "multipart/form-data": s.VisitInput},
                                         responses={201: s.SiteVisitSerializer, **REFUSALS}))
class ProjectVisitViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, WorksBase):
    """The ministry's visits to the works, each with its observations and photos. In a multipart form (with
    photos) `observations` is sent as one JSON text."""

    serializer_class = s.SiteVisitSerializer
    filter_backends = []
    parser_classes = [JSONParser, *FILES]

    def rows(self):
        return (SiteVisit.objects.filter(project=self.project()).select_related("recorded_by")
                .prefetch_related(photos, Prefetch("observations", queryset=VisitObservation.objects.order_by(
                    "answer_due_on", "id"))).order_by("-visited_on", "-id"))

    def create(self, request, project_pk=None):
        project = self.project()
        require(permissions.can_record_visit, request.user, project, NOT_VISITOR)
        fields = valid(s.VisitInput, request)
        fields["observations"] = [(row["text"], row["answer_due_on"]) for row in fields["observations"]]
        visit = run_service(lambda: services.site_visit_record(actor=request.user, project_id=project.pk, **fields))
        return self.created(s.SiteVisitSerializer(self.get_queryset().get(pk=visit.pk),
                                                  context=self.get_serializer_context()).data)


@extend_schema_view(list=extend_schema(parameters=[PROJECT_PATH]))
class ProjectObservationViewSet(mixins.ListModelMixin, WorksBase):
    """Every observation of the project's visits, the soonest deadline first; answer and settle them."""

    serializer_class = s.ObservationSerializer
    filter_backends = []

    def rows(self):
        return VisitObservation.objects.filter(project=self.project()).order_by("answer_due_on", "id")

    def _observation(self, pk, predicate, message):
        project = self.project()
        observation = self.visible(self.get_queryset(), pk)
        require(predicate, self.request.user, project, message)
        return observation

    @extend_schema(parameters=[PROJECT_PATH], request=s.ObservationAnswerInput,
                   responses={200: s.ObservationSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def answer(self, request, project_pk=None, pk=None):
        """The administration or supervision committee says what was done about it."""
        observation = self._observation(pk, permissions.can_answer_observation, NOT_ANSWERER)
        fields = valid(s.ObservationAnswerInput, request)
        done = run_service(lambda: services.observation_answer(actor=request.user, observation_id=observation.pk,
                                                               **fields))
        return Response(s.ObservationSerializer(done).data)

    @extend_schema(parameters=[PROJECT_PATH], request=s.ObservationSettleInput,
                   responses={200: s.ObservationSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def settle(self, request, project_pk=None, pk=None):
        """The coordination accepts the answer, or opens the observation again with a note."""
        observation = self._observation(pk, permissions.can_record_visit, NOT_VISITOR)
        fields = valid(s.ObservationSettleInput, request)
        done = run_service(lambda: services.observation_settle(actor=request.user, observation_id=observation.pk,
                                                               **fields))
        return Response(s.ObservationSerializer(done).data)


# --- Closure --------------------------------------------------------------------------------------------------

def closure_data(project: Project, context) -> dict:
    handover = Handover.objects.filter(project=project).first()
    assembly = AccountabilityAssembly.objects.filter(project=project).first()
    refund = Refund.objects.filter(project=project).first()
    checklist = services.closure_checklist(project)
    return {
        "status": project.status,
        "ready": all(item.done for item in checklist),
        "checklist": [{"code": item.code, "label": str(item.label), "done": item.done, "detail": str(item.detail)}
                      for item in checklist],
        "refund_due": progress.refund_due(project),
        "handover": None if handover is None else {
            "works_delivered": handover.works_delivered, "delivered_on": handover.delivered_on,
            "generated_at": handover.generated_at, "signed_uploaded_at": handover.signed_uploaded_at,
            "generated_url": s.file_url(context, "handover_file", pk=project.pk, which="generada"),
            "signed_url": s.file_url(context, "handover_file", pk=project.pk, which="firmada")
            if handover.signed_file else None},
        "accountability": None if assembly is None else {
            "held_on": assembly.held_on, "attendance": assembly.attendance, "reported": assembly.reported,
            "recorded_at": assembly.recorded_at,
            "minutes_url": s.file_url(context, "accountability_minutes", pk=project.pk)},
        "refund": None if refund is None else {
            "reason": refund.reason, "reason_label": refund.get_reason_display(), "amount": refund.amount,
            "opened_at": refund.opened_at, "transfer_reference": refund.transfer_reference,
            "transfer_date": refund.transfer_date, "recorded_at": refund.recorded_at},
    }


CLOSURE = {200: s.ClosureSerializer, **REFUSALS}


class ProjectClosureActions:
    """Closure steps on /api/v1/projects/{id}/closure/…, mixed into the project viewset (its get_object reads
    through visible_to)."""

    def _closure(self, project) -> Response:
        project.refresh_from_db()
        return Response(s.ClosureSerializer(closure_data(project, self.get_serializer_context())).data)

    @extend_schema(responses={200: s.ClosureSerializer})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def closure(self, request, pk=None):
        """The closing checklist, item by item with what is missing, and the closure's records so far."""
        return self._closure(self.get_object())

    @extend_schema(request=s.HandoverInput, responses=CLOSURE)
    @action(detail=True, methods=["post"], url_path="closure/handover", url_name="closure-handover",
            filter_backends=[])
    def closure_handover(self, request, pk=None):
        """Generate (again, until its signed copy is in) the handover record of the finished works."""
        project = self.get_object()
        require(permissions.can_generate_handover, request.user, project, NOT_COORDINATION)
        fields = valid(s.HandoverInput, request)
        run_service(lambda: services.handover_generate(actor=request.user, project_id=project.pk, **fields))
        return self._closure(project)

    @extend_schema(request={"multipart/form-data": s.HandoverSignedInput}, responses=CLOSURE)
    @action(detail=True, methods=["post"], url_path="closure/handover/signed", url_name="closure-handover-signed",
            filter_backends=[], parser_classes=FILES)
    def closure_handover_signed(self, request, pk=None):
        """Upload the signed handover record (PDF)."""
        project = self.get_object()
        require(permissions.can_upload_handover, request.user, project, NOT_HANDOVER)
        upload = valid(s.HandoverSignedInput, request)["signed_file"]
        run_service(lambda: services.handover_upload_signed(actor=request.user, project_id=project.pk, upload=upload))
        return self._closure(project)

    @extend_schema(request={"multipart/form-data": s.AccountabilityInput}, responses=CLOSURE)
    @action(detail=True, methods=["post"], url_path="closure/accountability", url_name="closure-accountability",
            filter_backends=[], parser_classes=FILES)
    def closure_accountability(self, request, pk=None):
        """Record the final accountability assembly with its minutes (PDF)."""
        project = self.get_object()
        require(permissions.can_record_accountability, request.user, project, NOT_ASSEMBLY)
        fields = valid(s.AccountabilityInput, request)
        fields["minutes"] = fields.pop("minutes_file")
        run_service(lambda: services.accountability_record(actor=request.user, project_id=project.pk, **fields))
        return self._closure(project)

    @extend_schema(request=s.RefundInput, responses=CLOSURE)
    @action(detail=True, methods=["post"], url_path="closure/refund", url_name="closure-refund", filter_backends=[])
    def closure_refund(self, request, pk=None):
        """Finanzas records the transfer that gave back what was not spent or not proved."""
        project = self.get_object()
        require(permissions.can_record_refund, request.user, project, NOT_REFUND)
        fields = valid(s.RefundInput, request)
        run_service(lambda: services.refund_record(actor=request.user, project_id=project.pk, **fields))
        return self._closure(project)

    @extend_schema(request=s.CloseInput, responses=CLOSURE)
    @action(detail=True, methods=["post"], url_path="closure/close", url_name="closure-close", filter_backends=[])
    def closure_close(self, request, pk=None):
        """Close the project: the SAT is asked again about every invoice, then the checklist decides."""
        project = self.get_object()
        require(permissions.can_manage_project, request.user, project, NOT_COORDINATION)
        fields = valid(s.CloseInput, request)
        run_service(lambda: services.project_close(actor=request.user, project_id=project.pk, **fields))
        return self._closure(project)

