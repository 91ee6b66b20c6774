"""The proposal side of the reminder catalogue (see notifications/reminders.py)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from notifications.messages import Message
from notifications.reminders import Occasion, ReminderKind, deadline_range, offsets_for, register

# What the engine reads of each person it reminds.
RECIPIENT_FIELDS = ("id", "email", "is_active", "language", "reminders_off")


def _members(path="group__members"):
    from accounts.models import User

    return Prefetch(path, queryset=User.objects.only(*RECIPIENT_FIELDS))


def days_left(offset: int) -> Message:
    """«Faltan 7 días» / «Es hoy» / «Venció hace 1 día», written when the notice is stored. Give it the days
    from the deadline to the day the reminder goes out, (today - deadline).days, not the kind's offset: a
    reminder caught up late must not say "7 days left" when 5 are."""
    if offset < 0:
        return Message(ngettext_lazy("Falta %(n)s día", "Faltan %(n)s días", -offset), n=-offset)
    if offset == 0:
        return Message(_("Es hoy"))
    return Message(ngettext_lazy("Venció hace %(n)s día", "Venció hace %(n)s días", offset), n=offset)


def registration_closing(today, horizon):
    """Groups with a draft in a call whose registration is closing: the draft is their place."""
    from proposals.models import Call, Proposal
    from proposals.workflow import CallState

    for call in Call.objects.filter(status=CallState.PUBLISHED).only("pk", "title", "registration_closes_on",
                                                                     "reminder_offsets"):
        offsets = offsets_for(call, "registration_closing")
        low, high = deadline_range(offsets, today, horizon)
        if not low <= call.registration_closes_on <= high:
            continue
        drafts = (Proposal.objects.needing_registration_reminder(call)
                  .only("pk", "title", "group_id", "call_id").prefetch_related(_members()))
        closes = call.registration_closes_on
        for proposal in drafts.iterator(chunk_size=2000):
            yield Occasion(
                object_key=f"proposal:{proposal.pk}", deadline=closes, recipients=list(proposal.group.members.all()),
                offsets=offsets, call_id=call.pk,
                url=reverse("proposals:proposal_detail", args=[proposal.pk]), staff_url="",  # a draft is the group's
                subject=Message(_("Cierra el registro de %(call)s: envía tu propuesta"), call=call.title),
                body=lambda offset, title=proposal.title, closes=closes: Message(
                    _("%(left)s para el cierre del registro (%(date)s). Tu propuesta «%(title)s» sigue en "
                      "borrador: si no la envías antes, no participa."),
                    left=days_left((today - closes).days), date=as_date(closes), title=title),
                link_text=_("Revisar y enviar tu propuesta"))


def as_date(value):
    from django.utils.formats import date_format

    return lambda: date_format(value, "DATE_FORMAT")  # formatted in each language the notice is stored in


register(ReminderKind(code="registration_closing", label=_("Cierre del registro"),
                      audience=_("Grupos con una propuesta en borrador en la convocatoria"),
                      default_offsets=(-7, -1), essential=True, occasions=registration_closing))


@dataclass(frozen=True)
class Window:
    """Calls sharing a kind's offsets, and the deadlines that may have one of them due (deadline_range)."""

    call_ids: list[int]
    offsets: tuple[int, ...]
    low: date
    high: date


def windows(code: str, today, horizon) -> list[Window]:
    """Every call's offsets for a kind, grouped, in one small query: a kind's queryset then reads the rows of
    every call at once, however many calls there are."""
    from proposals.models import Call
    from proposals.workflow import CallState

    groups: dict[tuple[int, ...], list[int]] = {}
    for call in Call.objects.exclude(status=CallState.DRAFT).only("pk", "reminder_offsets"):
        groups.setdefault(offsets_for(call, code), []).append(call.pk)
    return [Window(ids, offsets, *deadline_range(offsets, today, horizon)) for offsets, ids in groups.items()]


def offsets_by_call(found: list[Window]) -> dict[int, tuple[int, ...]]:
    return {call_id: window.offsets for window in found for call_id in window.call_ids}


def as_datetime(value):
    from django.utils import timezone
    from django.utils.formats import date_format

    from proposals.models.calls import MEXICO_CITY

    return lambda: date_format(timezone.localtime(value, MEXICO_CITY), "DATETIME_FORMAT")


def local_date(value) -> date:
    from django.utils import timezone

    from proposals.models.calls import MEXICO_CITY

    return timezone.localtime(value, MEXICO_CITY).date()


def _returned(code, today, horizon):
    """Returned proposals with a correction deadline a reminder of `code` may be due for, and their offsets."""
    from proposals.models import Proposal

    found = windows(code, today, horizon)
    offsets = offsets_by_call(found)
    rows = (Proposal.objects.needing_correction_reminder(found)
            .only("pk", "folio", "title", "group_id", "call_id", "correction_deadline"))
    return rows, offsets


def correction_due(today, horizon):
    """The group of a returned proposal: if it is not resubmitted by the deadline, it may lose its place."""
    rows, offsets = _returned("correction_due", today, horizon)
    for proposal in rows.prefetch_related(_members()).iterator(chunk_size=2000):
        deadline = proposal.correction_deadline
        yield Occasion(
            object_key=f"proposal:{proposal.pk}", deadline=deadline, recipients=list(proposal.group.members.all()),
            offsets=offsets[proposal.call_id], call_id=proposal.call_id,
            url=reverse("proposals:proposal_detail", args=[proposal.pk]),
            subject=Message(_("Corrige tu propuesta %(folio)s antes del %(date)s"), folio=proposal.folio,
                            date=as_date(deadline)),
            body=lambda offset, title=proposal.title, deadline=deadline: Message(
                _("%(left)s para el plazo de corrección (%(date)s, hasta las 23:59). La coordinación devolvió "
                  "tu propuesta «%(title)s» para que la corrijas: lee el motivo, corrige lo que pide y "
                  "reenvíala. Si no la reenvías a tiempo, la coordinación decidirá si sigue en la convocatoria."),
                left=days_left((today - deadline).days), date=as_date(deadline), title=title),
            link_text=_("Ver qué corregir y reenviar"))


def correction_passed(today, horizon):
    """The coordination, the day after a correction deadline passed without the proposal resubmitted: it
    has to decide whether the proposal goes on."""
    from accounts.models import User
    from accounts.roles import StaffRole

    rows, offsets = _returned("correction_passed", today, horizon)
    coordinators = None
    for proposal in rows.iterator(chunk_size=2000):
        if coordinators is None:  # read once, and only when some proposal needs them
            coordinators = list(User.objects.filter(groups__name=StaffRole.COORDINATOR).only(*RECIPIENT_FIELDS))
        deadline = proposal.correction_deadline
        yield Occasion(
            object_key=f"proposal:{proposal.pk}", deadline=deadline, recipients=coordinators,
            offsets=offsets[proposal.call_id], call_id=proposal.call_id,
            url=reverse("proposals:proposal_detail", args=[proposal.pk]),
            subject=Message(_("Venció el plazo para corregir %(folio)s"), folio=proposal.folio),
            body=lambda offset, folio=proposal.folio, title=proposal.title, deadline=deadline: Message(
                _("El plazo para corregir la propuesta %(folio)s («%(title)s») venció el %(date)s y el grupo no "
                  "la reenvió. Decide si es elegible o no elegible."),
                folio=folio, title=title, date=as_date(deadline)),
            link_text=_("Decidir sobre la propuesta"))


def assembly_tomorrow(today, horizon):
    """The group, the day before the neighbourhood assembly that approves or rejects its proposal."""
    from proposals.models import Assembly

    found = windows("assembly_tomorrow", today, horizon)
    offsets = offsets_by_call(found)
    assemblies = (Assembly.objects.needing_assembly_reminder(found)
                  .select_related("proposal")
                  .only("pk", "scheduled_at", "place", "convened_by", "quorum_required", "proposal__id",
                        "proposal__folio", "proposal__title", "proposal__group_id", "proposal__call_id")
                  .prefetch_related(_members("proposal__group__members")))
    for assembly in assemblies.iterator(chunk_size=2000):
        proposal = assembly.proposal
        yield Occasion(
            object_key=f"assembly:{assembly.pk}", deadline=local_date(assembly.scheduled_at),
            recipients=list(proposal.group.members.all()), offsets=offsets[proposal.call_id],
            call_id=proposal.call_id, url=reverse("proposals:proposal_detail", args=[proposal.pk]),
            subject=Message(_("Asamblea vecinal de tu propuesta %(folio)s: %(date)s"), folio=proposal.folio,
                            date=as_date(local_date(assembly.scheduled_at))),
            # The date, not "mañana": a sweep that caught up on the day itself must not say tomorrow.
            body=lambda offset, assembly=assembly, title=proposal.title: Message(
                _("La asamblea vecinal sobre tu propuesta «%(title)s» es el %(when)s en %(place)s (convoca: "
                  "%(convener)s). Invita a tus vecinas y vecinos: para que la asamblea decida se necesitan al "
                  "menos %(people)s personas."),
                title=title, when=as_datetime(assembly.scheduled_at), place=assembly.place,
                convener=assembly.convened_by, people=assembly.quorum_required),
            link_text=_("Ver tu propuesta"))


def review_stalled(today, horizon):
    """The technical reviewer whose review is still not submitted days after it was assigned. The deadline
    is the day of the assignment and the offset the days after it (5 by default), so that a sweep that was
    down that day still sends it (a reminder after its deadline catches up; one on it does not)."""
    from proposals.models import ReviewAssignment

    found = windows("review_stalled", today, horizon)
    offsets = offsets_by_call(found)
    assignments = (ReviewAssignment.objects.needing_review_reminder(found)
                   .select_related("reviewer", "proposal__call")
                   .only("pk", "assigned_at", *(f"reviewer__{f}" for f in RECIPIENT_FIELDS), "proposal__id",
                         "proposal__folio", "proposal__title", "proposal__call__id",
                         "proposal__call__technical_review_deadline"))
    for assignment in assignments.iterator(chunk_size=2000):
        proposal, assigned_on = assignment.proposal, local_date(assignment.assigned_at)
        yield Occasion(
            object_key=f"proposal:{proposal.pk}", deadline=assigned_on, recipients=[assignment.reviewer],
            offsets=offsets[proposal.call.pk], call_id=proposal.call.pk,
            url=reverse("proposals:review_edit", args=[proposal.pk]),
            staff_url=reverse("proposals:proposal_detail", args=[proposal.pk]),  # the form is the reviewer's
            subject=Message(_("Tu dictamen técnico de %(folio)s sigue pendiente"), folio=proposal.folio),
            body=lambda offset, folio=proposal.folio, title=proposal.title, assigned_on=assigned_on,
            limit=proposal.call.technical_review_deadline: Message(
                _("Se te asignó el dictamen técnico de la propuesta %(folio)s («%(title)s») el %(assigned)s y "
                  "todavía no lo entregas. Complétalo y entrégalo: la convocatoria fija como fecha límite de "
                  "los dictámenes el %(limit)s."),
                folio=folio, title=title, assigned=as_date(assigned_on), limit=as_date(limit)),
            link_text=_("Completar el dictamen"))


register(ReminderKind(code="correction_due", label=_("Plazo para corregir una propuesta devuelta"),
                      audience=_("Grupos con una propuesta devuelta para correcciones"),
                      default_offsets=(-3, -1), essential=True, occasions=correction_due))
register(ReminderKind(code="correction_passed", label=_("Venció el plazo para corregir"),
                      audience=_("Coordinación del programa"),
                      default_offsets=(1,), essential=False, occasions=correction_passed,
                      roles=("coordinator",)))
register(ReminderKind(code="assembly_tomorrow", label=_("Asamblea vecinal al día siguiente"),
                      audience=_("Grupos con una asamblea vecinal programada"),
                      default_offsets=(-1,), essential=False, occasions=assembly_tomorrow))
register(ReminderKind(code="review_stalled", label=_("Dictamen técnico pendiente"),
                      audience=_("Personas de revisión técnica con un dictamen sin entregar a los 5 días"),
                      default_offsets=(5,), essential=False, occasions=review_stalled,
                      roles=("technical_reviewer",)))
