"""Real-shaped CFDI 4.0 invoices for tests, the demo and the benchmark: the attributes, nesting and namespaces
of a stamped SAT invoice (Anexo 20), with placeholder seals and certificates (nothing is really signed)."""

import base64
import hashlib
import uuid as uuid_module
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from lxml import etree

from projects.cfdi import CFDI3_NS, CFDI_NS, MEXICO_CITY, TFD_NS

DEMO_RECEIVER_RFC = "SBI180101AB1"  # the ministry, as the demo call invoices to it (a company's 12 characters)
DEMO_RECEIVER_NAME = "SECRETARIA DE BIENESTAR E IGUALDAD SOCIAL"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMAS = {"4.0": "http://www.sat.gob.mx/cfd/4 http://www.sat.gob.mx/sitio_internet/cfd/4/cfdv40.xsd",
           "3.3": "http://www.sat.gob.mx/cfd/3 http://www.sat.gob.mx/sitio_internet/cfd/3/cfdv33.xsd"}
TFD_SCHEMA = ("http://www.sat.gob.mx/TimbreFiscalDigital "
              "http://www.sat.gob.mx/sitio_internet/cfd/TimbreFiscalDigital/TimbreFiscalDigitalv11.xsd")
CENTS = Decimal("0.01")
IVA = Decimal("0.16")


def _placeholder(seed: str, length: int) -> str:
    """Base64 that looks like a seal or a certificate and is stable for the same seed."""
    return base64.b64encode(hashlib.shake_256(seed.encode()).digest(length * 3 // 4)).decode()[:length - 2] + "=="


def _local(moment: datetime) -> str:
    if timezone.is_aware(moment):
        moment = moment.astimezone(MEXICO_CITY)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _money(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENTS))


def cfdi_xml(*, uuid: str | None = None, issuer_rfc: str = "MAT010101AB1",
             issuer_name: str = "MATERIALES EL BARRIO SA DE CV", receiver_rfc: str = DEMO_RECEIVER_RFC,
             receiver_name: str = DEMO_RECEIVER_NAME, issued_at: datetime | None = None,
             subtotal: Decimal = Decimal("1000.00"), total: Decimal | None = None, currency: str = "MXN",
             kind: str = "I", version: str = "4.0", stamped: bool = True,
             concept: str = "Cemento gris 50 kg") -> bytes:
    """A stamped invoice for one concept with 16 % IVA (total defaults to subtotal × 1.16). issued_at may be
    aware (shown in Mexico City time, as a CFDI's Fecha is) or naive (taken as Mexico City time already).
    version="3.3" makes the previous standard's shape, which CFDI 4.0 replaced."""
    folio_fiscal = uuid or str(uuid_module.uuid4()).upper()  # kept as given: some stamps are lower-case
    issued_at = issued_at or timezone.now()
    subtotal = Decimal(subtotal).quantize(CENTS)
    total = (subtotal * (1 + IVA)).quantize(CENTS) if total is None else Decimal(total).quantize(CENTS)
    tax, discount = max(total - subtotal, Decimal(0)), max(subtotal - total, Decimal(0))
    is_40 = version != "3.3"
    cfdi = CFDI_NS if is_40 else CFDI3_NS

    def element(parent, name, **attributes):
        node = etree.SubElement(parent, f"{{{cfdi}}}{name}")
        for key, value in attributes.items():
            if value is not None:
                node.set(key, value)
        return node

    root = etree.Element(f"{{{cfdi}}}Comprobante", nsmap={"cfdi": cfdi, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMAS["4.0" if is_40 else "3.3"])
    for key, value in {
        "Version": version, "Serie": "A", "Folio": str(int(folio_fiscal[:6], 16) % 100000),
        "Fecha": _local(issued_at), "Sello": _placeholder(f"sello {folio_fiscal}", 344), "FormaPago": "03",
        "NoCertificado": "30001000000500003416", "Certificado": _placeholder(f"certificado {issuer_rfc}", 1640),
        "SubTotal": _money(subtotal), "Descuento": _money(discount) if discount else None, "Moneda": currency,
        "Total": _money(total), "TipoDeComprobante": kind, "Exportacion": "01" if is_40 else None,
        "MetodoPago": "PUE", "LugarExpedicion": "06000",
    }.items():
        if value is not None:
            root.set(key, value)
    element(root, "Emisor", Rfc=issuer_rfc, Nombre=issuer_name, RegimenFiscal="601")
    element(root, "Receptor", Rfc=receiver_rfc, Nombre=receiver_name,
            DomicilioFiscalReceptor="06000" if is_40 else None, RegimenFiscalReceptor="603" if is_40 else None,
            UsoCFDI="G03")
    concepts = element(root, "Conceptos")
    line = element(concepts, "Concepto", ClaveProdServ="30111601", NoIdentificacion="CEM-50", Cantidad="1",
                   ClaveUnidad="H87", Unidad="Pieza", Descripcion=concept, ValorUnitario=_money(subtotal),
                   Importe=_money(subtotal), Descuento=_money(discount) if discount else None,
                   ObjetoImp="02" if is_40 else None)
    transfer = {"Base": _money(subtotal - discount), "Impuesto": "002", "TipoFactor": "Tasa",
                "TasaOCuota": "0.160000", "Importe": _money(tax)}
    element(element(element(line, "Impuestos"), "Traslados"), "Traslado", **transfer)
    element(element(element(root, "Impuestos", TotalImpuestosTrasladados=_money(tax)), "Traslados"), "Traslado",
            **transfer)
    if stamped:
        stamp = etree.SubElement(element(root, "Complemento"), f"{{{TFD_NS}}}TimbreFiscalDigital",
                                 nsmap={"tfd": TFD_NS})
        stamp.set(f"{{{XSI_NS}}}schemaLocation", TFD_SCHEMA)
        for key, value in {
            "Version": "1.1", "UUID": folio_fiscal, "FechaTimbrado": _local(issued_at + timedelta(minutes=1)),
            "RfcProvCertif": "SAT970701NN3", "SelloCFD": root.get("Sello"),
            "NoCertificadoSAT": "30001000000500003456", "SelloSAT": _placeholder(f"sat {folio_fiscal}", 344),
        }.items():
            stamp.set(key, value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
