"""What the coordinator's reminders page reads: the catalogue in words, what the next sweeps will send
and what was sent. The page paginates first and renders only the rows it shows."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import get_language

from notifications.messages import render_in
from notifications.models import ReminderLog
from notifications.reminders import Planned, catalogue, upcoming
from notifications.wording import offsets_in_words

UPCOMING_DAYS = 14


@dataclass(frozen=True)
class CatalogueRow:
    code: str
    label: object
    audience: object
    offsets: str
    essential: bool


def catalogue_rows() -> list[CatalogueRow]:
    return [CatalogueRow(code, kind.label, kind.audience, offsets_in_words(kind.default_offsets), kind.essential)
            for code, kind in catalogue().items()]


def upcoming_planned(today: date, *, kind: str = "", call_id: int | None = None,
                     opted_out_only: bool = False) -> list[Planned]:
    kinds = [catalogue()[kind]] if kind else None
    planned = upcoming(today, UPCOMING_DAYS, kinds)
    if call_id is not None:
        planned = [p for p in planned if p.occasion.call_id == call_id]
    if opted_out_only:
        planned = [p for p in planned if opted_out(p)]
    return planned


def opted_out(planned: Planned) -> bool:
    """A non-essential kind the person switched off: logged as "not sent", never e-mailed."""
    return not planned.kind.essential and planned.kind.code in (planned.recipient.reminders_off or [])


@dataclass(frozen=True)
class UpcomingRow:
    label: object
    recipient: str
    subject: str
    url: str
    due_on: date
    deadline: date
    # A non-essential kind the person switched off is logged as "not sent", never e-mailed.
    opted_out: bool


def upcoming_rows(planned: list[Planned]) -> list[UpcomingRow]:
    language = get_language()
    return [UpcomingRow(p.kind.label, p.recipient.email, render_in(p.occasion.subject, language), p.occasion.staff_link,
                        p.due_on, p.occasion.deadline, opted_out(p))
            for p in planned]


def sent_log(user, *, kind: str = "", call_id: int | None = None, status: str = ""):
    """The reminders sent (or logged as switched off), newest first, as `user` may read them."""
    rows = (ReminderLog.objects.visible_to(user).select_related("recipient")
            .only("pk", "kind", "status", "subject", "staff_url", "due_on", "deadline", "sent_at", "call_id",
                  "recipient__email").order_by("-sent_at", "-id"))
    if kind:
        rows = rows.filter(kind=kind)
    if call_id is not None:
        rows = rows.filter(call_id=call_id)
    if status:
        rows = rows.filter(status=status)
    return rows


def label_sent(logs) -> None:
    """Each row's kind in words (a kind no longer registered keeps its code)."""
    kinds = catalogue()
    for log in logs:
        log.kind_label = kinds[log.kind].label if log.kind in kinds else log.kind
