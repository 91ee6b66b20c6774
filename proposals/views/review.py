"""Staff pages: the review queue, batch actions, comments, assemblies and technical reviews."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nicp import confirm
from nicp.csv import csv_streaming_response
from nicp.errors import StaleVersion
from nicp.storage import content_type_of, download_response
from proposals import confirmations, permissions, services
from proposals.filters import ReviewQueueFilter
from proposals.forms import (
    AssemblyRecordForm,
    AssemblyScheduleForm,
    BatchForm,
    CommentForm,
    ReopenForm,
    ReviewerAssignForm,
    ReviewForm,
    ReviewPhotoForm,
)
from proposals.models import (
    CHECKLIST,
    Assembly,
    AssemblyStatus,
    Proposal,
    ReviewAssignment,
    ReviewPhoto,
    TechnicalReview,
)
from proposals.services.review import review_problems
from proposals.views.proposals import apply_error, staff_form_failed
from proposals.views.queue_csv import QUEUE_CSV_FIELDS, QUEUE_CSV_HEADER, queue_csv_row
from proposals.workflow import ProposalState


class KnownCountPaginator(Paginator):
    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = count

    @property
    def count(self):
        return self._known_count


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _queue(request):
    base = Proposal.objects.submitted_visible_to(request.user)
    return ReviewQueueFilter(request.GET or None, queryset=base.for_list())


@login_required
def review_queue(request):
    _require(permissions.can_review_queue(request.user))
    queue = _queue(request)
    rows = queue.qs if request.GET.get("sort") else queue.qs.order_by("-submitted_at", "-id")
    counts = dict(queue.without_status().order_by().values_list("status").annotate(n=Count("id")))
    status = queue.form.cleaned_data.get("status") if queue.is_bound and queue.form.is_valid() else None
    # The counts per state already hold the total: no second COUNT over tens of thousands of rows.
    # Page over ids alone (a narrow query the sort indexes serve), then load the joined rows for
    # those 50: sorting tens of thousands of joined rows to keep 50 is what made the page slow.
    ids = rows.values_list("pk", flat=True)
    paginator = KnownCountPaginator(ids, 50, count=counts.get(status, 0) if status else sum(counts.values()))
    if queue.is_bound and not queue.form.is_valid():
        paginator = Paginator(ids, 50)
    page = paginator.get_page(request.GET.get("page"))
    loaded = Proposal.objects.for_list().in_bulk(list(page.object_list))
    page.object_list = [loaded[pk] for pk in page.object_list]
    states = [(code, label, counts.get(code, 0)) for code, label in ProposalState.choices if counts.get(code)]
    query = {k: v for k, v in request.GET.items() if k != "page"}
    return render(request, "proposals/review_queue.html", {
        "filter": queue, "page": page, "states": states, "total": sum(counts.values()),
        "batch_form": BatchForm(actor=request.user), "query": urlencode(query),
        "can_act": permissions.is_coordinator(request.user),
    })


@login_required
def review_queue_csv(request):
    """The filtered queue as CSV, streamed so tens of thousands of rows never sit in memory."""
    _require(permissions.can_review_queue(request.user))
    rows = _queue(request).qs.order_by("submitted_at", "id").values_list(*QUEUE_CSV_FIELDS)
    return csv_streaming_response("propuestas.csv", QUEUE_CSV_HEADER,
                                  (queue_csv_row(row) for row in rows.iterator(chunk_size=2000)))


@login_required
@require_POST
def review_batch(request):
    _require(permissions.is_coordinator(request.user))
    form = BatchForm(request.POST, actor=request.user)
    back = reverse("proposals:review_queue") + "?" + request.POST.get("back", "")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    ids = form.cleaned_data["ids"]
    if not ids:
        messages.error(request, _("Selecciona al menos una propuesta."))
        return redirect(back)
    if form.cleaned_data["action"] == "accept":
        results = services.proposals_batch(actor=request.user, proposal_ids=ids, action="accept")
    else:
        if form.cleaned_data["reviewer"] is None:
            messages.error(request, _("Elige a la persona revisora."))
            return redirect(back)
        results = services.reviewers_assign(actor=request.user, proposal_ids=ids,
                                            reviewer=form.cleaned_data["reviewer"])
    done = sum(r.ok for r in results)
    messages.success(request, _("%(done)d de %(total)d propuestas procesadas.") % {"done": done, "total": len(ids)})
    folios = dict(Proposal.objects.visible_to(request.user).filter(pk__in=[r.proposal_id for r in results])
                  .values_list("pk", "folio"))
    for result in results:
        if not result.ok:
            messages.error(request, f"{folios.get(result.proposal_id, result.proposal_id)}: {result.message}")
    return redirect(back)


def _proposal_for(user, pk) -> Proposal:
    return get_object_or_404(Proposal.objects.visible_to(user).for_list(), pk=pk)


def _back_to(proposal):
    return redirect("proposals:proposal_detail", pk=proposal.pk)


def _report(request, error) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, str(error))


def _run_panel_form(request, proposal, name: str, form, write, done: str):
    """The staff-panel pattern: valid and written → back to the page with a notice; otherwise the page
    again, this form as typed, each error by its field (a 400), nothing written."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            apply_error(form, error)
        except StaleVersion as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return _back_to(proposal)
    return staff_form_failed(request, proposal, **{name: form})


@login_required
@require_POST
def comment_add(request, pk):
    proposal = _proposal_for(request.user, pk)
    _require(permissions.can_comment_internally(request.user))
    return _run_panel_form(request, proposal, "comment_form", CommentForm(request.POST), lambda data: (
        services.staff_comment_add(actor=request.user, proposal_id=proposal.pk, body=data["body"])),
        _("Comentario agregado."))


def _assign_one(actor, proposal, reviewer) -> None:
    result = services.reviewers_assign(actor=actor, proposal_ids=[proposal.pk], reviewer=reviewer)[0]
    if not result.ok:
        raise ValidationError({"reviewer": result.message})


@login_required
@require_POST
def reviewer_assign(request, pk):
    proposal = _proposal_for(request.user, pk)
    _require(permissions.is_coordinator(request.user))
    form = ReviewerAssignForm(request.POST, actor=request.user)
    return _run_panel_form(request, proposal, "assign_form", form,
                           lambda data: _assign_one(request.user, proposal, data["reviewer"]),
                           _("Revisión técnica asignada."))


@login_required
@require_POST
def assembly_schedule(request, pk):
    proposal = _proposal_for(request.user, pk)
    _require(permissions.is_coordinator(request.user))
    return _run_panel_form(request, proposal, "schedule_form", AssemblyScheduleForm(request.POST), lambda data: (
        services.assembly_schedule(actor=request.user, proposal_id=proposal.pk, **data)),
        _("Asamblea programada; el grupo recibió el aviso."))


@login_required
@require_POST
def assembly_record(request, pk, assembly_pk):
    proposal = _proposal_for(request.user, pk)
    _require(permissions.is_coordinator(request.user))
    assembly = get_object_or_404(Assembly, pk=assembly_pk, proposal=proposal)
    if assembly.status != AssemblyStatus.SCHEDULED:  # a stale page: the panel no longer shows this form
        messages.error(request, _("El resultado de esta asamblea ya está registrado."))
        return _back_to(proposal)
    form = AssemblyRecordForm(request.POST, request.FILES)
    return _run_panel_form(request, proposal, "record_form", form, lambda data: (
        services.assembly_record(actor=request.user, assembly_id=assembly.pk, **data)),
        _("Resultado de la asamblea registrado."))


@login_required
def assembly_file(request, pk, assembly_pk, kind):
    proposal = _proposal_for(request.user, pk)
    assembly = get_object_or_404(Assembly, pk=assembly_pk, proposal=proposal)
    if kind not in ("acta", "asistencia"):
        raise Http404
    stored = assembly.minutes if kind == "acta" else assembly.attendance_list
    if not stored:
        raise Http404
    return download_response(stored, stem=f"{kind}-asamblea-{assembly.pk}", content_type=content_type_of(stored.name),
                             inline=request.GET.get("ver") == "1")


@login_required
def my_reviews(request):
    _require(permissions.is_technical_reviewer(request.user))
    assignments = (ReviewAssignment.objects.filter(reviewer=request.user)
                   .select_related("proposal__neighbourhood__borough", "proposal__group")
                   .order_by("-assigned_at"))
    reviews = {r.proposal_id: r for r in TechnicalReview.objects.filter(reviewer=request.user)}
    rows = [(a, reviews.get(a.proposal_id)) for a in assignments]
    return render(request, "proposals/my_reviews.html", {"rows": rows})


@login_required
def review_edit(request, pk):
    proposal = _proposal_for(request.user, pk)
    if not ReviewAssignment.objects.filter(proposal=proposal, reviewer=request.user).exists():
        raise Http404
    review = TechnicalReview.objects.filter(proposal=proposal, reviewer=request.user).first()
    form = ReviewForm(request.POST or None, review=review)
    form.fields[confirm.FIELD] = confirm.confirm_field(confirmations.SUBMIT_REVIEW)
    status = 200
    if request.method == "POST" and "submit" in request.POST and not confirm.require_confirmation(form):
        status = 400  # delivering the review is final: not without the checkbox, and nothing is saved
    elif request.method == "POST" and form.is_valid():
        try:
            services.review_save(actor=request.user, proposal_id=proposal.pk, data=form.review_data(),
                                 submit="submit" in request.POST, version=form.cleaned_data.get("version"))
        except ValidationError as error:
            for field, errors in (error.message_dict.items() if hasattr(error, "error_dict")
                                  else [(None, error.messages)]):
                form.add_error(field if field in form.fields else None, errors)
            status = 400
        except StaleVersion as error:
            form.add_error(None, str(error))
            status = 409
        else:
            messages.success(request, _("Dictamen entregado.") if "submit" in request.POST else _("Borrador guardado."))
            return redirect("proposals:review_edit", pk=proposal.pk)
    elif request.method == "POST":
        status = 400
    submitted = review is not None and review.status == TechnicalReview.Status.SUBMITTED
    return render(request, "proposals/review_form.html", {
        "proposal": proposal, "form": form, "review": review, "submitted": submitted,
        "photo_form": ReviewPhotoForm(), "checklist": CHECKLIST,
        "problems": review_problems(review) if review and not submitted else {},
        "attachments": proposal.attachments.all(), "lines": proposal.budget_lines.all(),
    }, status=status)


@login_required
@require_POST
def review_photo(request, pk):
    proposal = _proposal_for(request.user, pk)
    if not ReviewAssignment.objects.filter(proposal=proposal, reviewer=request.user).exists():
        raise Http404
    form = ReviewPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.review_photo_add(actor=request.user, proposal_id=proposal.pk, upload=form.cleaned_data["file"])
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("Foto agregada."))
    else:
        messages.error(request, _("Elige una foto."))
    return redirect("proposals:review_edit", pk=proposal.pk)


@login_required
def review_photo_file(request, pk, photo_pk):
    proposal = _proposal_for(request.user, pk)
    photo = get_object_or_404(ReviewPhoto.objects.visible_to(request.user), pk=photo_pk, review__proposal=proposal)
    return download_response(photo.file, stem=f"foto-{photo.pk}", content_type=photo.content_type,
                             inline=request.GET.get("ver") == "1")


@login_required
@require_POST
def review_reopen(request, pk, review_pk):
    proposal = _proposal_for(request.user, pk)
    _require(permissions.is_coordinator(request.user))
    review = get_object_or_404(TechnicalReview, pk=review_pk, proposal=proposal)
    form = ReopenForm(request.POST)
    form.review_pk = review.pk  # the panel shows this form, as typed, under the review it reopens
    return _run_panel_form(request, proposal, "reopen_form", form, lambda data: (
        services.review_reopen(actor=request.user, review_id=review.pk, note=data["note"])),
        _("Dictamen reabierto."))
