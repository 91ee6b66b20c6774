"""`oc4ids.json`: every funded project as an OC4IDS 0.9 project package (Open Contracting for Infrastructure
Data Standard), streamed.

Memory stays flat and queries fixed: the projects are read in batches of BATCH, and each batch costs the
same queries whatever its size (the project rows, then tranches, endorsed reports, expense verifications,
milestones and the three documents for the whole batch). Every value comes from a public field that
`projects.public.records` shows too (same rules: released tranches only, published documents only, no
person named); the progress series repeats `records.progress_series` over a batch (a test keeps them equal).

How our states and types map to the standard's codelists is in STATUS, PROJECT_TYPES and SECTORS."""

import json
from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation

from nicp.dates import local_day
from projects.models import (
    AccountabilityAssembly,
    Agreement,
    ExpenseEvent,
    Handover,
    ProgressReport,
    Project,
    ProjectEvent,
    Tranche,
)
from projects.public.querysets import LIST_FIELDS, public_projects
from projects.public.records import PUBLIC_MILESTONES, list_row, percent
from projects.workflow import ExpenseState, ProjectState, ReportState, TrancheState, event_label

BATCH = 500
VERSION = "0.9"
CURRENCY = "MXN"
# The ministry that runs the programme: publisher, public authority, funder and payer of every tranche.
PUBLISHER_NAME = settings.OPEN_DATA_PUBLISHER
PUBLISHER_ID = "SEBIEN-CDMX"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"  # CC BY 4.0, as /datos/ says

# projectStatus is a closed codelist. Funded but not yet started (committees, agreement) is preparation;
# works under way or paused are implementation; works finished (handover, accountability, closed) are
# completion; a cancelled project is cancelled.
STATUS = {
    ProjectState.COMMITTEES_PENDING: "preparation",
    ProjectState.AGREEMENT_PENDING: "preparation",
    ProjectState.IN_EXECUTION: "implementation",
    ProjectState.SUSPENDED: "implementation",
    ProjectState.WORKS_COMPLETED: "completion",
    ProjectState.ACCOUNTABILITY: "completion",
    ProjectState.CLOSED: "completion",
    ProjectState.CANCELLED: "cancelled",
}
# projectType (closed): a new project builds; a continuation extends what an earlier one built.
PROJECT_TYPES = {"new": "construction", "continuation": "expansion"}
# projectSector (open; a subsector comes with its parent). Public spaces, community and cultural centres
# are «culture, sports and recreation» (it names parks and green areas); street lighting is energy
# distribution; stairs and walkways are urban transport (walking).
SECTORS = {
    "community_centre": ["cultureSportsAndRecreation"],
    "cultural_centre": ["cultureSportsAndRecreation"],
    "park": ["cultureSportsAndRecreation"],
    "sports": ["cultureSportsAndRecreation"],
    "site_museum": ["cultureSportsAndRecreation"],
    "lighting": ["energy"],
    "stairs_walkways": ["transport", "transport.urban"],
    "other": ["cultureSportsAndRecreation"],
}
DOCUMENT_TYPES = {"agreement": "contractSigned", "handover": "completionCertificate",
                  "accountability": "minutes"}
DOCUMENT_TITLES = {"agreement": "Convenio de colaboración", "handover": "Acta de entrega-recepción",
                   "accountability": "Acta de la asamblea de rendición de cuentas"}
# milestoneType (open).
MILESTONE_TYPES = {
    "create": "approval", "elect_committees": "engagement", "agreement_uploaded": "approval",
    "sign_agreement": "approval", "tranche_release": "financing", "suspend": "delivery", "resume": "delivery",
    "complete_works": "delivery", "handover_uploaded": "delivery", "open_accountability": "reporting",
    "accountability_recorded": "reporting", "refund_recorded": "financing", "close": "reporting",
    "cancel": "approval",
}
EXTRA_FIELDS = ("created_at", "proposal__description", "proposal__modality")


def site_url() -> str:
    return settings.NICP_SITE_URL.rstrip("/")


def ocid(code: str) -> str:
    return f"{settings.OC4IDS_PREFIX}{code}"


def moment(value) -> str | None:
    """A date or datetime as the standard's date-time (a date is midnight in Mexico City)."""
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = timezone.make_aware(datetime.combine(value, time.min))
    return timezone.localtime(value).isoformat()


def money(amount) -> dict:
    return {"amount": float(amount), "currency": CURRENCY}


def ministry_ref() -> dict:
    return {"id": PUBLISHER_ID, "name": PUBLISHER_NAME}


def committee_ref(code: str) -> dict:
    # The committee as a body, never its members: the payee of every tranche.
    return {"id": f"comite-administracion-{code}", "name": f"Comité de Administración del proyecto {code}"}


def last_modified():
    """When any figure the package shows last changed (projects, their timeline, verifications, reports)."""
    stamps = [
        Project.objects.aggregate(at=Max("updated_at"))["at"],
        ProjectEvent.objects.aggregate(at=Max("created_at"))["at"],
        ExpenseEvent.objects.aggregate(at=Max("created_at"))["at"],
        ProgressReport.objects.aggregate(at=Max("endorsed_at"))["at"],
    ]
    stamps = [s for s in stamps if s is not None]
    return max(stamps) if stamps else None


def write(projects):
    """Yield the package in text chunks: the header, one chunk per batch of projects, the closing."""
    published = last_modified() or timezone.now()
    header = {
        "uri": site_url() + reverse("opendata:download", args=["oc4ids.json"]),
        "publishedDate": moment(published),
        "version": VERSION,
        "publisher": {"name": PUBLISHER_NAME, "uid": PUBLISHER_ID, "uri": site_url() + "/"},
        "license": LICENSE,
        "publicationPolicy": site_url() + reverse("opendata:dictionary"),
    }
    yield json.dumps(header, ensure_ascii=False)[:-1] + ', "projects": ['
    ordered = projects if projects.ordered else projects.order_by("pk")
    ids = list(ordered.values_list("pk", flat=True))  # 10,000 integers: small; the rows come by batch
    separator = ""
    for start in range(0, len(ids), BATCH):
        with translation.override("es"):
            chunk = separator + ",".join(json.dumps(project, ensure_ascii=False)
                                         for project in batch_projects(ids[start:start + BATCH]))
        separator = ","
        yield chunk
    yield "]}"


def batch_projects(ids: list[int]) -> list[dict]:
    """The OC4IDS projects of `ids`, in that order, in a fixed number of queries."""
    rows = {row["id"]: row for row in public_projects().filter(pk__in=ids).order_by()
            .values(*LIST_FIELDS, "progress_reported", *EXTRA_FIELDS)}
    related = _related(ids)
    return [project(rows[pk], related) for pk in ids if pk in rows]


def _group(rows, key="project_id") -> dict:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def _related(ids: list[int]) -> dict:
    return {
        "tranches": _group(Tranche.objects.filter(project_id__in=ids, status=TrancheState.RELEASED)
                           .order_by("project_id", "number")
                           .values("project_id", "number", "amount", "released_at", "transfer_date")),
        "reports": _group(ProgressReport.objects.filter(project_id__in=ids, status=ReportState.ENDORSED,
                                                        endorsed_at__isnull=False)
                          .order_by("endorsed_at", "id").values("project_id", "endorsed_at", "physical_percent")),
        "verifications": _group(
            ExpenseEvent.objects.filter(expense__project_id__in=ids)
            .filter(Q(to_state=ExpenseState.VERIFIED) | Q(from_state=ExpenseState.VERIFIED))
            .exclude(from_state=ExpenseState.VERIFIED, to_state=ExpenseState.VERIFIED)
            .order_by("created_at", "id").values("expense__project_id", "created_at", "to_state", "expense__amount"),
            key="expense__project_id"),
        "events": _group(ProjectEvent.objects.filter(project_id__in=ids, action__in=PUBLIC_MILESTONES)
                         .order_by("created_at", "id").values("project_id", "action", "created_at")),
        "agreement": {r["project_id"]: r for r in Agreement.objects.filter(project_id__in=ids)
                      .values("project_id", "ministry_signed_on", "signed_file", "is_public")},
        "handover": {r["project_id"]: r for r in Handover.objects.filter(project_id__in=ids)
                     .values("project_id", "delivered_on", "signed_file", "is_public")},
        "accountability": {r["project_id"]: r for r in AccountabilityAssembly.objects.filter(project_id__in=ids)
                           .values("project_id", "held_on", "minutes_file", "is_public")},
    }


def project(row: dict, related: dict) -> dict:
    public = list_row(row)
    pk, code = public["id"], public["code"]
    out = {
        "id": ocid(code),
        "updated": moment(public["updated_at"]),
        "language": "es",
        "title": public["title"],
        "status": STATUS[public["status"]],
        "publicAuthority": ministry_ref(),
        "period": {"startDate": moment(public["starts_on"]), "endDate": moment(public["ends_on"])},
        "budget": {"amount": money(public["approved_amount"]), "approvalDate": moment(row["created_at"])},
        "locations": [location(public)],
        "parties": [
            {**ministry_ref(), "roles": ["publicAuthority", "funder", "payer"]},
            {**committee_ref(code), "roles": ["payee"]},
        ],
    }
    if row["proposal__description"]:
        out["description"] = row["proposal__description"]
    if row["proposal__modality"] in PROJECT_TYPES:
        out["type"] = PROJECT_TYPES[row["proposal__modality"]]
    if public["project_type"] in SECTORS:
        out["sector"] = SECTORS[public["project_type"]]
    optional = {
        "transactions": transactions(code, related["tranches"].get(pk, [])),
        "metrics": metrics(code, series(public["approved_amount"], related["reports"].get(pk, []),
                                        related["verifications"].get(pk, []))),
        "milestones": milestones(code, related["events"].get(pk, [])),
        "documents": documents(code, related, pk),
    }
    out.update({key: value for key, value in optional.items() if value})
    if public["status"] == ProjectState.CLOSED:
        out["completion"] = completion(public, related, pk)
    return out


def location(public: dict) -> dict:
    place = {"id": "1", "address": {"locality": public["unit_name"], "region": public["borough_name"],
                                    "countryName": "México"}}
    if public["latitude"] is not None:
        place["geometry"] = {"type": "Point", "coordinates": [public["longitude"], public["latitude"]]}
    return place


def transactions(code: str, tranches: list[dict]) -> list[dict]:
    return [{
        "id": f"{code}-ministracion-{t['number']}",
        "date": moment(t["transfer_date"] or t["released_at"]),
        "value": money(t["amount"]),
        "payer": ministry_ref(),
        "payee": committee_ref(code),
    } for t in tranches]


def series(approved, reports: list[dict], verifications: list[dict]) -> list[dict]:
    """Like `records.progress_series`: each endorsed report (physical), and the running verified total at
    each verification or revocation (financial, % of the approved amount)."""
    points = [{"date": local_day(r["endorsed_at"]), "physical": r["physical_percent"], "financial": None}
              for r in reports]
    running = Decimal("0")
    for move in verifications:
        amount = move["expense__amount"]
        running += amount if move["to_state"] == ExpenseState.VERIFIED else -amount
        points.append({"date": local_day(move["created_at"]), "physical": None,
                       "financial": percent(running, approved)})
    points.sort(key=lambda p: p["date"])
    return points


def metrics(code: str, points: list[dict]) -> list[dict]:
    out = []
    for metric, key, title in (("physicalProgress", "physical", "Avance físico (%)"),
                               ("financialProgress", "financial", "Avance financiero (% del monto aprobado)")):
        observations = [{
            "id": f"{code}-{key}-{n}",
            "period": {"startDate": moment(p["date"]), "endDate": moment(p["date"])},
            "measure": float(p[key]),
            "unit": {"name": "percent"},
        } for n, p in enumerate((p for p in points if p[key] is not None), start=1)]
        if observations:
            out.append({"id": metric, "title": title, "observations": observations})
    return out


def milestones(code: str, events: list[dict]) -> list[dict]:
    out = []
    for n, event in enumerate(events, start=1):
        milestone = {"id": f"{code}-hito-{n}", "title": str(event_label(event["action"])), "code": event["action"],
                     "status": "met", "dateMet": moment(event["created_at"])}
        if event["action"] in MILESTONE_TYPES:
            milestone["type"] = MILESTONE_TYPES[event["action"]]
        out.append(milestone)
    return out


def documents(code: str, related: dict, pk: int) -> list[dict]:
    """Only the documents staff published, each with its public address."""
    shown = []
    for kind, date_field, file_field in (("agreement", "ministry_signed_on", "signed_file"),
                                         ("handover", "delivered_on", "signed_file"),
                                         ("accountability", "held_on", "minutes_file")):
        row = related[kind].get(pk)
        if not row or not row["is_public"] or not row[file_field]:
            continue
        document = {"id": f"{code}-{kind}", "documentType": DOCUMENT_TYPES[kind], "title": DOCUMENT_TITLES[kind],
                    "url": site_url() + reverse("public:document", args=[code, kind]),
                    "format": "application/pdf", "language": "es"}
        if row[date_field]:
            document["datePublished"] = moment(row[date_field])
        shown.append(document)
    return shown


def completion(public: dict, related: dict, pk: int) -> dict:
    """A closed project's final figures: when the works were delivered (or the project closed) and the
    money proved with verified expenses."""
    handover = related["handover"].get(pk)
    closed = [e["created_at"] for e in related["events"].get(pk, []) if e["action"] == "close"]
    end = handover["delivered_on"] if handover else (closed[-1] if closed else None)
    out = {"finalValue": money(public["verified_amount"]),
           "finalValueDetails": "Monto comprobado con gastos verificados por la Secretaría."}
    if end:
        out["endDate"] = moment(end)
    return out


def register_dataset():
    from django.utils.translation import gettext_lazy as _

    from reports.opendata.datasets import Dataset, register

    return register(Dataset(
        filename="oc4ids.json", label=_("Proyectos en OC4IDS"),
        description=_("Un paquete de proyectos del estándar OC4IDS 0.9: cada proyecto financiado con su "
                      "presupuesto, ministraciones, avance, hitos y documentos publicados."),
        content_type="application/json", write=write, last_modified=last_modified, filterable=True,
        dictionary="oc4ids"))


DATASET = register_dataset()
