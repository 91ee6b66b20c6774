"""The public records of a funded project: each function names the fields it shows.

Every public page, export and endpoint (the listing, the map's GeoJSON, the project page, the statistics,
OC4IDS, the CSVs and /api/v1/public/) builds its output from these dicts, so a field that is not written
here cannot reach the public. Rules:

- People are never named, except the members of the community committees when the call's rules say their
  names are public (`Call.committee_names_public`). Staff appear by role, authors of the logbook by role.
- A supplier is named only when it is a company (a CFDI whose issuer RFC has 12 characters); an individual
  (a 13-character RFC, or a simple receipt for paid labour) is shown as «Persona física», without the RFC.
- Files (photos, receipts, documents) are public only when staff marked them so.
- A figure that does not exist yet is `None` («not yet reported»), never 0.
"""

from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Stratum
from nicp.dates import local_day
from projects.models import (
    AccountabilityAssembly,
    Agreement,
    CommitteeSeat,
    Expense,
    ExpenseEvent,
    Handover,
    LogbookEntry,
    ProgressReport,
    Project,
    ProjectEvent,
    ProjectPhoto,
    Tranche,
)
from projects.models.committees import CommitteeKind, SeatPosition
from projects.workflow import ExpenseState, ProjectState, ReportState, TrancheState
from proposals.models.calls import ProjectType

PRIVATE_SUPPLIER = _("Persona física")
COMPANY_RFC_LENGTH = 12  # a persona moral's RFC; an individual's has 13 characters

# Expenses the public sees: everything recorded except what finance rejected (it never counted).
PUBLIC_EXPENSE_STATES = (ExpenseState.RECORDED, ExpenseState.ENDORSED, ExpenseState.VERIFIED,
                         ExpenseState.OBSERVED)

# Timeline steps the public sees: the project's milestones, without notes (a note may name people).
PUBLIC_MILESTONES = ("create", "elect_committees", "agreement_uploaded", "sign_agreement", "tranche_release",
                     "suspend", "resume", "complete_works", "handover_uploaded", "open_accountability",
                     "accountability_recorded", "refund_recorded", "close", "cancel")


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def financial_progress(released, verified, approved) -> Decimal | None:
    """Verified expenses ÷ approved amount; `None` until money was released (nothing to prove yet)."""
    if not released and not verified:
        return None
    return percent(verified, approved)


def _point(row) -> tuple[float, float, str] | None:
    """The site's own point, else its unit's centroid when the catalogue has one, else none (listed, not
    mapped)."""
    if row["proposal__latitude"] is not None and row["proposal__longitude"] is not None:
        return float(row["proposal__latitude"]), float(row["proposal__longitude"]), "site"
    if row["neighbourhood__latitude"] is not None and row["neighbourhood__longitude"] is not None:
        return float(row["neighbourhood__latitude"]), float(row["neighbourhood__longitude"]), "unit_centroid"
    return None


def list_row(row: dict) -> dict:
    """One project as every public list shows it, from `querysets.LIST_FIELDS`."""
    point = _point(row)
    return {
        "id": row["id"],
        "code": row["code"],
        "title": row["title"],
        "year": row["call__fiscal_year"],
        "status": row["status"],
        "status_label": ProjectState(row["status"]).label,
        "project_type": row["proposal__project_type"] or "",
        "project_type_label": ProjectType(row["proposal__project_type"]).label if row["proposal__project_type"]
        else "",
        "unit_key": row["neighbourhood__key"],
        "unit_name": row["neighbourhood__name"],
        "borough_code": row["neighbourhood__borough__inegi_code"],
        "borough_name": row["neighbourhood__borough__name"],
        "stratum": row["neighbourhood__stratum"] or "",
        "stratum_label": Stratum(row["neighbourhood__stratum"]).label if row["neighbourhood__stratum"] else "",
        "approved_amount": row["approved_amount"],
        "released_amount": row["released_total"],
        "verified_amount": row["verified_total"],
        "physical_progress": row["physical_progress"] if row["progress_reported"] else None,
        "financial_progress": financial_progress(row["released_total"], row["verified_total"],
                                                 row["approved_amount"]),
        "starts_on": row["execution_starts_on"],
        "ends_on": row["execution_ends_on"],
        "updated_at": row["updated_at"],
        "latitude": point[0] if point else None,
        "longitude": point[1] if point else None,
        "location_precision": point[2] if point else "",
    }


def detail(project: Project) -> dict:
    """Everything the public project page shows, as plain data (a fixed number of queries)."""
    from projects.public.querysets import LIST_FIELDS, public_projects

    row = public_projects().filter(pk=project.pk).values(*LIST_FIELDS, "progress_reported").get()
    proposal = project.proposal
    return {
        **list_row(row),
        "modality": proposal.get_modality_display() if proposal.modality else "",
        "description": proposal.description,
        "objectives": proposal.objectives,
        "diagnosis": proposal.diagnosis,
        "population_benefited": proposal.population_benefited,
        "committees": committees(project),
        "tranches": tranches(project),
        "budget_lines": budget_lines(project),
        "expenses": expenses(project),
        "progress_series": progress_series(project),
        "photos": photos(project),
        "logbook": logbook(project),
        "documents": documents(project),
        "milestones": milestones(project),
        "refund": refund(project),
    }


def committees(project: Project) -> list[dict]:
    """The three committees with their current positions; names only when the call makes them public."""
    names_public = project.call.committee_names_public
    seats = (CommitteeSeat.objects.filter(project=project, ended_at__isnull=True)
             .order_by("committee", "position", "id").values("committee", "position", "full_name"))
    by_kind = {kind: [] for kind in CommitteeKind.values}
    for seat in seats:
        by_kind[seat["committee"]].append({
            "position": seat["position"], "position_label": SeatPosition(seat["position"]).label,
            "name": seat["full_name"] if names_public else None,
        })
    return [{"kind": kind, "label": CommitteeKind(kind).label, "seats": by_kind[kind]}
            for kind in CommitteeKind.values if by_kind[kind]]


def tranches(project: Project) -> list[dict]:
    rows = Tranche.objects.filter(project=project).order_by("number").values(
        "number", "share_percent", "amount", "status", "released_at", "transfer_date")
    return [{
        "number": t["number"], "share_percent": t["share_percent"], "amount": t["amount"],
        "status": t["status"], "status_label": TrancheState(t["status"]).label,
        "released_on": (t["transfer_date"] or local_day(t["released_at"]))
        if t["status"] == TrancheState.RELEASED else None,
    } for t in rows]


def budget_lines(project: Project) -> list[dict]:
    """The itemised budget with what was spent (verified) and what is recorded against each line."""
    from django.db.models import Sum

    lines = list(project.proposal.budget_lines.order_by("position", "id").values(
        "id", "chapter", "concept", "unit", "quantity", "unit_price"))
    verified = dict(Expense.objects.filter(project=project, status=ExpenseState.VERIFIED)
                    .values_list("budget_line").annotate(total=Sum("amount")).values_list("budget_line", "total"))
    from proposals.models import BudgetChapter

    return [{
        "id": line["id"], "chapter": line["chapter"], "chapter_label": BudgetChapter(line["chapter"]).label,
        "concept": line["concept"], "budgeted": (line["quantity"] * line["unit_price"]).quantize(Decimal("0.01")),
        "verified": verified.get(line["id"], Decimal("0")),
    } for line in lines]


def supplier_shown(kind: str, supplier: str, issuer_rfc: str | None, private: str = "") -> tuple[str, str]:
    """(name, RFC) as the public sees them: a company by name and RFC, an individual as «Persona física»
    (`private`: that text already translated, so a long export does not translate it once per row)."""
    if kind == Expense.Kind.CFDI and issuer_rfc and len(issuer_rfc) == COMPANY_RFC_LENGTH:
        return supplier, issuer_rfc
    return private or str(PRIVATE_SUPPLIER), ""


def receipt_may_be_public(kind: str, issuer_rfc: str | None) -> bool:
    """Only a company's invoice may be published as a file: a simple receipt is signed by the person paid, and
    an individual's invoice carries their name and RFC."""
    return kind == Expense.Kind.CFDI and bool(issuer_rfc) and len(issuer_rfc) == COMPANY_RFC_LENGTH


def expense_row(row: dict, private: str = "") -> dict:
    """One expense from `EXPENSE_FIELDS`; shared by the project page, the API and the CSV."""
    name, rfc = supplier_shown(row["kind"], row["supplier"], row["cfdi__issuer_rfc"], private)
    return {
        "id": row["id"], "spent_on": row["spent_on"], "amount": row["amount"],
        "kind": row["kind"], "kind_label": Expense.Kind(row["kind"]).label,
        "status": row["status"], "status_label": ExpenseState(row["status"]).label,
        "budget_line_id": row["budget_line_id"], "chapter": row["budget_line__chapter"],
        "concept": row["concept"], "supplier": name, "supplier_rfc": rfc,
        "cfdi_uuid": row["cfdi__uuid"] or "",
        "receipt_public": row["receipt_public"] and receipt_may_be_public(row["kind"], row["cfdi__issuer_rfc"]),
    }


EXPENSE_FIELDS = ("id", "project_id", "spent_on", "amount", "kind", "status", "budget_line_id",
                  "budget_line__chapter", "concept", "supplier", "cfdi__issuer_rfc", "cfdi__uuid", "receipt_public")


def public_expenses():
    return Expense.objects.filter(status__in=PUBLIC_EXPENSE_STATES)


def expenses(project: Project) -> list[dict]:
    rows = public_expenses().filter(project=project).order_by("-spent_on", "-id").values(*EXPENSE_FIELDS)
    return [expense_row(row) for row in rows]


def progress_series(project: Project) -> list[dict]:
    """Dated observations of both progress figures: each endorsed report (physical), and the running sum
    of verified expenses at each verification or revocation (financial, as % of the approved amount)."""
    points = [{"date": local_day(r["endorsed_at"]), "physical": r["physical_percent"], "financial": None}
              for r in ProgressReport.objects.filter(project=project, status=ReportState.ENDORSED,
                                                     endorsed_at__isnull=False)
              .order_by("endorsed_at").values("endorsed_at", "physical_percent")]
    running = Decimal("0")
    moves = (ExpenseEvent.objects.filter(expense__project=project)
             .filter(Q(to_state=ExpenseState.VERIFIED) | Q(from_state=ExpenseState.VERIFIED))
             .exclude(from_state=ExpenseState.VERIFIED, to_state=ExpenseState.VERIFIED)
             .order_by("created_at", "id").values("created_at", "to_state", "expense__amount"))
    for move in moves:
        running += move["expense__amount"] if move["to_state"] == ExpenseState.VERIFIED else -move["expense__amount"]
        points.append({"date": local_day(move["created_at"]), "physical": None,
                       "financial": percent(running, project.approved_amount)})
    points.sort(key=lambda p: p["date"])
    return points


def photos(project: Project) -> list[dict]:
    return [{"id": p["id"], "caption": p["caption"], "taken_on": local_day(p["taken_at"])}
            for p in ProjectPhoto.objects.filter(project=project, is_public=True).order_by("uploaded_at", "id")
            .values("id", "caption", "taken_at")]


def logbook(project: Project) -> list[dict]:
    """Published entries; an entry a later one corrects says so, published or not, so a figure it gave is
    never read as the last word."""
    from django.db.models import Exists, OuterRef

    corrected = LogbookEntry.objects.filter(corrects=OuterRef("pk"))
    return list(LogbookEntry.objects.filter(project=project, is_public=True).annotate(corrected=Exists(corrected))
                .order_by("-happened_on", "-id")
                .values("id", "happened_on", "text", "author_role", "corrects_id", "corrected"))


def documents_may_be_public(project: Project) -> bool:
    """The agreement, the handover record and the accountability minutes name the committees' members and
    carry their signatures: their files are public only when the call's rules make those names public."""
    return project.call.committee_names_public


def documents(project: Project) -> list[dict]:
    """The agreement, the handover record and the accountability minutes: each listed with its date once it
    exists, and downloadable only when staff published it (and the call's rules allow names)."""
    allowed = documents_may_be_public(project)
    out = []
    agreement = Agreement.objects.filter(project=project).values("ministry_signed_on", "signed_file",
                                                                 "is_public").first()
    if agreement:
        out.append({"kind": "agreement", "label": _("Convenio de colaboración"),
                    "date": agreement["ministry_signed_on"],
                    "public": allowed and bool(agreement["is_public"] and agreement["signed_file"])})
    handover = Handover.objects.filter(project=project).values("delivered_on", "signed_file", "is_public").first()
    if handover:
        out.append({"kind": "handover", "label": _("Acta de entrega-recepción"), "date": handover["delivered_on"],
                    "public": allowed and bool(handover["is_public"] and handover["signed_file"])})
    assembly = AccountabilityAssembly.objects.filter(project=project).values(
        "held_on", "attendance", "is_public").first()
    if assembly:
        out.append({"kind": "accountability", "label": _("Acta de la asamblea de rendición de cuentas"),
                    "date": assembly["held_on"], "attendance": assembly["attendance"],
                    "public": allowed and bool(assembly["is_public"])})
    return out


def document_file(project: Project, kind: str):
    """The stored file of a published document, or None."""
    if not documents_may_be_public(project):
        return None
    if kind == "agreement":
        row = Agreement.objects.filter(project=project, is_public=True).exclude(signed_file="").first()
        return row.signed_file if row else None
    if kind == "handover":
        row = Handover.objects.filter(project=project, is_public=True).exclude(signed_file="").first()
        return row.signed_file if row else None
    if kind == "accountability":
        row = AccountabilityAssembly.objects.filter(project=project, is_public=True).first()
        return row.minutes_file if row else None
    return None


def milestones(project: Project) -> list[dict]:
    from projects.workflow import event_label

    rows = (ProjectEvent.objects.filter(project=project, action__in=PUBLIC_MILESTONES)
            .order_by("created_at", "id").values("action", "to_state", "created_at"))
    return [{"action": r["action"], "label": event_label(r["action"]), "date": local_day(r["created_at"])}
            for r in rows]


def refund(project: Project) -> dict | None:
    from projects.models import Refund

    row = Refund.objects.filter(project=project).values("reason", "amount", "transfer_date").first()
    if not row:
        return None
    return {"reason": row["reason"], "reason_label": Refund.Reason(row["reason"]).label, "amount": row["amount"],
            "returned_on": row["transfer_date"]}
