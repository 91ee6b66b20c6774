"""Dates for the demo's history. The demo is written in a single run, so every event the services record
is dated now; the public page's progress chart needs a series over time. The demo moves the timestamps of
what it just recorded back to when it would have happened (never the amounts, states or dates people
typed, so every money figure stays as the services left it)."""

import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from projects.models import (
    AccountabilityAssembly,
    Agreement,
    Expense,
    ExpenseEvent,
    Handover,
    LogbookEntry,
    ProgressReport,
    Project,
    ProjectEvent,
    Refund,
    ReportEvent,
)
from proposals.models.calls import MEXICO_CITY

# After an invoice's date: the committee records it the next day, supervision endorses it the day after
# and finance verifies it two days later.
EXPENSE_STEP_DAYS = {"record": 1, "endorse": 2, "verify": 4}
# A tranche's steps name it in their note: «Ministración 2: 318,000.82 MXN.»
TRANCHE_NOTE = re.compile(r"Ministración (\d+)")


def moment(day: date, hour: int) -> datetime:
    """`day` at `hour` in Mexico City, but never in the future (a step due later happened just now)."""
    return min(datetime.combine(day, time(hour, 0), MEXICO_CITY), timezone.now() - timedelta(minutes=5))


def backdate_expense(expense: Expense) -> None:
    """Date an expense's recording, endorsement and verification a few days after its invoice."""
    hour = 10
    for event in ExpenseEvent.objects.filter(expense=expense).order_by("id"):
        when = moment(expense.spent_on + timedelta(days=EXPENSE_STEP_DAYS.get(event.action, 4)), hour)
        ExpenseEvent.objects.filter(pk=event.pk).update(created_at=when)
        if event.action == "record":
            Expense.objects.filter(pk=expense.pk).update(recorded_at=when)
        hour += 1


def backdate_report(report: ProgressReport, *, submitted_on: date, endorsed_on: date | None = None) -> None:
    """Date a progress report's submission (and its endorsement, when supervision gave it)."""
    submitted = moment(submitted_on, 18)
    changes = {"submitted_at": submitted}
    if endorsed_on is not None:
        changes["endorsed_at"] = moment(endorsed_on, 12)
    ProgressReport.objects.filter(pk=report.pk).update(**changes)
    for event in ReportEvent.objects.filter(report=report):
        when = changes["endorsed_at"] if event.action == "endorse" and endorsed_on else submitted
        ReportEvent.objects.filter(pk=event.pk).update(created_at=when)


def _anchors(project: Project) -> dict:
    """For each kind of timeline step, the dates of the records it stands for, in the order they happened."""
    election = project.elections.order_by("-scheduled_at").first()
    agreement = Agreement.objects.filter(project=project).first()
    handover = Handover.objects.filter(project=project).first()
    assembly = AccountabilityAssembly.objects.filter(project=project).first()
    refund = Refund.objects.filter(project=project).first()
    reports = list(project.progress_reports.order_by("id"))
    endorsed = [r.endorsed_at for r in reports if r.endorsed_at]
    held = election.scheduled_at.astimezone(MEXICO_CITY).date() if election else None
    signed = agreement.ministry_signed_on if agreement else None
    delivered = handover.delivered_on if handover else None
    return {
        **dict.fromkeys(("election_scheduled", "elect_committees", "seat_accepted", "account_registered",
                         "account_verified"), [held]),
        "agreement_generated": [agreement.generated_at.astimezone(MEXICO_CITY).date() if agreement else None],
        "agreement_uploaded": [signed], "sign_agreement": [signed],
        "report_submitted": [r.submitted_at.astimezone(MEXICO_CITY).date() for r in reports],
        "report_endorsed": [when.astimezone(MEXICO_CITY).date() for when in endorsed],
        "visit_recorded": list(project.visits.order_by("id").values_list("visited_on", flat=True)),
        "complete_works": [endorsed[-1].astimezone(MEXICO_CITY).date() + timedelta(days=2) if endorsed else None],
        "handover_generated": [delivered], "handover_uploaded": [delivered],
        **dict.fromkeys(("open_accountability", "refund_opened"),
                        [delivered + timedelta(days=1) if delivered else None]),
        "accountability_recorded": [assembly.held_on if assembly else None],
        "refund_recorded": [refund.transfer_date if refund else None],
    }


def backdate_records(project: Project) -> None:
    """The committees accepted their seats on the day they were elected, and each logbook entry was written
    the evening of the day it tells about."""
    election = project.elections.order_by("-scheduled_at").first()
    if election is not None:
        held = election.scheduled_at.astimezone(MEXICO_CITY).date()
        project.seats.filter(accepted_at__isnull=False).update(accepted_at=moment(held, 19))
    for entry in LogbookEntry.objects.filter(project=project).values("pk", "happened_on"):
        LogbookEntry.objects.filter(pk=entry["pk"]).update(written_at=moment(entry["happened_on"], 19))


def backdate_milestones(project: Project) -> None:
    """Date the project's timeline by the records each step stands for (the election's day, the agreement's
    signature, each tranche's transfer, each report...). A step with no record of its own takes the date of
    the step before it (the first ones, of the step after); the last ones, after every dated step, stay now.
    The order of the timeline never changes."""
    anchors = {action: iter(days) for action, days in _anchors(project).items()}
    transfers = dict(project.tranches.values_list("number", "transfer_date"))
    events = list(ProjectEvent.objects.filter(project=project).order_by("id"))
    days = []
    for event in events:
        found = TRANCHE_NOTE.search(event.note) if event.action.startswith("tranche_") else None
        day = transfers.get(int(found.group(1))) if found else next(anchors.get(event.action, iter(())), None)
        days.append(day)
    dated = [n for n, day in enumerate(days) if day is not None]
    if not dated:
        return
    previous = None
    for n, event in enumerate(events[:dated[-1] + 1]):
        day = days[n] or (days[dated[0]] if n < dated[0] else None)
        when = moment(day, 10) + timedelta(minutes=n) if day else previous
        when = max(when, previous) if previous else when
        ProjectEvent.objects.filter(pk=event.pk).update(created_at=when)
        previous = when
