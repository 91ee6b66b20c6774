"""The review queue as CSV: what people read (Spanish labels, Mexico City time) with the stable codes
beside them, so a spreadsheet can be read as it is and still be filtered by code."""

from django.utils import timezone

from neighbourhoods.models import Stratum
from proposals.models import Modality, ProjectType
from proposals.models.calls import MEXICO_CITY
from proposals.workflow import ProposalState

QUEUE_CSV_FIELDS = ("folio", "title", "status", "group__name", "neighbourhood__key", "neighbourhood__name",
                    "neighbourhood__borough__name", "neighbourhood__stratum", "project_type", "modality",
                    "budget_total", "submitted_at", "call__fiscal_year")
QUEUE_CSV_HEADER = ["folio", "titulo", "estado", "estado_codigo", "grupo", "clave_ut", "unidad_territorial",
                    "alcaldia", "estrato", "estrato_codigo", "tipo_proyecto", "tipo_proyecto_codigo", "modalidad",
                    "modalidad_codigo", "monto", "enviada_hora_cdmx", "ejercicio"]


def _label(choices, code) -> str:
    return str(dict(choices).get(code, code or ""))


def queue_csv_row(row: tuple) -> list:
    (folio, title, status, group, key, unit, borough, stratum, project_type, modality, amount, submitted,
     year) = row
    when = timezone.localtime(submitted, MEXICO_CITY).strftime("%Y-%m-%d %H:%M") if submitted else ""
    return [folio, title, _label(ProposalState.choices, status), status, group, key, unit, borough,
            _label(Stratum.choices, stratum), stratum, _label(ProjectType.choices, project_type), project_type,
            _label(Modality.choices, modality), modality, amount, when, year]
