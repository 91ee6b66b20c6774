"""The proposal side of the reminder catalogue (see notifications/reminders.py)."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from notifications.messages import Message
from notifications.reminders import Occasion, ReminderKind, deadline_range, offsets_for, register


def _members():
    from accounts.models import User

    return Prefetch("group__members", queryset=User.objects.only("pk", "email", "is_active", "language",
                                                                 "reminders_off"))


def days_left(offset: int) -> Message:
    """«Faltan 7 días» / «Es hoy» / «Venció hace 1 día», written when the notice is stored."""
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
                url=reverse("proposals:proposal_detail", args=[proposal.pk]),
                subject=Message(_("Cierra el registro de %(call)s: envía tu propuesta"), call=call.title),
                body=lambda offset, title=proposal.title, closes=closes: Message(
                    _("%(left)s para el cierre del registro (%(date)s). Tu propuesta «%(title)s» sigue en "
                      "borrador: si no la envías antes, no participa."),
                    left=days_left(offset), date=as_date(closes), title=title),
                link_text=_("Revisar y enviar tu propuesta"))


def as_date(value):
    from django.utils.formats import date_format

    return lambda: date_format(value, "DATE_FORMAT")  # formatted in each language the notice is stored in


register(ReminderKind(code="registration_closing", label=_("Cierre del registro"),
                      audience=_("Grupos con una propuesta en borrador en la convocatoria"),
                      default_offsets=(-7, -1), essential=True, occasions=registration_closing))
