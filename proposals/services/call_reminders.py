"""A call's own reminder offsets (Call.reminder_offsets): days from each deadline, per reminder kind."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from nicp.errors import check_version
from nicp.readonly import require_may_write
from notifications.reminders import OFFSET_LIMIT, catalogue
from proposals import permissions
from proposals.models import Call
from proposals.workflow import CallState

MAX_OFFSETS = 5


def _problems(offsets: list) -> list[str]:
    problems = []
    if any(not isinstance(o, int) or isinstance(o, bool) for o in offsets):
        return [_("Cada valor es un número entero de días.")]
    if len(offsets) > MAX_OFFSETS:
        problems.append(_("Como máximo %(n)d recordatorios por tipo.") % {"n": MAX_OFFSETS})
    if any(abs(o) > OFFSET_LIMIT for o in offsets):
        problems.append(_("Cada valor va de -%(limit)d a %(limit)d días.") % {"limit": OFFSET_LIMIT})
    if len(set(offsets)) != len(offsets):
        problems.append(_("Cada día va una sola vez."))
    return problems


@transaction.atomic
def call_reminders_save(*, actor, call_id: int, offsets: dict[str, list[int]], version: int | None = None) -> Call:
    """Save the call's offsets per kind; a kind left empty follows the catalogue's default. The whole set
    is checked before anything is written; one message per kind that is wrong."""
    require_may_write(actor)
    if not permissions.can_manage_calls(actor):
        raise PermissionDenied(_("Solo la coordinación del programa gestiona convocatorias."))
    call = Call.objects.select_for_update().filter(pk=call_id).first()
    if call is None:
        raise Http404
    check_version(call, version)
    if call.status == CallState.ARCHIVED:
        raise ValidationError(_("Una convocatoria archivada ya no envía recordatorios."))
    kinds = catalogue()
    errors = {}
    for code, values in offsets.items():
        if code not in kinds:
            errors[code] = [_("Tipo de recordatorio desconocido.")]
        elif problems := _problems(list(values)):
            errors[code] = problems
    if errors:
        raise ValidationError(errors)
    call.reminder_offsets = {code: sorted(values) for code, values in offsets.items() if values}
    call.version += 1
    call.save(update_fields=["reminder_offsets", "version"])
    return call
