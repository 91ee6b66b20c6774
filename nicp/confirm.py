"""One confirmation pattern for irreversible actions (submit, withdraw, publish, close, release money).

It works without JavaScript: the action's form carries a required checkbox whose label says what will
happen (templates/partials/confirm_checkbox.html). The server refuses a POST without it and changes
nothing: a one-button action answers with a confirmation page (partials/confirm_page.html, status 400)
that keeps what was sent and shows the error next to the checkbox; a form with fields of its own (scores,
a technical review) is shown again with the error on its `confirm` field. The API asks for
`"confirm": true` on the destructive ones, with NOT_CONFIRMED as the message."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

FIELD = "confirm"
NOT_CONFIRMED = _("Marca la casilla para confirmar: esta acción no se puede deshacer.")


@dataclass(frozen=True)
class Irreversible:
    """What the person is about to do, in their words, for the checkbox and the confirmation page."""

    title: str  # "Retirar la propuesta"
    consequence: str  # the checkbox label: "Entiendo que ... y que no se puede deshacer."
    button: str  # the action button: "Retirar la propuesta"
    back_url: str  # where "volver sin cambios" goes
    danger: bool = False  # destroys something (withdraw): the button looks dangerous
    back_label: str = _("Volver sin hacer cambios")


def confirm_field(consequence: str) -> forms.BooleanField:
    return forms.BooleanField(label=consequence, required=False, error_messages={"required": NOT_CONFIRMED})


class ConfirmForm(forms.Form):
    """Only the checkbox: for one-button actions."""

    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, action: Irreversible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD].label = action.consequence

    def clean_confirm(self):
        if not self.cleaned_data.get(FIELD):
            raise ValidationError(NOT_CONFIRMED, code="not_confirmed")
        return True


def require_confirmation(form: forms.Form) -> bool:
    """For forms with fields of their own and a `confirm` field: True when ticked; otherwise the error
    goes next to the checkbox. Call it only for the irreversible button (not for "guardar borrador")."""
    if form.is_valid() and form.cleaned_data.get(FIELD):
        return True
    if FIELD not in form.errors:
        form.add_error(FIELD, ValidationError(NOT_CONFIRMED, code="not_confirmed"))
    return False


def is_confirmed(request, action: Irreversible) -> ConfirmForm:
    """The bound checkbox form of a one-button action: valid when the person confirmed."""
    return ConfirmForm(request.POST, action=action)


def confirmation_page(request, action: Irreversible, form: ConfirmForm, *, status: int = 400):
    """Ask again, keeping every other value that was sent, with the error next to the checkbox."""
    kept = [(name, value) for name in request.POST if name not in (FIELD, "csrfmiddlewaretoken")
            for value in request.POST.getlist(name)]
    return render(request, "partials/confirm_page.html",
                  {"action": action, "form": form, "kept": kept, "post_url": request.path}, status=status)

