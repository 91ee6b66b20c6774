"""The call's rules for what happens after selection: data on the call, edited by the coordination."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from nicp import bounds
from nicp.bounds import between
from proposals.models import Call

DEFAULT_LEGEND = _("Este programa es público, ajeno a cualquier partido político. Queda prohibido el uso para "
                   "fines distintos a los establecidos en el programa.")

# The agreement's text: $names are filled with the project's data (see projects/agreement.py).
DEFAULT_AGREEMENT_TEXT = """CONVENIO DE COLABORACIÓN que celebran, por una parte, la Secretaría responsable del \
Programa Comunitario de Mejoramiento Barrial (en adelante, «la Secretaría») y, por la otra, los comités de \
Administración, Supervisión y Desarrollo Comunitario del proyecto $codigo, «$titulo», electos en asamblea \
vecinal de la unidad territorial $unidad_territorial, alcaldía $alcaldia (en adelante, «los Comités»).

PRIMERA. Objeto. La Secretaría otorga a los Comités $monto ($monto_en_letra) para ejecutar el proyecto \
$codigo, aprobado por el Comité Técnico Mixto en la $convocatoria.

SEGUNDA. Ministraciones. El recurso se entrega en ministraciones a la cuenta bancaria registrada por el \
comité de Administración y verificada por la Secretaría, conforme al plan siguiente:
$ministraciones

TERCERA. Plazo. Las obras se ejecutan del $inicio al $fin.

CUARTA. Obligaciones de los Comités. Aplicar el recurso solo a las obras aprobadas; comprobar cada gasto \
con su comprobante fiscal; informar el avance físico y financiero; permitir las visitas de supervisión; \
rendir cuentas en asamblea vecinal al concluir.

QUINTA. Suspensión y cancelación. La Secretaría puede suspender las ministraciones o cancelar el proyecto \
si el recurso se usa para fines distintos, si no se comprueba el gasto, si la obra no avanza conforme al \
cronograma o si se incumple este convenio.

SEXTA. Reintegro. Los Comités reintegran a la Secretaría el recurso que no se haya ejercido o comprobado \
al cierre del proyecto.
"""


def default_receiver_rfc() -> str:
    return settings.NICP_CFDI_RECEIVER_RFC


def validate_rfc(value: str) -> None:
    from projects.cfdi import RFC_RE

    if not RFC_RE.match(value or ""):
        raise ValidationError(_("Escribe un RFC válido: 12 caracteres de una persona moral o 13 de una física, en "
                                "mayúsculas (por ejemplo SBI180101AB1)."))


class ProjectRules(models.Model):
    """One row per call; a call without one uses the defaults below."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, primary_key=True, related_name="project_rules")
    members_per_committee = models.PositiveSmallIntegerField(
        _("integrantes por comité comunitario"), default=3, validators=between(1, 9))
    representative_may_sit = models.BooleanField(
        _("la representación del grupo promovente puede integrar un comité"), default=True)
    election_quorum = models.PositiveIntegerField(
        _("quórum de la asamblea de elección (personas)"), null=True, blank=True,
        validators=between(1, bounds.PEOPLE_MAX),
        help_text=_("Vacío: el mismo quórum que la asamblea de aprobación."))
    agreement_text = models.TextField(_("texto del convenio"), default=DEFAULT_AGREEMENT_TEXT,
                                      max_length=bounds.TEXT_MAX)
    public_legend = models.TextField(_("leyenda de programa público"), default=DEFAULT_LEGEND,
                                     max_length=bounds.NOTE_MAX)
    receiver_rfc = models.CharField(
        _("RFC al que se facturan los gastos"), max_length=13, default=default_receiver_rfc, validators=[validate_rfc],
        help_text=_("Las facturas (CFDI) de los proyectos deben estar emitidas a este RFC."))
    simple_receipts_max_percent = models.PositiveSmallIntegerField(
        _("tope de recibos simples (% del monto aprobado)"), default=20, validators=between(0, 100))
    progress_report_every_days = models.PositiveSmallIntegerField(
        _("informe de avance cada (días)"), default=30, validators=between(7, 180))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("reglas de los proyectos financiados")

    def __str__(self):
        return f"{self.call_id}"

    @classmethod
    def for_call(cls, call: Call) -> "ProjectRules":
        """The call's rules, or the defaults (unsaved) when the coordination kept them."""
        try:
            return call.project_rules
        except cls.DoesNotExist:
            return cls(call=call)

    def quorum(self) -> int:
        return self.election_quorum or self.call.assembly_quorum
