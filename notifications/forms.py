from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from nicp.choices import ANY_LABEL
from notifications.reminders import catalogue

UPCOMING = "upcoming"
OPTED_OUT = "opted_out"  # logged as not sent, and the upcoming ones that will not be
STATE_CHOICES = [("", ANY_LABEL), (UPCOMING, _("Próximos (aún sin enviar)")), ("sent", _("Enviados")),
                 (OPTED_OUT, _("No enviados: la persona los desactivó"))]


class ReminderFilterForm(forms.Form):
    """The coordinator's filters over upcoming and sent reminders (a GET form: errors shown by the field)."""

    kind = forms.ChoiceField(label=_("Tipo de recordatorio"), required=False,
                             error_messages={"invalid_choice": _("Elige un tipo de recordatorio de la lista.")})
    call = forms.TypedChoiceField(label=_("Convocatoria"), required=False, coerce=int, empty_value=None,
                                  error_messages={"invalid_choice": _("Elige una convocatoria de la lista.")})
    state = forms.ChoiceField(label=_("Estado"), required=False, choices=STATE_CHOICES,
                              error_messages={"invalid_choice": _("Elige un estado de la lista.")})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", ANY_LABEL)] + [(code, kind.label) for code, kind in catalogue().items()]
        # The calls app sits above this one: its model is looked up by name, never imported.
        calls = apps.get_model("proposals", "Call").objects.visible_to(user).order_by("-fiscal_year", "-pk")
        self.fields["call"].choices = [("", ANY_LABEL)] + [(str(pk), title) for pk, title in
                                                            calls.values_list("pk", "title")]
