"""CFDI 4.0 invoices (Mexico's electronic invoice): what an expense's XML says, read from the file, never retyped.

`cfdi_parse` reads an uploaded XML with a hardened lxml parser and refuses, with one Spanish message, anything
that is not a stamped CFDI 4.0; `cfdi_refusals` says why a well-formed invoice still cannot prove a project's
expense (currency, type, date, receiver). A repeated folio fiscal (UUID) is the database's job, not this module's.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from lxml import etree

MEXICO_CITY = ZoneInfo("America/Mexico_City")
CFDI_NS = "http://www.sat.gob.mx/cfd/4"
CFDI3_NS = "http://www.sat.gob.mx/cfd/3"
TFD_NS = "http://www.sat.gob.mx/TimbreFiscalDigital"
NS = {"cfdi": CFDI_NS, "tfd": TFD_NS}
MAX_BYTES = 2 * 1024 * 1024  # a real CFDI weighs a few kB; the caller limits uploads too

UUID_RE = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")
# The SAT's patterns (Anexo 20): RFC of a person (13) or a company (12); amounts without sign or exponent;
# Fecha as local time without zone.
RFC_RE = re.compile(r"^[A-ZÑ&]{3,4}[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[A-Z0-9]{2}[0-9A]$")
AMOUNT_RE = re.compile(r"^[0-9]{1,18}(\.[0-9]{1,6})?$")
FECHA_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$")
# Declarations are refused on the raw bytes, before any parsing; NULs are dropped so UTF-16 cannot hide them.
DECLARATION_RE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

KIND_LABELS = {"I": _("ingreso"), "E": _("egreso, una nota de crédito"), "T": _("traslado"), "N": _("nómina"),
               "P": _("pago, un complemento de pago")}


@dataclass(frozen=True)
class Cfdi:
    uuid: str  # folio fiscal, upper-case 8-4-4-4-12
    issuer_rfc: str
    issuer_name: str
    receiver_rfc: str
    issued_at: datetime  # aware, Mexico City
    subtotal: Decimal
    total: Decimal
    currency: str
    kind: str
    version: str

    @property
    def issued_on(self) -> date:
        return self.issued_at.astimezone(MEXICO_CITY).date()


def hardened_parser() -> etree.XMLParser:
    """No entities, no DTD, no network, no huge documents. A new parser per call: lxml parsers are not
    meant to be shared between threads."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           dtd_validation=False)


def refuse_declarations(data: bytes) -> None:
    if DECLARATION_RE.search(data) or DECLARATION_RE.search(data.replace(b"\x00", b"")):
        raise _declarations_error()


def _declarations_error() -> ValidationError:
    return ValidationError(_("El archivo no es un CFDI válido: trae una declaración DOCTYPE o entidades XML, que "
                             "una factura no lleva. Por seguridad no lo leemos; sube el XML tal como te lo dio "
                             "tu proveedor."), code="cfdi_doctype")


def safe_xml(data: bytes) -> etree._Element:
    """The document's root, parsed safely; ValidationError if the bytes are not plain, well-formed XML."""
    refuse_declarations(data)
    try:
        root = etree.fromstring(data, hardened_parser())
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (error.lineno or 1, 1)
        raise ValidationError(_("El archivo no es un XML válido: se rompe en la línea %(line)d, columna "
                                "%(column)d. Sube el archivo .xml de tu factura tal como te lo dio tu "
                                "proveedor.") % {"line": line or 1, "column": column or 1},
                              code="cfdi_not_xml") from error
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.system_url:
        raise _declarations_error()  # second line of defence, should the byte check ever be fooled
    return root


def _sniff(data: bytes) -> None:
    """The usual wrong files get a message that says what they are."""
    head = data[:512].lower()
    if not data.strip():
        raise ValidationError(_("El archivo está vacío. Sube el XML de tu factura."), code="cfdi_empty")
    if data.startswith(b"%PDF"):
        raise ValidationError(_("El archivo es un PDF, no el XML de la factura. Sube el archivo .xml que te dio "
                                "tu proveedor; el PDF va aparte."), code="cfdi_pdf")
    if data.startswith(b"PK\x03\x04"):
        raise ValidationError(_("El archivo es un ZIP. Descomprímelo y sube solo el archivo .xml de tu "
                                "factura."), code="cfdi_zip")
    if b"<html" in head or b"<!doctype html" in head:
        raise ValidationError(_("El archivo es una página web (HTML), no el XML de un CFDI. Descarga de nuevo "
                                "el XML de tu factura desde el portal de tu proveedor."), code="cfdi_html")


def _check_root(root: etree._Element) -> None:
    qname = etree.QName(root)
    if qname.localname == "Comprobante" and qname.namespace == CFDI3_NS:
        version = root.get("Version") or root.get("version") or "3"
        raise ValidationError(_("No es un CFDI 4.0: es un CFDI %(version)s. Desde abril de 2023 solo valen las "
                                "facturas CFDI 4.0; pide a tu proveedor que te la emita de nuevo.")
                              % {"version": version}, code="cfdi_version")
    if qname.localname != "Comprobante" or qname.namespace != CFDI_NS:
        raise ValidationError(_("No es un CFDI 4.0: el XML es «%(root)s», no un comprobante fiscal "
                                "(cfdi:Comprobante). Sube el XML de tu factura.") % {"root": qname.localname[:60]},
                              code="cfdi_not_cfdi")
    version = root.get("Version")
    if version != "4.0":
        raise ValidationError(_("No es un CFDI 4.0: dice ser la versión «%(version)s».")
                              % {"version": version or "—"}, code="cfdi_version")


def _upper_first(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def _required(element: etree._Element, attribute: str, what: str) -> str:
    value = (element.get(attribute) or "").strip()
    if not value:
        raise ValidationError(_("Al CFDI le falta %(what)s (atributo %(attribute)s).")
                              % {"what": what, "attribute": attribute}, code="cfdi_missing")
    return value


def _rfc(element: etree._Element, what: str) -> str:
    value = _required(element, "Rfc", what).upper()
    if not RFC_RE.match(value):
        raise ValidationError(_("%(what)s no es válido: «%(value)s».")
                              % {"what": _upper_first(what), "value": value}, code="cfdi_rfc")
    return value


def _amount(root: etree._Element, attribute: str, what: str) -> Decimal:
    value = _required(root, attribute, what)
    if not AMOUNT_RE.match(value):
        raise ValidationError(_("%(what)s del CFDI no es un importe válido: «%(value)s». Debe ser un número sin "
                                "signo, con punto decimal (por ejemplo 1160.00).")
                              % {"what": _upper_first(what), "value": value}, code="cfdi_amount")
    return Decimal(value)


def _issued_at(root: etree._Element) -> datetime:
    value = _required(root, "Fecha", _("la fecha de emisión"))
    try:
        if not FECHA_RE.match(value):
            raise ValueError(value)
        naive = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")
    except ValueError as error:
        raise ValidationError(_("La fecha del CFDI no es válida: «%(value)s». Debe tener la forma "
                                "AAAA-MM-DDThh:mm:ss.") % {"value": value}, code="cfdi_date") from error
    return naive.replace(tzinfo=MEXICO_CITY)  # CFDI dates carry no zone: they are local time


def _stamp(root: etree._Element) -> etree._Element:
    stamps = root.findall("cfdi:Complemento/tfd:TimbreFiscalDigital", NS)
    if not stamps:
        raise ValidationError(_("El CFDI no tiene timbre fiscal (TimbreFiscalDigital): no es una factura timbrada "
                                "ante el SAT. Pide a tu proveedor el XML timbrado."), code="cfdi_unstamped")
    if len(stamps) > 1:
        raise ValidationError(_("El CFDI tiene más de un timbre fiscal; una factura lleva solo uno."),
                              code="cfdi_stamps")
    return stamps[0]


def _uuid(stamp: etree._Element) -> str:
    value = _required(stamp, "UUID", _("el folio fiscal del timbre")).upper()
    if not UUID_RE.match(value):
        raise ValidationError(_("El folio fiscal (UUID) del timbre no es válido: «%(value)s». Son 32 letras y "
                                "números en grupos 8-4-4-4-12.") % {"value": value[:60]}, code="cfdi_uuid")
    return value


def _child(root: etree._Element, name: str, what: str) -> etree._Element:
    element = root.find(f"cfdi:{name}", NS)
    if element is None:
        raise ValidationError(_("Al CFDI le falta %(what)s (cfdi:%(name)s).") % {"what": what, "name": name},
                              code="cfdi_missing")
    return element


def cfdi_parse(data: bytes) -> Cfdi:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("cfdi_parse reads the file's bytes")
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("El archivo pesa más de 2 MB; el XML de una factura pesa mucho menos. Revisa que "
                                "sea el XML de tu factura."), code="cfdi_too_big")
    data = data.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")  # some portals add a BOM or a blank line
    _sniff(data)
    root = safe_xml(data)
    _check_root(root)
    stamp = _stamp(root)
    issuer = _child(root, "Emisor", _("el emisor"))
    receiver = _child(root, "Receptor", _("el receptor"))
    return Cfdi(
        uuid=_uuid(stamp),
        issuer_rfc=_rfc(issuer, _("el RFC del emisor")),
        issuer_name=_required(issuer, "Nombre", _("el nombre del emisor")),
        receiver_rfc=_rfc(receiver, _("el RFC del receptor")),
        issued_at=_issued_at(root),
        subtotal=_amount(root, "SubTotal", _("el subtotal")),
        total=_amount(root, "Total", _("el total")),
        currency=_required(root, "Moneda", _("la moneda")).upper(),
        kind=_required(root, "TipoDeComprobante", _("el tipo de comprobante")).upper(),
        version=root.get("Version"),
    )


def cfdi_refusals(cfdi: Cfdi, *, receiver_rfc: str, starts_on: date, ends_on: date) -> list[str]:
    """Why this invoice cannot prove an expense of a project whose execution runs from starts_on to ends_on
    (both included) under a call that invoices to receiver_rfc; empty when it can."""
    refusals = []
    if cfdi.currency != "MXN":
        refusals.append(_("La factura está en %(currency)s; solo aceptamos facturas en pesos mexicanos (MXN).")
                        % {"currency": cfdi.currency})
    if cfdi.kind != "I":
        label = KIND_LABELS.get(cfdi.kind, _("desconocido"))
        refusals.append(_("El CFDI es de tipo «%(kind)s» (%(label)s); solo aceptamos facturas de ingreso (tipo "
                          "«I»).") % {"kind": cfdi.kind, "label": label})
    if not starts_on <= cfdi.issued_on <= ends_on:
        refusals.append(_("La factura es del %(issued)s, fuera del periodo de ejecución del proyecto (del "
                          "%(start)s al %(end)s).") % {"issued": f"{cfdi.issued_on:%d/%m/%Y}",
                                                       "start": f"{starts_on:%d/%m/%Y}",
                                                       "end": f"{ends_on:%d/%m/%Y}"})
    expected = (receiver_rfc or "").strip().upper()
    if not expected:  # a call set up without it: say so rather than compare with nothing
        refusals.append(str(_("La convocatoria todavía no dice a nombre de qué RFC van las facturas; avisa al "
                              "personal del programa.")))
    elif cfdi.receiver_rfc != expected:
        refusals.append(_("La factura está a nombre del RFC %(rfc)s; la convocatoria pide facturas a nombre del "
                          "RFC %(expected)s.") % {"rfc": cfdi.receiver_rfc, "expected": expected})
    return refusals
