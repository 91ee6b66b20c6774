"""The SAT status client: off by default (no I/O), the live request as the SAT expects it (captured, never
sent), recorded answers replayed in tests, and every failure turned into ERROR instead of an exception."""

import http.client
import io
import json
import runpy
import socket
import ssl
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from lxml import etree

import nicp.settings.base
from projects import sat
from projects.cfdi import cfdi_parse
from projects.cfdi_samples import DEMO_RECEIVER_RFC, cfdi_xml
from projects.sat import (
    SAT_URL,
    SOAP_ACTION,
    RecordedTransport,
    SatAnswer,
    SatClient,
    SatStatus,
    UrllibTransport,
    recorded_answer,
    sat_status,
    total_for_sat,
)

FIXTURES = Path(django_settings.BASE_DIR) / "tests" / "fixtures" / "sat"
ANSWERS = {status: uuid for uuid, status in
           ((uuid, name.removesuffix(".xml")) for uuid, name in
            json.loads((FIXTURES / "answers.json").read_text("utf-8")).items())}
VALID, CANCELLED, NOT_FOUND = ANSWERS["vigente"], ANSWERS["cancelado"], ANSWERS["no_encontrado"]
UNKNOWN = "0D5E6F70-8192-4A3B-9C4D-5E6F70819203"
ASK = {"issuer_rfc": "MAT010101AB1", "receiver_rfc": DEMO_RECEIVER_RFC, "total": Decimal("1160.00")}
TEM = "{http://tempuri.org/}"


def _no_io(*args, **kwargs):
    raise AssertionError("the SAT was asked")


def test_off_is_the_default_and_asks_nobody(monkeypatch):
    monkeypatch.delenv("NICP_SAT_MODE", raising=False)
    defaults = runpy.run_path(nicp.settings.base.__file__)
    assert (defaults["NICP_SAT_MODE"], defaults["NICP_SAT_TIMEOUT"]) == ("off", 10.0)
    assert django_settings.NICP_SAT_MODE == "recorded"  # the test settings replay recorded answers


def test_off_answers_unchecked_without_any_io(settings, monkeypatch):
    settings.NICP_SAT_MODE = "off"
    for target, name in [(UrllibTransport, "__call__"), (RecordedTransport, "__call__"),
                         (urllib.request, "urlopen"), (socket.socket, "connect"), (sat, "safe_xml")]:
        monkeypatch.setattr(target, name, _no_io)
    assert sat_status(uuid=VALID, **ASK) == SatAnswer(SatStatus.UNCHECKED, "")


@pytest.mark.parametrize(("uuid", "status", "detail"), [
    (VALID, SatStatus.VALID, "S - Comprobante obtenido satisfactoriamente."),
    (CANCELLED, SatStatus.CANCELLED, "S - Comprobante obtenido satisfactoriamente. · Cancelado sin aceptación"),
    (NOT_FOUND, SatStatus.NOT_FOUND, "N - 602: Comprobante no encontrado."),
    (UNKNOWN, SatStatus.NOT_FOUND, "N - 602: Comprobante no encontrado."),
    (VALID.lower(), SatStatus.VALID, "S - Comprobante obtenido satisfactoriamente."),
])
def test_recorded_answers_are_replayed_by_uuid(uuid, status, detail):
    assert sat_status(uuid=uuid, **ASK) == SatAnswer(status, detail)


def test_a_parsed_sample_invoice_is_asked_about_with_what_was_read_from_it():
    read = cfdi_parse(cfdi_xml(uuid=CANCELLED))
    answer = sat_status(uuid=read.uuid, issuer_rfc=read.issuer_rfc, receiver_rfc=read.receiver_rfc, total=read.total)
    assert answer.status == SatStatus.CANCELLED
    assert answer.status.label == "Cancelado"


def test_a_test_can_make_one_uuid_answer_otherwise_for_a_while():
    with recorded_answer(VALID, SatStatus.CANCELLED):
        assert sat_status(uuid=VALID, **ASK).status == SatStatus.CANCELLED
        with recorded_answer(VALID.lower(), SatStatus.NOT_FOUND):
            assert sat_status(uuid=VALID, **ASK).status == SatStatus.NOT_FOUND
        assert sat_status(uuid=VALID, **ASK).status == SatStatus.CANCELLED
        with recorded_answer(UNKNOWN, SatStatus.VALID):
            assert sat_status(uuid=UNKNOWN, **ASK).status == SatStatus.VALID
    assert sat_status(uuid=VALID, **ASK).status == SatStatus.VALID
    assert sat_status(uuid=UNKNOWN, **ASK).status == SatStatus.NOT_FOUND


def test_a_recorded_silence_is_an_error_not_an_exception():
    with recorded_answer(VALID, SatStatus.ERROR):
        answer = sat_status(uuid=VALID, **ASK)
    assert answer.status == SatStatus.ERROR
    assert answer.detail.startswith("El SAT no respondió: TimeoutError")


@pytest.mark.parametrize("name", ["vigente.xml", "cancelado.xml", "no_encontrado.xml"])
def test_the_recorded_answers_have_the_shape_of_the_sat_s(name):
    root = etree.fromstring((FIXTURES / name).read_bytes())
    result = root.find("{http://schemas.xmlsoap.org/soap/envelope/}Body/"
                       f"{TEM}ConsultaResponse/{TEM}ConsultaResult")
    fields = [etree.QName(node).localname for node in result]
    assert fields == ["CodigoEstatus", "EsCancelable", "Estado", "EstatusCancelacion", "ValidacionEFOS"]
    assert {etree.QName(node).namespace for node in result} == {sat.ANSWER_NS}


# --- the live client, with its network replaced -----------------------------------------------------------------

class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@pytest.fixture
def captured(settings, monkeypatch):
    """Live mode, with urlopen replaced: what would go to the SAT is kept, and a recorded answer comes back."""
    settings.NICP_SAT_MODE = "live"
    settings.NICP_SAT_TIMEOUT = 7.5
    requests = []

    def urlopen(request, timeout=None):
        requests.append((request, timeout))
        return FakeResponse((FIXTURES / "vigente.xml").read_bytes())

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    return requests


def test_the_live_client_asks_the_sat_as_its_service_expects(captured):
    assert sat_status(uuid=VALID.lower(), **ASK) == SatAnswer(SatStatus.VALID,
                                                              "S - Comprobante obtenido satisfactoriamente.")
    [(request, timeout)] = captured
    assert (request.full_url, request.get_method(), timeout) == (SAT_URL, "POST", 7.5)
    assert request.get_header("Soapaction") == SOAP_ACTION
    assert request.get_header("Content-type") == 'text/xml; charset="utf-8"'
    body = request.data
    assert b"<tem:expresionImpresa><![CDATA[?re=" in body
    envelope = etree.fromstring(body)
    assert envelope.tag == "{http://schemas.xmlsoap.org/soap/envelope/}Envelope"
    expression = envelope.findtext(f"{{http://schemas.xmlsoap.org/soap/envelope/}}Body/{TEM}Consulta/"
                                   f"{TEM}expresionImpresa")
    assert expression == f"?re=MAT010101AB1&rr=SBI180101AB1&tt=0000001160.000000&id={VALID}"


def test_an_rfc_with_an_ampersand_is_written_as_the_expression_expects(captured):
    sat_status(uuid=VALID, **{**ASK, "issuer_rfc": "m&a010101ab1"})
    [(request, _timeout)] = captured
    assert b"?re=M&amp;A010101AB1&rr=" in request.data


@pytest.mark.parametrize(("total", "written"), [
    (Decimal("1160"), "0000001160.000000"), (Decimal("0.5"), "0000000000.500000"),
    (Decimal("1234567.891"), "0001234567.891000"), (Decimal("9999999999.99"), "9999999999.990000"),
])
def test_the_total_is_written_with_ten_integer_digits_and_six_decimals(total, written):
    assert total_for_sat(total) == written


@pytest.mark.parametrize("bad", [{"uuid": "no-es-un-uuid"}, {"uuid": VALID + "]]><x/>"},
                                 {"issuer_rfc": "MAT]]><evil/>"}, {"receiver_rfc": ""}])
def test_bad_input_is_not_sent(captured, bad):
    answer = sat_status(**{"uuid": VALID, **ASK, **bad})
    assert answer.status == SatStatus.ERROR
    assert captured == []


def _http_error():
    return urllib.error.HTTPError(SAT_URL, 500, "Internal Server Error", {},
                                  io.BytesIO((FIXTURES / "fault.xml").read_bytes()))


@pytest.mark.parametrize("failure", [
    lambda: urllib.error.URLError(socket.gaierror(-2, "Name or service not known")),
    lambda: TimeoutError("timed out"),
    lambda: ssl.SSLError(1, "CERTIFICATE_VERIFY_FAILED"),
    lambda: ConnectionResetError(104, "Connection reset by peer"),
    lambda: http.client.RemoteDisconnected("Remote end closed connection without response"),
    lambda: http.client.IncompleteRead(b"<s:Env"),
    _http_error,
], ids=["dns", "timeout", "tls", "reset", "disconnected", "incomplete", "http-500"])
def test_a_network_failure_is_an_error_answer_never_an_exception(settings, monkeypatch, failure):
    settings.NICP_SAT_MODE = "live"

    def urlopen(request, timeout=None):
        raise failure()

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    answer = sat_status(uuid=VALID, **ASK)
    assert answer.status == SatStatus.ERROR
    assert answer.detail.startswith("El SAT no respondió: ")


@pytest.mark.parametrize(("answer", "detail"), [
    ((FIXTURES / "fault.xml").read_bytes(), "El SAT no dijo el estado del CFDI."),
    (b"<html><body>502 Bad Gateway</body></html>", "El SAT no dijo el estado del CFDI."),
    (b"Service Unavailable", "El SAT respondió algo que no es su respuesta de consulta."),
    (b'<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><s>&x;</s>',
     "El SAT respondió algo que no es su respuesta de consulta."),
    ((FIXTURES / "vigente.xml").read_bytes().replace(b">Vigente<", b">En proceso<"),
     "S - Comprobante obtenido satisfactoriamente."),
])
def test_an_answer_that_is_not_the_sat_s_is_an_error(answer, detail):
    assert SatClient(lambda body: answer).status(uuid=VALID, **ASK) == SatAnswer(SatStatus.ERROR, detail)


@hypothesis_settings(max_examples=100, deadline=None)
@given(cut=st.integers(min_value=0, max_value=700), noise=st.binary(max_size=30))
def test_any_answer_is_read_without_an_exception(cut, noise):
    answer = (FIXTURES / "cancelado.xml").read_bytes()
    answer = answer[:cut] + noise + answer[cut:]
    assert SatClient(lambda body: answer).status(uuid=VALID, **ASK).status in SatStatus.values


def test_a_misconfigured_mode_fails_loudly_at_once(settings):
    settings.NICP_SAT_MODE = "on"
    with pytest.raises(ImproperlyConfigured, match="off, live, recorded"):
        sat_status(uuid=VALID, **ASK)
    settings.NICP_SAT_MODE, settings.NICP_SAT_RECORDED_ANSWERS = "recorded", ""
    with pytest.raises(ImproperlyConfigured, match="NICP_SAT_RECORDED_ANSWERS"):
        sat_status(uuid=VALID, **ASK)


def test_recorded_answers_can_live_anywhere(settings, tmp_path):
    (tmp_path / "cancelado.xml").write_bytes((FIXTURES / "cancelado.xml").read_bytes())
    (tmp_path / "answers.json").write_text(json.dumps({UNKNOWN.lower(): "cancelado.xml"}))
    settings.NICP_SAT_RECORDED_ANSWERS = str(tmp_path / "answers.json")
    assert sat_status(uuid=UNKNOWN, **ASK).status == SatStatus.CANCELLED
