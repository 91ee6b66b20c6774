"""Deadline reminders: one catalogue of kinds, one sweep that sends what is due and not yet sent.

Each app declares its kinds in its own `reminders.py` (found at start-up like admin modules), so this lower
app never imports the cycle's apps:

    register(ReminderKind(code="registration_closing", label=_("Cierre del registro"),
                          audience=_("Grupos con una propuesta en borrador"), default_offsets=(-7, -1),
                          essential=True, occasions=registration_closing))

A kind's `occasions(today, horizon)` yields an `Occasion` per thing whose deadline may have a reminder due
from CATCH_UP_DAYS ago up to `horizon` days ahead, read in a bounded number of queries (its app's
`needing_reminder` querysets), and only while the reason holds (a submitted draft yields nothing). The
sweep then picks, per occasion, the latest offset already due: a sweep that did not run for days catches
up with one reminder, not with every one it missed; a reminder due before the deadline is not sent once the
deadline has passed.

Offsets are days from the deadline: -7 is a week before, 0 the day itself, 3 three days after. A call may set
its own per kind (`Call.reminder_offsets`); the kind's default otherwise."""

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

# A reminder found this many days after it was due is still sent (the sweep was down); older is history.
CATCH_UP_DAYS = 14
# Offsets a call may set, in days either side of a deadline.
OFFSET_LIMIT = 60
BATCH = 500


@dataclass(frozen=True)
class Occasion:
    """A deadline of one thing, and who is reminded of it."""

    object_key: str  # "proposal:12"
    deadline: date
    recipients: Sequence  # users (active ones are reminded)
    offsets: Sequence[int]
    url: str
    subject: object  # a Message or lazy text
    body: Callable[[int], object]  # the text for an offset: "Faltan 7 días…" / "Venció ayer…"
    link_text: object = ""
    call_id: int | None = None
    # Where staff following the reminders page look at the thing (None: the same page as the recipient's; "":
    # nowhere they may open, such as a group's draft). The recipient's form may be closed to them.
    staff_url: str | None = None

    @property
    def staff_link(self) -> str:
        return self.url if self.staff_url is None else self.staff_url


@dataclass(frozen=True)
class ReminderKind:
    code: str
    label: object
    audience: object  # who receives it, for the catalogue page and the docs
    default_offsets: tuple[int, ...]
    # Essential reminders protect people's money or their place; they cannot be switched off.
    essential: bool
    occasions: Callable[[date, int], Iterable[Occasion]] = field(repr=False)
    # The staff roles it goes to; empty: community people (groups, project committees). A person's
    # preferences list only the kinds that can reach them.
    roles: tuple[str, ...] = ()

    def may_reach(self, roles) -> bool:
        return not self.roles or bool(set(self.roles) & set(roles))


_KINDS: dict[str, ReminderKind] = {}


def register(kind: ReminderKind) -> ReminderKind:
    _KINDS[kind.code] = kind
    return kind


def catalogue() -> dict[str, ReminderKind]:
    """Every kind, in the order the cycle meets them (apps' reminders modules, imported once)."""
    _discover()
    return dict(_KINDS)


_discovered = False


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("reminders")
        _discovered = True


def offsets_for(call, code: str) -> tuple[int, ...]:
    """The call's own offsets for a kind, or the kind's default."""
    own = (getattr(call, "reminder_offsets", None) or {}).get(code)
    return tuple(own) if own else catalogue()[code].default_offsets


def deadline_range(offsets: Sequence[int], today: date, horizon: int = 0) -> tuple[date, date]:
    """The deadlines for which some offset falls due between CATCH_UP_DAYS ago and `horizon` days ahead:
    what a kind's queryset filters on, so a sweep reads only the rows that may need a reminder."""
    return (today - timedelta(days=CATCH_UP_DAYS + max(offsets)), today + timedelta(days=horizon - min(offsets)))


def due_offset(deadline: date, offsets: Sequence[int], today: date) -> int | None:
    """The latest offset due today or earlier (within the catch-up), or None. Before-the-deadline ones
    (offset ≤ 0) only while the deadline has not passed: "7 days left" is wrong the day after."""
    due = [o for o in offsets if today - timedelta(days=CATCH_UP_DAYS) <= deadline + timedelta(days=o) <= today
           and (o > 0 or today <= deadline)]
    return max(due) if due else None


def due_key(deadline: date, offset: int) -> str:
    return f"{deadline.isoformat()}{offset:+d}"


@dataclass(frozen=True)
class Planned:
    """A reminder that a sweep would send (now, or on `due_on`)."""

    kind: ReminderKind
    occasion: Occasion
    offset: int
    recipient: object

    @property
    def due_on(self) -> date:
        return self.occasion.deadline + timedelta(days=self.offset)

    @property
    def key(self) -> str:
        return due_key(self.occasion.deadline, self.offset)


def due_now(today: date, kinds: Iterable[ReminderKind] | None = None) -> Iterable[Planned]:
    for kind in kinds or catalogue().values():
        for occasion in kind.occasions(today, 0):
            offset = due_offset(occasion.deadline, occasion.offsets, today)
            if offset is None:
                continue
            for person in occasion.recipients:
                if person is not None and person.is_active:
                    yield Planned(kind, occasion, offset, person)


def upcoming(today: date, days: int, kinds: Iterable[ReminderKind] | None = None) -> list[Planned]:
    """What the sweeps of the next `days` days will send if nothing changes, soonest first."""
    planned = []
    for kind in kinds or catalogue().values():
        for occasion in kind.occasions(today, days):
            for offset in occasion.offsets:
                on = occasion.deadline + timedelta(days=offset)
                if today < on <= today + timedelta(days=days):
                    planned.extend(Planned(kind, occasion, offset, person)
                                   for person in occasion.recipients if person is not None and person.is_active)
    return sorted(planned, key=lambda p: (p.due_on, p.kind.code, p.occasion.object_key))


def reminders_sweep(*, today: date | None = None, kinds: Iterable[ReminderKind] | None = None) -> dict[str, int]:
    """Send every reminder due and not yet sent; return how many of each kind this sweep sent."""
    from notifications.services import is_muted

    if is_muted():  # the demo loader writing history: no reminder of it, and no log claiming one was sent
        return {}
    today = today or timezone.localdate()
    token = uuid.uuid4().hex
    sent: dict[str, int] = {}
    pending = iter(due_now(today, kinds))
    while batch := list(islice(pending, BATCH)):
        for code, count in _send_batch(batch, token).items():
            sent[code] = sent.get(code, 0) + count
    return sent


def _send_batch(batch: list[Planned], token: str) -> dict[str, int]:
    from notifications.models import ReminderLog, ReminderStatus
    from notifications.services import NoticeDraft, notices_create

    # Most of what an hourly sweep finds was sent by an earlier one: one read skips it before any text is
    # written (the unique key, not this read, is what guarantees once under concurrency).
    logged = set(ReminderLog.objects.filter(kind__in={i.kind.code for i in batch},
                                            object_key__in={i.occasion.object_key for i in batch})
                 .values_list("kind", "object_key", "recipient_id", "due_key"))
    batch = [i for i in batch if (i.kind.code, i.occasion.object_key, i.recipient.pk, i.key) not in logged]
    if not batch:
        return {}
    rows = []
    for item in batch:
        opted_out = not item.kind.essential and item.kind.code in (item.recipient.reminders_off or [])
        rows.append(ReminderLog(
            kind=item.kind.code, object_key=item.occasion.object_key, recipient=item.recipient, due_key=item.key,
            due_on=item.due_on, deadline=item.occasion.deadline, call_id=item.occasion.call_id,
            status=ReminderStatus.OPTED_OUT if opted_out else ReminderStatus.SENT,
            subject=str(_render_es(item.occasion.subject))[:250], url=item.occasion.url,
            staff_url=item.occasion.staff_link, sweep=token))
    by_key = {(r.kind, r.object_key, r.recipient_id, r.due_key): item for r, item in zip(rows, batch, strict=True)}
    with transaction.atomic():
        ReminderLog.objects.bulk_create(rows, ignore_conflicts=True)
        won = list(ReminderLog.objects.filter(sweep=token, notice__isnull=True, status=ReminderStatus.SENT)
                   .only("pk", "kind", "object_key", "recipient_id", "due_key"))
        drafts = []
        for log in won:
            item = by_key[(log.kind, log.object_key, log.recipient_id, log.due_key)]
            drafts.append(NoticeDraft(recipient=item.recipient, subject=item.occasion.subject,
                                      body=item.occasion.body(item.offset), url=item.occasion.url,
                                      link_text=item.occasion.link_text))
        notices = notices_create(drafts)
        for log, notice in zip(won, notices, strict=True):
            log.notice = notice
        ReminderLog.objects.bulk_update(won, ["notice"])
    counts: dict[str, int] = {}
    for log in won:
        counts[log.kind] = counts.get(log.kind, 0) + 1
    return counts


def _render_es(text) -> str:
    from django.conf import settings

    from notifications.messages import render_in

    return render_in(text, settings.LANGUAGE_CODE)
