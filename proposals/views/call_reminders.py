from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from nicp.errors import StaleVersion
from notifications.reminders import OFFSET_LIMIT, catalogue
from notifications.wording import offsets_as_text
from proposals import permissions, services
from proposals.forms import CallRemindersForm
from proposals.models import Call


@login_required
def call_reminders(request, pk):
    """The call's own reminder days, per kind; an empty field follows the catalogue's default."""
    if not permissions.can_manage_calls(request.user):
        raise PermissionDenied
    call = get_object_or_404(Call.objects.visible_to(request.user), pk=pk)
    kinds = catalogue()
    initial = {code: offsets_as_text(values) for code, values in (call.reminder_offsets or {}).items()}
    data = request.POST if request.method == "POST" else None
    form = CallRemindersForm(data, kinds=kinds, initial={**initial, "version": call.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.call_reminders_save(actor=request.user, call_id=call.pk, offsets=form.offsets(),
                                             version=form.cleaned_data.get("version"))
            except ValidationError as error:
                _place(form, error)
            except StaleVersion as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(request, _("Recordatorios de la convocatoria guardados."))
                return redirect("proposals:call_detail", pk=call.pk)
    return render(request, "proposals/call_reminders.html", {"call": call, "form": form, "limit": OFFSET_LIMIT},
                  status=status)


def _place(form, error: ValidationError) -> None:
    """Each kind's problems under its field; anything else at the top of the form."""
    items = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for key, errors in items:
        form.add_error(key if key in form.fields else None, errors)
