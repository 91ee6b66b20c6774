"""Rows of the funded projects' authorization matrix for the works stage in the API (issue #11): expenses,
progress reports, the logbook, site visits and closure under /api/v1/. Same rules as project_matrix_api.py:
anonymous 403; writes sent with an empty body answer 400 to whoever may act, 403 to whoever sees the project
but may never act, 404 to the others; verbs the API does not have answer 405 before any lookup.

`world_kwargs` adds to the harness's world the records these URLs name (written directly: the world's project
has no money released yet, so the services would refuse an expense)."""

from datetime import timedelta

from django.utils import timezone

from tests.security.project_roles import *  # noqa: F403  (role names and row builders)

_LIST = {ANON: 403, **dict.fromkeys(PROJECT_ROLES[1:], 200)}  # noqa: F405
_NO_SUCH_VERB = {ANON: 403, **dict.fromkeys(PROJECT_ROLES[1:], 405)}  # noqa: F405
_READ = api(project_page(200))  # noqa: F405


def _act(*allowed):
    return api(project_action(400, allowed=list(allowed)))  # noqa: F405


ROWS: list = [
    # Expenses: every expense one sees, one expense and its steps, finance's batch.
    ("api:expense-list", None, "get", _LIST),
    ("api:expense-list", None, "post", _NO_SUCH_VERB),
    ("api:expense-detail", "api_expense", "get", _READ),
    *[("api:expense-detail", "api_expense", method, _NO_SUCH_VERB) for method in ("put", "patch", "delete")],
    ("api:expense-transitions", "api_expense", "post", _act(SUPERVISION, FINANCE)),  # noqa: F405
    ("api:expense-correct", "api_expense", "post", _act(ADMIN)),  # noqa: F405
    ("api:expense-verify", None, "post",
     {ANON: 403, **dict.fromkeys(PROJECT_ROLES[1:], 403), FINANCE: 400}),  # noqa: F405
    # A project's expenses and recording them.
    ("api:project-expense-list", "api_project", "get", _READ),
    ("api:project-expense-list", "api_project", "post", _NO_SUCH_VERB),
    ("api:project-expense-invoice", "api_project", "post", _act(ADMIN)),  # noqa: F405
    ("api:project-expense-simple", "api_project", "post", _act(ADMIN)),  # noqa: F405
    ("api:project-expense-read-invoice", "api_project", "post", _act(ADMIN)),  # noqa: F405
    # Progress reports.
    ("api:project-report-list", "api_project", "get", _READ),
    ("api:project-report-list", "api_project", "post", _act(ADMIN)),  # noqa: F405
    ("api:project-report-transitions", "api_report", "post", _act(ADMIN, SUPERVISION)),  # noqa: F405
    # The logbook: read and add only.
    ("api:project-logbook-list", "api_project", "get", _READ),
    ("api:project-logbook-list", "api_project", "post",
     _act(ADMIN, SUPERVISION, COORDINATOR, FINANCE)),  # noqa: F405
    *[("api:project-logbook-list", "api_project", method, _NO_SUCH_VERB) for method in ("put", "patch", "delete")],
    ("api:project-logbook-detail", "api_logbook", "get", _READ),
    *[("api:project-logbook-detail", "api_logbook", method, _NO_SUCH_VERB)
      for method in ("put", "patch", "delete")],
    # Site visits and their observations.
    ("api:project-visit-list", "api_project", "get", _READ),
    ("api:project-visit-list", "api_project", "post", _act(COORDINATOR)),  # noqa: F405
    ("api:project-observation-list", "api_project", "get", _READ),
    ("api:project-observation-answer", "api_observation", "post", _act(ADMIN, SUPERVISION)),  # noqa: F405
    ("api:project-observation-settle", "api_observation", "post", _act(COORDINATOR)),  # noqa: F405
    # Closure.
    ("api:project-closure", "project", "get", _READ),
    ("api:project-closure-handover", "project", "post", _act(COORDINATOR)),  # noqa: F405
    ("api:project-closure-handover-signed", "project", "post", _act(ADMIN, COORDINATOR)),  # noqa: F405
    ("api:project-closure-accountability", "project", "post", _act(ADMIN, COORDINATOR)),  # noqa: F405
    ("api:project-closure-refund", "project", "post", _act(FINANCE)),  # noqa: F405
    ("api:project-closure-close", "project", "post", _act(COORDINATOR)),  # noqa: F405
]


def world_kwargs(project, users) -> dict:
    """An expense, a progress report, a logbook entry and an open visit observation on project A."""
    from projects.models import Expense, LogbookEntry, ProgressReport, SiteVisit, VisitObservation
    from proposals.models import BudgetLine

    today = timezone.localdate()
    line = BudgetLine.objects.create(proposal=project.proposal, chapter="works", concept="Materiales", unit="lote",
                                     quantity=1, unit_price=1000, position=99)
    expense = Expense.objects.create(project=project, budget_line=line, kind=Expense.Kind.SIMPLE, spent_on=today,
                                     supplier="Ferretería", concept="Cemento", amount=100, recorded_by=users[ADMIN])  # noqa: F405
    report = ProgressReport.objects.create(project=project, due_on=today, physical_percent=10, summary="Avance",
                                           submitted_by=users[ADMIN])  # noqa: F405
    entry = LogbookEntry.objects.create(project=project, happened_on=today, text="Inicio de obra",
                                        author=users[ADMIN], author_role="Administración")  # noqa: F405
    visit = SiteVisit.objects.create(project=project, visited_on=today, findings="Obra iniciada",
                                     recorded_by=users[COORDINATOR])  # noqa: F405
    observation = VisitObservation.objects.create(visit=visit, project=project, text="Señalizar",
                                                  answer_due_on=today + timedelta(days=7))
    return {
        "api_project": {"project_pk": project.pk},
        "api_expense": {"pk": expense.pk},
        "api_report": {"project_pk": project.pk, "pk": report.pk},
        "api_logbook": {"project_pk": project.pk, "pk": entry.pk},
        "api_observation": {"project_pk": project.pk, "pk": observation.pk},
    }
