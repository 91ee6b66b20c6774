"""CFDI 4.0 invoices: what is read from a stamped XML, and each refusal with a tampered copy of a real-shaped
sample (projects/cfdi_samples.py). Hostile XML (entity bombs, external entities) is refused unread."""

import http.server
import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from projects import cfdi as cfdi_module
from projects.cfdi import MEXICO_CITY, RFC_RE, Cfdi, cfdi_parse, cfdi_refusals, hardened_parser
from projects.cfdi_samples import DEMO_RECEIVER_RFC, cfdi_xml

UUID = "A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D"
ISSUED = datetime(2026, 5, 14, 12, 30, 5)  # Mexico City local time, as a CFDI writes it
PERIOD = {"receiver_rfc": DEMO_RECEIVER_RFC, "starts_on": date(2026, 3, 1), "ends_on": date(2026, 9, 30)}


def sample(**changes) -> bytes:
    return cfdi_xml(**{"uuid": UUID, "issued_at": ISSUED, **changes})


def refusal(data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        cfdi_parse(data)
    assert len(caught.value.messages) == 1  # one clear message, never a list of parser noise
    return caught.value


def test_a_stamped_cfdi_40_is_read_from_the_file():
    read = cfdi_parse(sample(subtotal=Decimal("2500.50")))
    assert read == Cfdi(uuid=UUID, issuer_rfc="MAT010101AB1", issuer_name="MATERIALES EL BARRIO SA DE CV",
                        receiver_rfc=DEMO_RECEIVER_RFC, issued_at=ISSUED.replace(tzinfo=MEXICO_CITY),
                        subtotal=Decimal("2500.50"), total=Decimal("2900.58"), currency="MXN", kind="I",
                        version="4.0")
    assert read.issued_at.utcoffset().total_seconds() == -6 * 3600
    assert read.issued_on == date(2026, 5, 14)
    assert cfdi_refusals(read, **PERIOD) == []


def test_the_issue_day_is_mexico_city_s_not_utc_s():
    late_evening = datetime(2026, 5, 15, 3, 0, tzinfo=UTC)  # 21:00 on the 14th in Mexico City
    read = cfdi_parse(sample(issued_at=late_evening))
    assert read.issued_at == late_evening
    assert read.issued_on == date(2026, 5, 14)
    assert b'Fecha="2026-05-14T21:00:00"' in sample(issued_at=late_evening)


def test_a_lower_case_folio_fiscal_is_normalised():
    assert cfdi_parse(sample(uuid=UUID.lower())).uuid == UUID


def test_a_byte_order_mark_or_a_leading_blank_line_is_tolerated():
    assert cfdi_parse(b"\xef\xbb\xbf\r\n" + sample()).uuid == UUID


def tampered(old: bytes, new: bytes) -> bytes:
    data = sample()
    assert data.count(old) >= 1, old
    return data.replace(old, new, 1)


XHTML = b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Factura</p></body></html>'
RETENCIONES = (b'<retenciones:Retenciones xmlns:retenciones="http://www.sat.gob.mx/esquemas/retencionpago/2" '
               b'Version="2.0"/>')


@pytest.mark.parametrize(("data", "code", "says"), [
    (b"", "cfdi_empty", "está vacío"),
    (b"Factura 123: cemento, $1,160.00", "cfdi_not_xml", "El archivo no es un XML válido: se rompe en la línea 1"),
    (sample()[:700], "cfdi_not_xml", "El archivo no es un XML válido"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "cfdi_pdf", "es un PDF"),
    (b"PK\x03\x04\x14\x00\x00\x00", "cfdi_zip", "es un ZIP"),
    (b"<!DOCTYPE html>\n<html lang='es'><head><title>Portal</title></head><body>Descarga</body></html>",
     "cfdi_html", "página web (HTML)"),
    (XHTML, "cfdi_html", "página web (HTML)"),
    (RETENCIONES, "cfdi_not_cfdi", "No es un CFDI 4.0: el XML es «Retenciones»"),
    (cfdi_xml(version="3.3"), "cfdi_version", "No es un CFDI 4.0: es un CFDI 3.3"),
    (tampered(b'Version="4.0" Serie', b'Version="4.1" Serie'), "cfdi_version", "dice ser la versión «4.1»"),
    (sample(stamped=False), "cfdi_unstamped", "no tiene timbre fiscal"),
    (tampered(b"<tfd:TimbreFiscalDigital", b"<tfd:OtroTimbre"), "cfdi_unstamped", "no tiene timbre fiscal"),
    (tampered(UUID.encode(), b"A1B2C3D4-E5F6-4A7B-8C9D"), "cfdi_uuid", "«A1B2C3D4-E5F6-4A7B-8C9D»"),
    (tampered(UUID.encode(), b"G1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D"), "cfdi_uuid", "folio fiscal (UUID)"),
    (tampered(f'UUID="{UUID}"'.encode(), b'UUID=""'), "cfdi_missing", "el folio fiscal del timbre"),
    (tampered(b'Total="1160.00"', b'Total="-1160.00"'), "cfdi_amount", "El total del CFDI no es un importe válido"),
    (tampered(b'SubTotal="1000.00"', b'SubTotal="mil"'), "cfdi_amount", "El subtotal del CFDI"),
    (tampered(b'Total="1160.00"', b'Total="1.16E3"'), "cfdi_amount", "«1.16E3»"),
    (tampered(b'Fecha="2026-05-14T12:30:05"', b'Fecha="14/05/2026"'), "cfdi_date", "AAAA-MM-DDThh:mm:ss"),
    (tampered(b'Fecha="2026-05-14T12:30:05"', b'Fecha="2026-02-30T12:30:05"'), "cfdi_date", "«2026-02-30T12:30:05»"),
    (tampered(b'Fecha="2026-05-14T12:30:05"', b'Fecha="2026-05-14T12:30:05Z"'), "cfdi_date", "no es válida"),
    (tampered(b'Rfc="MAT010101AB1"', b'Rfc="MATERIALES"'), "cfdi_rfc", "El RFC del emisor no es válido: «MATERIALES»."),
    (tampered(b'Nombre="MATERIALES EL BARRIO SA DE CV"', b""), "cfdi_missing", "el nombre del emisor"),
    (tampered(b' Moneda="MXN"', b""), "cfdi_missing", "la moneda (atributo Moneda)"),
    (tampered(b"<cfdi:Receptor ", b"<cfdi:Receptora "), "cfdi_missing", "el receptor (cfdi:Receptor)"),
])
def test_what_is_not_a_stamped_cfdi_40_is_refused_saying_why(data, code, says):
    error = refusal(data)
    assert error.code == code
    assert says in error.messages[0], error.messages[0]


def test_a_file_over_2_mb_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(etree, "fromstring", _never_parsed)
    big = sample().replace(b"</cfdi:Comprobante>", b"<!--" + b" " * (2 * 1024 * 1024) + b"--></cfdi:Comprobante>")
    assert refusal(big).code == "cfdi_too_big"


def test_the_cfdi_3_3_refusal_names_its_version_and_what_to_do():
    message = refusal(cfdi_xml(version="3.3")).messages[0]
    assert message == ("No es un CFDI 4.0: es un CFDI 3.3. Desde abril de 2023 solo valen las facturas CFDI 4.0; "
                       "pide a tu proveedor que te la emita de nuevo.")


# --- hostile XML ---------------------------------------------------------------------------------------------

BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10))
        + b"]><lolz>&lol9;</lolz>")  # a billion "lol"s once expanded


def _never_parsed(*args, **kwargs):
    raise AssertionError("the parser was called")


def cfdi_with_doctype(declarations: bytes, reference: bytes) -> bytes:
    """The sample with a DOCTYPE, and the entity used in an Addenda (where a CFDI takes free content)."""
    body = sample().split(b"?>", 1)[1].replace(b"</cfdi:Comprobante>",
                                               b"<cfdi:Addenda>" + reference + b"</cfdi:Addenda></cfdi:Comprobante>")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE cfdi:Comprobante [' + declarations + b"]>" + body


def test_an_entity_bomb_is_refused_before_any_parsing(monkeypatch):
    monkeypatch.setattr(etree, "fromstring", _never_parsed)
    for data in (BOMB, BOMB.replace(b"<?xml", b"  <?xml"), cfdi_with_doctype(b'<!ENTITY a "x">', b"&a;"),
                 BOMB.decode().replace('"1.0"?>', '"1.0" encoding="UTF-16"?>', 1).encode("utf-16"),
                 b"<?xml version='1.0'?><!doctype r><r/>"):
        error = refusal(data)
        assert error.code == "cfdi_doctype"
        assert "DOCTYPE" in error.messages[0]


def test_the_parser_itself_expands_nothing_should_the_byte_check_be_fooled(monkeypatch):
    monkeypatch.setattr(cfdi_module, "refuse_declarations", lambda data: None)
    assert refusal(BOMB).code == "cfdi_not_xml"  # libxml2 stops at its amplification limit
    small_bomb = BOMB.replace(b"&lol9;", b"&lol3;")
    assert refusal(small_bomb).code == "cfdi_doctype"  # parsed, then refused for its DOCTYPE
    root = etree.fromstring(small_bomb, hardened_parser())
    assert etree.tostring(root) == b"<lolz>&lol3;</lolz>"  # the reference stays a reference: nothing multiplied


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"FETCHED-OVER-HTTP")

    def log_message(self, *args):
        pass


@pytest.fixture
def listening_server():
    """A local HTTP server that records any request: an external entity must never reach it."""
    _Recorder.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("byte_check", ["on", "fooled"])
def test_an_external_entity_is_never_fetched(listening_server, tmp_path, monkeypatch, byte_check):
    if byte_check == "fooled":
        monkeypatch.setattr(cfdi_module, "refuse_declarations", lambda data: None)
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRETO-DEL-SERVIDOR")
    declarations = (f'<!ENTITY web SYSTEM "{listening_server}/robado"><!ENTITY file SYSTEM "{secret.as_uri()}">'
                    f'<!ENTITY % remote SYSTEM "{listening_server}/dtd"> %remote;').encode()
    error = refusal(cfdi_with_doctype(declarations, b"&web;&file;"))
    assert error.code == "cfdi_doctype"
    assert "SECRETO" not in error.messages[0] and "FETCHED" not in error.messages[0]
    assert _Recorder.hits == []
    root = etree.fromstring(cfdi_with_doctype(declarations, b"&web;&file;"), hardened_parser())
    assert b"SECRETO" not in etree.tostring(root) and b"FETCHED" not in etree.tostring(root)
    assert _Recorder.hits == []


# --- what the programme refuses in a valid CFDI ---------------------------------------------------------------

def refusals_of(**changes) -> list[str]:
    return cfdi_refusals(cfdi_parse(sample(**changes)), **PERIOD)


def test_an_invoice_in_dollars_is_refused():
    assert refusals_of(currency="USD") == [
        "La factura está en USD; solo aceptamos facturas en pesos mexicanos (MXN)."]


@pytest.mark.parametrize(("kind", "says"), [
    ("E", "El CFDI es de tipo «E» (egreso, una nota de crédito); solo aceptamos facturas de ingreso (tipo «I»)."),
    ("P", "El CFDI es de tipo «P» (pago, un complemento de pago); solo aceptamos facturas de ingreso (tipo «I»)."),
    ("T", "El CFDI es de tipo «T» (traslado); solo aceptamos facturas de ingreso (tipo «I»)."),
])
def test_only_income_invoices_prove_an_expense(kind, says):
    assert refusals_of(kind=kind) == [says]


@pytest.mark.parametrize("issued_at", [datetime(2026, 2, 28, 23, 59, 59), datetime(2026, 10, 1, 0, 0, 0)])
def test_an_invoice_outside_the_execution_period_is_refused_naming_the_period(issued_at):
    [message] = refusals_of(issued_at=issued_at)
    assert message == (f"La factura es del {issued_at:%d/%m/%Y}, fuera del periodo de ejecución del proyecto "
                       "(del 01/03/2026 al 30/09/2026).")


@pytest.mark.parametrize("issued_at", [datetime(2026, 3, 1, 0, 0, 0), datetime(2026, 9, 30, 23, 59, 59)])
def test_the_first_and_last_days_of_the_period_count(issued_at):
    assert refusals_of(issued_at=issued_at) == []


def test_an_invoice_to_another_rfc_is_refused_naming_the_call_s():
    assert refusals_of(receiver_rfc="XAXX010101000") == [
        "La factura está a nombre del RFC XAXX010101000; la convocatoria pide facturas a nombre del RFC "
        "SBI180101AB1."]
    read = cfdi_parse(sample())
    assert cfdi_refusals(read, **{**PERIOD, "receiver_rfc": " sbi180101ab1 "}) == []
    assert cfdi_refusals(read, **{**PERIOD, "receiver_rfc": ""}) == [
        "La convocatoria todavía no dice a nombre de qué RFC van las facturas; avisa al personal del programa."]


def test_every_refusal_is_listed_at_once():
    read = cfdi_parse(sample(currency="USD", kind="E", issued_at=datetime(2025, 1, 2, 10, 0),
                             receiver_rfc="XAXX010101000"))
    refusals = cfdi_refusals(read, **PERIOD)
    assert len(refusals) == 4
    assert all(type(message) is str for message in refusals)  # ready to store or show, not lazy proxies


# --- the samples ---------------------------------------------------------------------------------------------

def test_the_sample_has_the_shape_of_a_stamped_cfdi_40():
    root = etree.fromstring(sample(), hardened_parser())
    ns = {"cfdi": "http://www.sat.gob.mx/cfd/4", "tfd": "http://www.sat.gob.mx/TimbreFiscalDigital"}
    assert set(root.attrib) >= {"{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", "Version", "Serie",
                                "Folio", "Fecha", "Sello", "FormaPago", "NoCertificado", "Certificado", "SubTotal",
                                "Moneda", "Total", "TipoDeComprobante", "Exportacion", "MetodoPago",
                                "LugarExpedicion"}
    assert set(root.find("cfdi:Emisor", ns).attrib) == {"Rfc", "Nombre", "RegimenFiscal"}
    assert set(root.find("cfdi:Receptor", ns).attrib) == {"Rfc", "Nombre", "DomicilioFiscalReceptor",
                                                          "RegimenFiscalReceptor", "UsoCFDI"}
    concept = root.find("cfdi:Conceptos/cfdi:Concepto", ns)
    assert concept.get("Descripcion") == "Cemento gris 50 kg"
    assert concept.find("cfdi:Impuestos/cfdi:Traslados/cfdi:Traslado", ns).get("Importe") == "160.00"
    assert root.find("cfdi:Impuestos", ns).get("TotalImpuestosTrasladados") == "160.00"
    stamp = root.find("cfdi:Complemento/tfd:TimbreFiscalDigital", ns)
    assert set(stamp.attrib) >= {"Version", "UUID", "FechaTimbrado", "RfcProvCertif", "SelloCFD",
                                 "NoCertificadoSAT", "SelloSAT"}
    assert stamp.get("Version") == "1.1" and stamp.get("SelloCFD") == root.get("Sello")
    assert len(root.get("Sello")) == 344  # an RSA-2048 seal in base64


def test_each_sample_gets_its_own_folio_fiscal_and_the_demo_rfc_is_a_company_s():
    assert cfdi_parse(cfdi_xml()).uuid != cfdi_parse(cfdi_xml()).uuid
    assert RFC_RE.match(DEMO_RECEIVER_RFC) and len(DEMO_RECEIVER_RFC) == 12


def test_a_supplier_name_with_an_ampersand_is_escaped():
    assert cfdi_parse(sample(issuer_name="PINTURAS & ACABADOS <SUR>")).issuer_name == "PINTURAS & ACABADOS <SUR>"


@settings(max_examples=40, deadline=None)
@given(subtotal=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999"), places=2),
       issued_at=st.datetimes(min_value=datetime(2023, 1, 1), max_value=datetime(2030, 12, 31)))
def test_what_the_sample_writes_is_what_the_parser_reads(subtotal, issued_at):
    issued_at = issued_at.replace(microsecond=0)
    read = cfdi_parse(sample(subtotal=subtotal, issued_at=issued_at))
    assert read.subtotal == subtotal
    assert read.total == (subtotal * Decimal("1.16")).quantize(Decimal("0.01"))
    assert read.issued_at.replace(tzinfo=None) == issued_at


@settings(max_examples=150, deadline=None)
@given(cut=st.integers(min_value=0, max_value=5000), noise=st.binary(max_size=40), where=st.integers(0, 5000))
def test_a_damaged_file_is_read_or_refused_never_a_crash(cut, noise, where):
    data = sample()[:cut]
    data = data[:where] + noise + data[where:]
    try:
        cfdi_parse(data)
    except ValidationError as error:
        assert len(error.messages) == 1 and error.messages[0]
