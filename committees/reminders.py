"""The Committee's side of the reminder catalogue (see notifications/reminders.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from notifications.messages import Message
from notifications.reminders import Occasion, ReminderKind, register
from proposals.reminders import RECIPIENT_FIELDS, as_date, days_left, offsets_by_call, windows


def scoring_closing(today, horizon):
    """Each member who still owes score sheets before the Committee's session: one reminder per member and
    call, saying how many are missing (scoring closes when the session opens)."""
    from committees.models import CommitteeMember

    found = windows("scoring_closing", today, horizon)
    offsets = offsets_by_call(found)
    members = (CommitteeMember.objects.needing_scoring_reminder(found)
               .select_related("user", "committee__call")
               .only("pk", "committee__id", "committee__call__id", "committee__call__title",
                     "committee__call__committee_date", *(f"user__{f}" for f in RECIPIENT_FIELDS)))
    for member in members.iterator(chunk_size=2000):
        call = member.committee.call
        yield Occasion(
            object_key=f"committee:{member.committee.pk}", deadline=call.committee_date, recipients=[member.user],
            offsets=offsets[call.pk], call_id=call.pk, url=reverse("committees:home", args=[call.pk]),
            subject=Message(_("Califica las propuestas antes de la sesión del Comité (%(date)s)"),
                            date=as_date(call.committee_date)),
            body=lambda offset, title=call.title, session_on=call.committee_date, missing=member.missing: Message(
                _("%(left)s para la sesión del Comité Técnico Mixto de %(call)s (%(date)s). %(missing)s: califica "
                  "cada propuesta y envía tus hojas antes de la sesión; al abrirse, la calificación cierra."),
                left=days_left((today - session_on).days), call=title, date=as_date(session_on),
                missing=Message(ngettext_lazy("Te falta por enviar %(n)s hoja de calificación",
                                              "Te faltan por enviar %(n)s hojas de calificación", missing),
                                n=missing)),
            link_text=_("Calificar las propuestas"))


register(ReminderKind(code="scoring_closing", label=_("Cierre de la calificación del Comité"),
                      audience=_("Integrantes del Comité con hojas de calificación sin enviar"),
                      default_offsets=(-3, -1), essential=False, occasions=scoring_closing,
                      roles=("committee_member", "committee_secretary", "coordinator")))
