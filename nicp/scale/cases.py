"""The benchmark's registry: every list page and list endpoint of every role and of the public, the heavy
detail pages, the exports and the reminder sweep, each with the most queries it may read.

A case names its route (`namespace:name`), the sample objects its arguments are (found by
benchmark_world.find_world) and its query string, where `{borough}`-style fields are samples too. The
budget is a ceiling on queries that holds whatever the number of rows: a list reads the same few tables
for 10 rows or 50,000. tests/perf/test_benchmark.py checks that every route of the URLconfs below is
either a case here or in NOT_MEASURED with the reason.
"""

from dataclasses import dataclass

from nicp.scale.benchmark_world import (
    APPLICANT,
    AUDITOR,
    COMMITTEE,
    COORDINATOR,
    FINANCE,
    PROJECT_SEAT,
    PUBLIC,
    REVIEWER,
)

PAGE, EXPORT, REPORT, SWEEP = "page", "export", "report", "sweep"
DEEP = 200  # the deep page of an HTML list (a page past the end is the last one)


@dataclass(frozen=True)
class Case:
    label: str
    role: str
    name: str  # the route, namespace:name ("" for the report and the sweep, run in process)
    budget: int  # the most queries one request may read
    args: tuple[str, ...] = ()  # reverse()'s arguments, each formatted with the samples: "{project}"
    query: str = ""  # formatted with the samples too
    kind: str = PAGE
    follow: int = 0  # follow the API's `next` link this many times first (a cursor page)


def _list(label, role, name, budget, query="", args=()):
    return Case(label, role, name, budget, args=args, query=query)


def _export(label, role, name, budget, query="", args=()):
    return Case(label, role, name, budget, args=args, query=query, kind=EXPORT)


P, J = ("{proposal}",), ("{project}",)
SEAT_J = ("{seat_project}",)  # the busiest project the community account sits on
CASES: list[Case] = [
    # Staff review: the coordinator's queue in every shape, the reviewer's and the auditor's.
    _list("review queue", COORDINATOR, "proposals:review_queue", 14),
    _list(f"review queue page {DEEP}", COORDINATOR, "proposals:review_queue", 14, f"page={DEEP}"),
    _list("review queue state", COORDINATOR, "proposals:review_queue", 14, "status=eligible"),
    _list("review queue borough+stratum", COORDINATOR, "proposals:review_queue", 14, "borough={borough}&stratum=bajo"),
    _list("review queue title search p20", COORDINATOR, "proposals:review_queue", 14, "q=Parque&page=20"),
    _list("review queue by amount", COORDINATOR, "proposals:review_queue", 14, "sort=monto"),
    _list("review queue call", COORDINATOR, "proposals:review_queue", 14, "call={call}"),
    _list("review queue", AUDITOR, "proposals:review_queue", 14),
    _list("my reviews", REVIEWER, "proposals:my_reviews", 12),
    _list("calls", COORDINATOR, "proposals:call_list", 12),
    _list("calls", PUBLIC, "proposals:call_list", 8),
    _list("call page", COORDINATOR, "proposals:call_detail", 20, args=("{call}",)),
    _list("call reminders", COORDINATOR, "proposals:call_reminders", 14, args=("{call}",)),
    _list("my proposals", APPLICANT, "proposals:proposal_list", 12),
    _list("proposals", COORDINATOR, "proposals:proposal_list", 12),
    _list("proposal page (heaviest)", COORDINATOR, "proposals:proposal_detail", 40, args=P),
    _list("proposal page (heaviest)", AUDITOR, "proposals:proposal_detail", 40, args=P),
    _export("review queue CSV", COORDINATOR, "proposals:review_queue_csv", 10),
    # The Committee.
    _list("committees", COORDINATOR, "committees:index", 10),
    _list("committees", COMMITTEE, "committees:index", 10),
    _list("committee home", COMMITTEE, "committees:home", 25, args=("{committee_call}",)),
    _list("committee home", COORDINATOR, "committees:home", 25, args=("{committee_call}",)),
    _list("committee session", COORDINATOR, "committees:session", 30, args=("{committee_call}",)),
    _list("results", PUBLIC, "committees:results", 12, args=("{results_call}",)),
    _export("results CSV", PUBLIC, "committees:results_csv", 8, args=("{results_call}",)),
    # Funded projects: the lists of every role, the finance queues, the busiest project's tabs.
    _list("projects", COORDINATOR, "projects:list", 14),
    _list(f"projects page {DEEP}", COORDINATOR, "projects:list", 14, f"page={DEEP}"),
    _list("projects state", COORDINATOR, "projects:list", 14, "status=in_execution"),
    _list("projects borough", COORDINATOR, "projects:list", 14, "borough={borough}"),
    _list("projects needs my action", COORDINATOR, "projects:list", 14, "mine=on"),
    _list("projects needs my action", FINANCE, "projects:list", 14, "mine=on"),
    _list("projects", AUDITOR, "projects:list", 14),
    _list("projects", PROJECT_SEAT, "projects:list", 14),
    _list("projects", APPLICANT, "projects:list", 14),
    _list("finance queue", FINANCE, "projects:finance_queue", 16),
    _list("expense queue", FINANCE, "projects:expense_queue", 14),
    _list(f"expense queue page {DEEP}", FINANCE, "projects:expense_queue", 14, f"page={DEEP}"),
    _list("project summary (most expenses)", COORDINATOR, "projects:detail", 50, args=J),
    _list("project summary (most expenses)", PROJECT_SEAT, "projects:detail", 50, args=SEAT_J),
    _list("project money", FINANCE, "projects:money", 40, args=J),
    _list("project expenses tab", FINANCE, "projects:expenses", 30, args=J),
    _list(f"project expenses tab page {DEEP}", FINANCE, "projects:expenses", 30, f"page={DEEP}", args=J),
    _list("project expenses tab", PROJECT_SEAT, "projects:expenses", 30, args=SEAT_J),
    _list("project progress tab", COORDINATOR, "projects:progress", 30, args=J),
    _list("project logbook tab", COORDINATOR, "projects:logbook", 30, args=J),
    _list("project visits tab", COORDINATOR, "projects:visits", 30, args=J),
    _list("project closure tab", COORDINATOR, "projects:closure", 30, args=J),
    _list("project timeline tab", COORDINATOR, "projects:timeline", 30, args=J),
    # Reports, the dashboard, notices, groups, the territory.
    _list("reports", COORDINATOR, "reports:list", 10),
    # The start page's sections (what waits for you, per role held) are a fixed set of reads.
    _list("start page", COORDINATOR, "dashboard:start", 30),
    _list("start page", APPLICANT, "dashboard:start", 30),
    _list("start page", PROJECT_SEAT, "dashboard:start", 30),
    _list("notices", APPLICANT, "notifications:inbox", 10),
    # A few reads per kind of reminder in the catalogue (what the next sweeps will send), not per row.
    _list("reminders", COORDINATOR, "notifications:reminders", 60),
    _list("groups", COORDINATOR, "accounts:group_list", 10),
    _list("groups", APPLICANT, "accounts:group_list", 10),
    _list("boroughs", PUBLIC, "territory:borough_list", 8),
    _list("borough", PUBLIC, "territory:borough_detail", 8, args=("{borough}",)),
    # The public side.
    _list("public projects", PUBLIC, "public:project_list", 10),
    _list(f"public projects page {DEEP}", PUBLIC, "public:project_list", 10, f"page={DEEP}"),
    _list("public projects borough", PUBLIC, "public:project_list", 10, "borough={borough}"),
    _list("public projects search", PUBLIC, "public:project_list", 10, "q=Parque"),
    _list("public projects by amount", PUBLIC, "public:project_list", 10, "sort=monto"),
    _list("public map", PUBLIC, "public:project_map", 10),
    _list("public map GeoJSON borough", PUBLIC, "public:project_geojson", 10, "borough={borough}"),
    _list("public project (most expenses)", PUBLIC, "public:project", 30, args=("{public_code}",)),
    _list("statistics", PUBLIC, "public:statistics", 20),
    _export("statistics CSV", PUBLIC, "public:statistics_csv", 10, args=("alcaldias",)),
    _list("open data", PUBLIC, "opendata:index", 10),
    _list("open data dictionary", PUBLIC, "opendata:dictionary", 10),
    _export("proyectos.csv", PUBLIC, "opendata:download", 12, args=("proyectos.csv",)),
    _export("ministraciones.csv", PUBLIC, "opendata:download", 12, args=("ministraciones.csv",)),
    _export("gastos.csv", PUBLIC, "opendata:download", 12, args=("gastos.csv",)),
    _export("proyectos.geojson", PUBLIC, "opendata:download", 12, args=("proyectos.geojson",)),
    _export("oc4ids.json", PUBLIC, "opendata:download", 20, args=("oc4ids.json",)),
    # The API.
    _list("API proposals", COORDINATOR, "api:proposal-list", 10),
    _list("API proposals deep page", COORDINATOR, "api:proposal-list", 10, "page={proposal_api_deep}"),
    _list("API proposals state", COORDINATOR, "api:proposal-list", 10, "status=eligible"),
    _list("API proposals call", COORDINATOR, "api:proposal-list", 10, "call={call}"),
    _list("API proposals", APPLICANT, "api:proposal-list", 10),
    _list("API proposals", REVIEWER, "api:proposal-list", 10),
    _list("API proposal events", COORDINATOR, "api:proposal-events", 10, args=P),
    _list("API proposal reviews", COORDINATOR, "api:proposal-reviews", 10, args=P),
    _list("API proposal assemblies", COORDINATOR, "api:proposal-assemblies", 10, args=P),
    _list("API calls", PUBLIC, "api:call-list", 8),
    _list("API boroughs", PUBLIC, "api:borough-list", 8),
    _list("API neighbourhoods", PUBLIC, "api:neighbourhood-list", 8),
    _list("API neighbourhoods borough", PUBLIC, "api:neighbourhood-list", 8, "borough={borough}"),
    _list("API committees", COMMITTEE, "api:committee-list", 8),
    _list("API committee proposals", COMMITTEE, "api:committee-proposals", 14, args=("{committee}",)),
    _list("API call results", PUBLIC, "api:call-results", 10, args=("{results_call}",)),
    _list("API projects", COORDINATOR, "api:project-list", 10),
    _list("API projects deep page", COORDINATOR, "api:project-list", 10, "page={project_api_deep}"),
    _list("API projects state", COORDINATOR, "api:project-list", 10, "status=in_execution"),
    _list("API projects needs my action", FINANCE, "api:project-list", 10, "needs_my_action=true"),
    _list("API projects", PROJECT_SEAT, "api:project-list", 10),
    _list("API project events", COORDINATOR, "api:project-events", 10, args=J),
    _list("API project committees", COORDINATOR, "api:project-committees", 10, args=J),
    _list("API project tranches", COORDINATOR, "api:project-tranches", 12, args=J),
    _list("API expenses", FINANCE, "api:expense-list", 10),
    _list("API expenses deep page", FINANCE, "api:expense-list", 10, "page={expense_api_deep}"),
    _list("API expenses to verify", FINANCE, "api:expense-list", 10, "status=endorsed"),
    _list("API project expenses", PROJECT_SEAT, "api:project-expense-list", 12, args=SEAT_J),
    _list("API project reports", COORDINATOR, "api:project-report-list", 12, args=J),
    _list("API project logbook", COORDINATOR, "api:project-logbook-list", 12, args=J),
    _list("API project visits", COORDINATOR, "api:project-visit-list", 12, args=J),
    _list("API project observations", COORDINATOR, "api:project-observation-list", 12, args=J),
    _list("API own tokens", COORDINATOR, "api:tokens", 6),
    _list("API public projects", PUBLIC, "api:public-projects", 10),
    Case("API public projects cursor page 10", PUBLIC, "api:public-projects", 10, follow=9),
    _list("API public projects borough", PUBLIC, "api:public-projects", 10, "borough={borough}"),
    _list("API public project (most expenses)", PUBLIC, "api:public-project", 20, args=("{public_code}",)),
    # Exports built by a worker (XLSX) and the reminder sweep, in process.
    Case("call report XLSX (built in process)", COORDINATOR, "", 60, args=("{call}",), kind=REPORT),
    Case("reminder sweep (Celery task, in process)", COORDINATOR, "", 60, kind=SWEEP),
]

# Routes of the URLconfs that are not a list, with why they are not measured. A new route must land in
# one of the two: tests/perf/test_benchmark.py fails otherwise.
ACTION = "a POST action or form: it writes, nothing to list"
FILE = "one stored file served as it is (no list behind it)"
DETAIL = "a detail page of one small object; its heavy siblings are measured"
FORM = "a form page for one object: reads that object only"
AUTH = "token and session plumbing"
NOT_MEASURED: dict[str, str] = {
    **dict.fromkeys([
        "proposals:call_create", "proposals:call_edit", "proposals:call_action", "proposals:call_document_upload",
        "proposals:proposal_start", "proposals:proposal_action", "proposals:attachment_delete",
        "proposals:review_batch", "proposals:comment_add", "proposals:reviewer_assign",
        "proposals:assembly_schedule", "proposals:assembly_record", "proposals:review_photo",
        "proposals:review_reopen", "committees:committee_set", "committees:member_add", "committees:member_remove",
        "committees:shortlist", "committees:recuse", "committees:selection_change", "committees:vote",
        "committees:session_close", "committees:publish", "projects:action", "projects:election_schedule",
        "projects:election_record", "projects:seat_replace", "projects:seat_accept", "projects:account_register",
        "projects:account_review", "projects:agreement_generate", "projects:agreement_upload",
        "projects:agreement_sign", "projects:tranche_request", "projects:tranche_approve",
        "projects:tranche_withhold", "projects:tranche_release", "projects:rules_edit", "projects:expense_invoice",
        "projects:expense_invoice_confirm", "projects:expense_simple", "projects:expense_action",
        "projects:expense_correct", "projects:expense_batch_verify", "projects:report_submit",
        "projects:report_action", "projects:logbook_write", "projects:visit_record", "projects:observation_answer",
        "projects:observation_settle", "projects:photo_publish", "projects:handover_generate",
        "projects:handover_upload", "projects:accountability_record", "projects:refund_record",
        "projects:logbook_entry_publish", "projects:expense_receipt_publish", "projects:document_publish",
        "reports:request", "reports:retry", "api:proposal-transitions", "api:proposal-attachments",
        "api:proposal-assembly-outcome",
        "api:committee-score", "api:project-transitions", "api:project-tranche-transitions",
        "api:project-closure-accountability", "api:project-closure-close", "api:project-closure-handover",
        "api:project-closure-handover-signed", "api:project-closure-refund", "api:expense-verify",
        "api:expense-correct", "api:expense-transitions", "api:project-expense-invoice",
        "api:project-expense-read-invoice", "api:project-expense-simple", "api:project-report-transitions",
        "api:project-observation-answer", "api:project-observation-settle", "notifications:mark_all_read",
        "accounts:group_create", "accounts:group_edit", "accounts:group_invite", "accounts:invitation_revoke",
        "accounts:group_leave", "accounts:group_hand_over", "accounts:invitation", "accounts:preferences",
        "accounts:profile_closure", "accounts:api_tokens_revoke_all", "accounts:api_token_revoke",
    ], ACTION),
    **dict.fromkeys([
        "proposals:call_document", "proposals:attachment", "proposals:assembly_file", "proposals:review_photo_file",
        "committees:minutes", "projects:election_minutes", "projects:account_proof", "projects:agreement_pdf",
        "projects:agreement_signed_pdf", "projects:expense_file", "projects:photo", "projects:handover_file",
        "projects:accountability_minutes", "reports:download", "public:photo", "public:receipt", "public:document",
    ], FILE),
    **dict.fromkeys([
        "proposals:proposal_submitted", "committees:result_detail", "projects:expense_detail", "reports:detail",
        "reports:status", "api:proposal-detail", "api:call-detail", "api:borough-detail", "api:neighbourhood-detail",
        "api:committee-detail", "api:project-detail", "api:project-closure", "api:expense-detail",
        "api:project-logbook-detail", "accounts:group_detail", "territory:neighbourhood_detail",
        "accounts:profile", "accounts:api_tokens",
    ], DETAIL),
    **dict.fromkeys(["proposals:proposal_step", "proposals:proposal_review", "proposals:review_edit",
                     "committees:score"], FORM),
    **dict.fromkeys(["api:token", "api:token-revoke", "api:logout", "api:logout-all", "api:api-root"], AUTH),
    "accounts:profile_export": "one person's own data as JSON: bounded by what one person has",
}
# The namespaces whose every route is a case or is listed above.
NAMESPACES = ("proposals", "committees", "projects", "public", "reports", "dashboard", "api", "opendata",
              "notifications", "accounts", "territory")


def measured_names() -> set[str]:
    return {case.name for case in CASES if case.name}
