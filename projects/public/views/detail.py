"""A funded project's public page and its public files: no account needed. The page shows only what
`records.detail` gives (plain data); a file is served only when staff published it, and only from the
project in the address: anything else answers 404, as if it did not exist."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from nicp.storage import content_type_of, download_response
from projects.models import Expense, ProjectPhoto
from projects.models.committees import SeatPosition
from projects.public import jsonld, records
from projects.public.chart import daily, progress_chart
from projects.public.querysets import public_projects
from proposals.models import BudgetChapter


def _project(code: str):
    return get_object_or_404(public_projects().select_related("proposal", "call"), code=code)


def _absolute(path: str) -> str:
    return settings.NICP_SITE_URL + path


# Seats read president, secretary, then members (the record lists them by code).
SEAT_ORDER = {position: number for number, position in enumerate(SeatPosition.values)}


def _ordered_committees(committees: list[dict]) -> list[dict]:
    return [{**c, "seats": sorted(c["seats"], key=lambda seat: SEAT_ORDER[seat["position"]])} for c in committees]


def project_page(request, code):
    record = records.detail(_project(code))
    record["committees"] = _ordered_committees(record["committees"])
    progress = daily(record["progress_series"])
    url = _absolute(reverse("public:project", args=[record["code"]]))
    photo = record["photos"][0] if record["photos"] else None
    image = _absolute(reverse("public:photo", args=[record["code"], photo["id"]])) if photo else None
    public_ids = {entry["id"] for entry in record["logbook"]}
    return render(request, "projects/public/detail.html", {
        "p": record, "chart": progress_chart(progress), "progress_days": progress,
        "jsonld": jsonld.script_body(jsonld.project_data(record, url=url, image=image)),
        "share": jsonld.share_tags(record, url=url, image=image),
        "public_entry_ids": public_ids,
        "expenses": [{**row, "chapter_label": BudgetChapter(row["chapter"]).label} for row in record["expenses"]],
        "map_url": reverse("public:project_map") + "?" + urlencode({"unit": record["unit_key"]}),
    })


def photo(request, code, photo_pk):
    shown = get_object_or_404(ProjectPhoto.objects.filter(project=_project(code), is_public=True), pk=photo_pk)
    return download_response(shown.file, stem=f"foto-{code}-{photo_pk}", content_type=content_type_of(shown.file.name),
                             inline=True)


def receipt(request, code, expense_pk):
    """The invoice's PDF (else its XML), or the simple receipt's file, of a published receipt."""
    expense = get_object_or_404(records.public_expenses().filter(project=_project(code), receipt_public=True)
                                .select_related("cfdi"), pk=expense_pk)
    invoice = getattr(expense, "cfdi", None) if expense.kind == Expense.Kind.CFDI else None
    if not records.receipt_may_be_public(expense.kind, invoice.issuer_rfc if invoice else None):
        raise Http404
    stem = f"comprobante-{code}-{expense_pk}"
    if invoice is not None and invoice.pdf_file:
        return download_response(invoice.pdf_file, stem=stem, content_type="application/pdf", inline=True)
    if invoice is not None and invoice.xml_file:
        return download_response(invoice.xml_file, stem=stem, content_type="application/xml")
    if invoice is None and expense.receipt_file:
        return download_response(expense.receipt_file, stem=stem,
                                 content_type=content_type_of(expense.receipt_file.name), inline=True)
    raise Http404


DOCUMENT_STEMS = {"agreement": "convenio", "handover": "acta-entrega", "accountability": "acta-rendicion-cuentas"}


def document(request, code, kind):
    if kind not in DOCUMENT_STEMS:
        raise Http404
    stored = records.document_file(_project(code), kind)
    if not stored:
        raise Http404
    return download_response(stored, stem=f"{DOCUMENT_STEMS[kind]}-{code}", content_type=content_type_of(stored.name),
                             inline=True)
