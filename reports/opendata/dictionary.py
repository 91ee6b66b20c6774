"""The data dictionary of the open data, as data: every column of every file with its type, meaning and an
example. The /datos/diccionario/ page and docs/open-data.md are both written from here, and the tests check
that every CSV header and GeoJSON property is described, so a column cannot ship undocumented."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Stratum
from projects.models import Expense
from projects.public.records import PUBLIC_EXPENSE_STATES
from projects.workflow import ExpenseState, ProjectState, TrancheState
from proposals.models import BudgetChapter
from proposals.models.calls import ProjectType
from reports.opendata.oc4ids import STATUS

LICENCE_NAME = "Creative Commons Atribución 4.0 Internacional (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.es"

# Types as the dictionary names them (the Markdown copy uses the same words).
TEXT, CODE, INTEGER, DECIMAL, DATE, DATETIME = (
    _("texto"), _("código"), _("entero"), _("decimal"), _("fecha (AAAA-MM-DD)"),
    _("fecha y hora (ISO 8601, hora de la Ciudad de México)"))


@dataclass(frozen=True)
class Column:
    name: str
    type: object
    meaning: object
    example: str
    codes: tuple = ()           # the (value, label) pairs the column takes


@dataclass(frozen=True)
class Section:
    filename: str
    anchor: str                 # the section's id on the dictionary page (Dataset.dictionary)
    row: object                 # what one row (or feature) is
    columns: tuple[Column, ...]


PROJECT_COLUMNS = (
    Column("clave", CODE, _("Clave del proyecto, única y estable (úsala para unir archivos)."), "PCMB-2026-0001"),
    Column("titulo", TEXT, _("Título del proyecto, como lo escribió el grupo comunitario."), "Parque Las Flores"),
    Column("ejercicio", INTEGER, _("Ejercicio fiscal (año) de la convocatoria que lo financió."), "2026"),
    Column("estado", CODE, _("Estado del proyecto."), "in_execution", tuple(ProjectState.choices)),
    Column("estado_nombre", TEXT, _("Nombre del estado, en español."), "En ejecución"),
    Column("tipo_proyecto", CODE, _("Tipo de obra."), "park", tuple(ProjectType.choices)),
    Column("tipo_proyecto_nombre", TEXT, _("Nombre del tipo de obra, en español."), "Parque o jardín"),
    Column("unidad_territorial_clave", CODE, _("Clave de la unidad territorial del IECM."), "07-123"),
    Column("unidad_territorial_nombre", TEXT, _("Nombre de la unidad territorial."), "Las Flores"),
    Column("alcaldia_clave_inegi", CODE, _("Clave INEGI de la alcaldía."), "007"),
    Column("alcaldia_nombre", TEXT, _("Nombre de la alcaldía."), "Iztapalapa"),
    Column("estrato", CODE, _("Estrato de desarrollo social de la unidad territorial; vacío si el catálogo no "
                              "lo tiene."), "bajo", tuple(Stratum.choices)),
    Column("estrato_nombre", TEXT, _("Nombre del estrato, en español."), "Bajo"),
    Column("monto_aprobado", DECIMAL, _("Monto aprobado por el Comité, en pesos (MXN)."), "1000000.00"),
    Column("monto_ministrado", DECIMAL, _("Suma de las ministraciones ya depositadas, en pesos."), "700000.00"),
    Column("monto_comprobado", DECIMAL, _("Suma de los gastos verificados por Finanzas, en pesos."), "350000.00"),
    Column("avance_fisico", DECIMAL, _("Avance físico (%) del último informe avalado por Supervisión; vacío si "
                                       "aún no hay informe (sin reportar, no 0)."), "45.00"),
    Column("avance_financiero", DECIMAL, _("Gastos verificados ÷ monto aprobado (%); vacío mientras no se haya "
                                           "ministrado dinero."), "35.0"),
    Column("inicio", DATE, _("Inicio del periodo de ejecución: el día en que se seleccionó el proyecto."),
           "2026-03-01"),
    Column("fin", DATE, _("Fin del periodo de ejecución: el plazo que fija la convocatoria para terminar las "
                          "obras."), "2026-12-15"),
    Column("actualizado", DATETIME, _("Última vez que cambió el registro del proyecto."),
           "2026-05-14T10:32:05-06:00"),
    Column("latitud", DECIMAL, _("Latitud (WGS 84) del sitio de la obra, o del centro de la unidad territorial; "
                                 "vacía si no se conoce."), "19.357"),
    Column("longitud", DECIMAL, _("Longitud (WGS 84), con la misma regla que la latitud."), "-99.072"),
    Column("precision_ubicacion", CODE, _("«site»: el punto es el sitio de la obra; «unit_centroid»: es el centro "
                                          "de la unidad territorial; vacío: sin ubicación."), "site"),
    Column("url", TEXT, _("Página pública del proyecto."), "https://…/proyectos/PCMB-2026-0001/"),
)

TRANCHE_COLUMNS = (
    Column("clave_proyecto", CODE, _("Clave del proyecto (columna «clave» de proyectos.csv)."), "PCMB-2026-0001"),
    Column("numero", INTEGER, _("Número de la ministración, en orden de entrega."), "1"),
    Column("porcentaje", DECIMAL, _("Parte del monto aprobado que entrega esta ministración (%)."), "70.00"),
    Column("monto", DECIMAL, _("Monto de la ministración, en pesos (MXN)."), "700000.00"),
    Column("estado", CODE, _("Estado de la ministración."), "released", tuple(TrancheState.choices)),
    Column("estado_nombre", TEXT, _("Nombre del estado, en español."), "Ministrada"),
    Column("fecha_ministracion", DATE, _("Fecha en que se depositó; vacía si aún no se ministra."), "2026-03-15"),
)

EXPENSE_COLUMNS = (
    Column("id_gasto", INTEGER, _("Número del gasto, único en el programa."), "5120"),
    Column("clave_proyecto", CODE, _("Clave del proyecto (columna «clave» de proyectos.csv)."), "PCMB-2026-0001"),
    Column("fecha", DATE, _("Fecha del gasto (la de la factura o el recibo)."), "2026-04-02"),
    Column("capitulo", CODE, _("Capítulo del presupuesto al que se cargó."), "works", tuple(BudgetChapter.choices)),
    Column("capitulo_nombre", TEXT, _("Nombre del capítulo, en español."), "Obra"),
    Column("concepto", TEXT, _("Qué se compró o pagó, como lo registró el comité de administración."),
           "Cemento gris 50 kg"),
    Column("proveedor", TEXT, _("Empresa que facturó; «Persona física» cuando se pagó a una persona (su nombre no "
                                "se publica)."), "MATERIALES EL BARRIO SA DE CV"),
    Column("proveedor_rfc", TEXT, _("RFC de la empresa; vacío para personas físicas."), "MAT010101AB1"),
    Column("monto", DECIMAL, _("Importe con impuestos, en pesos (MXN)."), "11600.00"),
    Column("estado", CODE, _("Estado del gasto. Los rechazados no se publican: nunca contaron."), "verified",
           tuple(choice for choice in ExpenseState.choices if choice[0] in PUBLIC_EXPENSE_STATES)),
    Column("estado_nombre", TEXT, _("Nombre del estado, en español."), "Verificado por Finanzas"),
    Column("tipo_comprobante", CODE, _("Cómo se comprobó el gasto."), "cfdi", tuple(Expense.Kind.choices)),
    Column("tipo_comprobante_nombre", TEXT, _("Nombre del tipo de comprobante, en español."), "Factura (CFDI)"),
    Column("folio_fiscal", TEXT, _("Folio fiscal (UUID) del CFDI, para consultarlo en el SAT; vacío en recibos "
                                   "simples."), "6F9619FF-8B86-D011-B42D-00C04FC964FF"),
)

GEOJSON_PROPERTIES = (
    Column("code", CODE, _("Clave del proyecto (también es el «id» del elemento)."), "PCMB-2026-0001"),
    Column("title", TEXT, _("Título del proyecto."), "Parque Las Flores"),
    Column("year", INTEGER, _("Ejercicio fiscal de la convocatoria."), "2026"),
    Column("status", CODE, _("Estado del proyecto."), "in_execution", tuple(ProjectState.choices)),
    Column("status_label", TEXT, _("Nombre del estado."), "En ejecución"),
    Column("project_type", CODE, _("Tipo de obra."), "park", tuple(ProjectType.choices)),
    Column("project_type_label", TEXT, _("Nombre del tipo de obra."), "Parque o jardín"),
    Column("unit_key", CODE, _("Clave de la unidad territorial del IECM."), "07-123"),
    Column("unit_name", TEXT, _("Nombre de la unidad territorial."), "Las Flores"),
    Column("borough_code", CODE, _("Clave INEGI de la alcaldía."), "007"),
    Column("borough_name", TEXT, _("Nombre de la alcaldía."), "Iztapalapa"),
    Column("approved_amount", DECIMAL, _("Monto aprobado, en pesos (MXN)."), "1000000.0"),
    Column("physical_progress", DECIMAL, _("Avance físico (%); null si aún no se reporta."), "45.0"),
    Column("financial_progress", DECIMAL, _("Avance financiero (%); null mientras no se ministre dinero."), "35.0"),
    Column("location_precision", CODE, _("«site» (sitio de la obra) o «unit_centroid» (centro de la unidad "
                                         "territorial)."), "site"),
    Column("url", TEXT, _("Página pública del proyecto."), "https://…/proyectos/PCMB-2026-0001/"),
)

SECTIONS = (
    Section("proyectos.csv", "proyectos-csv", _("Un renglón por proyecto financiado."), PROJECT_COLUMNS),
    Section("ministraciones.csv", "ministraciones-csv",
            _("Un renglón por ministración (entrega de dinero) programada o hecha."), TRANCHE_COLUMNS),
    Section("gastos.csv", "gastos-csv", _("Un renglón por gasto registrado, salvo los rechazados."),
            EXPENSE_COLUMNS),
    Section("proyectos.geojson", "proyectos-geojson",
            _("Un punto (Feature) por proyecto con ubicación; estas son sus propiedades. Las coordenadas van "
              "en orden longitud, latitud (RFC 7946)."), GEOJSON_PROPERTIES),
)

# The OC4IDS `status` codelist value each project state becomes in oc4ids.json (one table, the writer's).
OC4IDS_STATUS = STATUS


def section(filename: str) -> Section:
    return next(s for s in SECTIONS if s.filename == filename)


def status_mapping() -> list[dict]:
    return [{"value": state.value, "label": state.label, "oc4ids": OC4IDS_STATUS[state]} for state in ProjectState]


def markdown() -> str:
    """The dictionary as Markdown tables, in Spanish: docs/open-data.md carries this text (a test checks it)."""
    from django.conf import settings
    from django.utils import translation

    def cell(text) -> str:
        return str(text).replace("|", "\\|")

    out = []
    with translation.override(settings.LANGUAGE_CODE):
        for part in SECTIONS:
            out += [f"### `{part.filename}`", "", cell(part.row), "",
                    "| columna | tipo | qué significa | ejemplo |", "|---|---|---|---|"]
            for column in part.columns:
                meaning = cell(column.meaning)
                if column.codes:
                    meaning += " Valores: " + ", ".join(f"`{value}` ({cell(label)})"
                                                        for value, label in column.codes) + "."
                out.append(f"| `{column.name}` | {cell(column.type)} | {meaning} | `{column.example}` |")
            out.append("")
        out += ["### Estados en OC4IDS", "", "| estado del proyecto | código | `status` en OC4IDS |", "|---|---|---|"]
        out += [f"| {cell(row['label'])} | `{row['value']}` | `{row['oc4ids']}` |" for row in status_mapping()]
    return "\n".join(out) + "\n"
