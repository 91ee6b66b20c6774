"""What the Committee's irreversible actions say before they happen (the nicp.confirm pattern)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nicp.confirm import Irreversible


def publish_results(call) -> Irreversible:
    return Irreversible(
        title=_("Publicar resultados"),
        consequence=_("Entiendo que los resultados se publican para todo el público, que cada grupo recibe su "
                      "aviso y que no se puede deshacer."),
        button=_("Publicar resultados"), back_url=reverse("committees:home", args=[call.pk]))


def close_session(committee) -> Irreversible:
    return Irreversible(
        title=_("Cerrar la sesión"),
        consequence=_("Entiendo que al cerrar la sesión la selección votada queda firme, se genera el acta y "
                      "ya no se puede cambiar."),
        button=_("Cerrar la sesión y generar el acta"),
        back_url=reverse("committees:session", args=[committee.call_id]))


SUBMIT_SCORES = gettext_lazy("Entiendo que al enviar mis calificaciones ya no podré cambiarlas.")
