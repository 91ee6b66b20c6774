"""Is a CFDI still valid? The SAT's public ConsultaCFDIService answers Vigente, Cancelado or No Encontrado.

settings.NICP_SAT_MODE chooses how to ask:
- "off" (the default): nobody is asked and the answer is UNCHECKED; no network unless configured.
- "live": SOAP over HTTPS to the SAT, with settings.NICP_SAT_TIMEOUT seconds; a failure is ERROR, never raised.
- "recorded": RecordedTransport replays real-shaped SOAP answers from the files that
  settings.NICP_SAT_RECORDED_ANSWERS (a JSON mapping UUID → file name) names; the test settings use it.
  In a test, `with recorded_answer(uuid, SatStatus.CANCELLED):` makes one UUID answer otherwise.
"""

import json
import logging
import re
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from lxml import etree

from projects.cfdi import RFC_RE, UUID_RE, safe_xml

logger = logging.getLogger(__name__)

SAT_URL = "https://consultaqr.facturaelectronica.sat.gob.mx/ConsultaCFDIService.svc"
SOAP_ACTION = "http://tempuri.org/IConsultaCFDIService/Consulta"
ANSWER_NS = "http://schemas.datacontract.org/2004/07/Sat.Cfdi.Negocio.ConsultaCfdi.Servicio"
MAX_ANSWER_BYTES = 64 * 1024  # the SAT answers in well under 1 kB
MODES = ("off", "live", "recorded")


class SatStatus(models.TextChoices):
    UNCHECKED = "unchecked", _("Sin consultar")
    VALID = "valid", _("Vigente")
    CANCELLED = "cancelled", _("Cancelado")
    NOT_FOUND = "not_found", _("No encontrado")
    ERROR = "error", _("Sin respuesta del SAT")


@dataclass(frozen=True)
class SatAnswer:
    status: str  # a SatStatus value
    detail: str  # the SAT's CodigoEstatus and EstatusCancelacion, or why there was no answer


ESTADOS = {"vigente": SatStatus.VALID, "cancelado": SatStatus.CANCELLED, "no encontrado": SatStatus.NOT_FOUND}
# A transport sends the SOAP request's bytes and returns the answer's bytes; it may raise anything.
Transport = Callable[[bytes], bytes]


def total_for_sat(total: Decimal) -> str:
    """The expression's total as the SAT reads it: 10 integer digits and 6 decimals, zero-padded."""
    return f"{Decimal(total):017.6f}"


def consulta_envelope(*, uuid: str, issuer_rfc: str, receiver_rfc: str, total: Decimal) -> bytes:
    """The SOAP request, as the SAT's own clients send it. The RFC's «&» is written as the expression expects
    (&amp;), and the values are checked first so that nothing can break out of the CDATA section."""
    uuid, issuer_rfc, receiver_rfc = uuid.strip().upper(), issuer_rfc.strip().upper(), receiver_rfc.strip().upper()
    if not (UUID_RE.match(uuid) and RFC_RE.match(issuer_rfc) and RFC_RE.match(receiver_rfc)):
        raise ValueError("not a CFDI's UUID and RFCs")
    expression = (f"?re={escape(issuer_rfc)}&rr={escape(receiver_rfc)}&tt={total_for_sat(total)}&id={uuid}")
    return ('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns:tem="http://tempuri.org/"><soapenv:Header/><soapenv:Body><tem:Consulta>'
            f"<tem:expresionImpresa><![CDATA[{expression}]]></tem:expresionImpresa>"
            "</tem:Consulta></soapenv:Body></soapenv:Envelope>").encode()


def read_answer(data: bytes) -> SatAnswer:
    """The SAT's envelope → SatAnswer; anything else (a SOAP fault, a proxy's HTML page) is ERROR."""
    try:
        root = safe_xml(data)
    except ValidationError:
        return SatAnswer(SatStatus.ERROR, str(_("El SAT respondió algo que no es su respuesta de consulta.")))
    texts = {etree.QName(node).localname: " ".join((node.text or "").split())
             for node in root.iter(f"{{{ANSWER_NS}}}*")}
    status = ESTADOS.get(texts.get("Estado", "").lower())
    detail = " · ".join(text for text in (texts.get("CodigoEstatus"), texts.get("EstatusCancelacion")) if text)
    if status is None:
        return SatAnswer(SatStatus.ERROR, detail or str(_("El SAT no dijo el estado del CFDI.")))
    return SatAnswer(status, detail)


class UrllibTransport:
    """Production: one HTTPS POST to the SAT."""

    def __init__(self, *, url: str = SAT_URL, timeout: float | None = None):
        self.url, self.timeout = url, timeout if timeout is not None else settings.NICP_SAT_TIMEOUT

    def __call__(self, body: bytes) -> bytes:
        request = urllib.request.Request(self.url, data=body, method="POST", headers={  # noqa: S310 (fixed https URL)
            "Content-Type": 'text/xml; charset="utf-8"', "SOAPAction": SOAP_ACTION})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            return response.read(MAX_ANSWER_BYTES)


# Test overrides: UUID → file name, read before the answers file (see recorded_answer).
_OVERRIDES: dict[str, str] = {}
FILES = {SatStatus.VALID: "vigente.xml", SatStatus.CANCELLED: "cancelado.xml",
         SatStatus.NOT_FOUND: "no_encontrado.xml"}
UNREACHABLE = "unreachable"  # an override that makes the transport fail, as a network error would
EXPRESSION_ID = re.compile(r"[?&]id=([0-9A-Fa-f-]{36})")


class RecordedTransport:
    """Tests and demos: replays a recorded SAT answer chosen by the UUID inside the request itself, so the
    request is built (and parsed back) exactly as in production. An unknown UUID is not found, as at the SAT."""

    def __init__(self, answers_path: str | Path):
        self.answers_path = Path(answers_path)

    def __call__(self, body: bytes) -> bytes:
        expression = safe_xml(body).findtext(".//{http://tempuri.org/}expresionImpresa") or ""
        found = EXPRESSION_ID.search(expression)
        uuid = found.group(1).upper() if found else ""
        answers = {key.upper(): name for key, name in json.loads(self.answers_path.read_text("utf-8")).items()}
        name = _OVERRIDES.get(uuid) or answers.get(uuid) or FILES[SatStatus.NOT_FOUND]
        if name == UNREACHABLE:
            raise TimeoutError("recorded: the SAT did not answer")
        return (self.answers_path.parent / Path(name).name).read_bytes()


@contextmanager
def recorded_answer(uuid: str, status: str) -> Iterator[None]:
    """In recorded mode, `uuid` answers `status` (VALID, CANCELLED, NOT_FOUND, or ERROR: no answer) inside the
    block, whatever answers.json says."""
    key = uuid.strip().upper()
    previous = _OVERRIDES.get(key)
    _OVERRIDES[key] = UNREACHABLE if status == SatStatus.ERROR else FILES[SatStatus(status)]
    try:
        yield
    finally:
        if previous is None:
            _OVERRIDES.pop(key, None)
        else:
            _OVERRIDES[key] = previous


class SatClient:
    def __init__(self, transport: Transport):
        self.transport = transport

    def status(self, *, uuid: str, issuer_rfc: str, receiver_rfc: str, total: Decimal) -> SatAnswer:
        try:
            body = consulta_envelope(uuid=uuid, issuer_rfc=issuer_rfc, receiver_rfc=receiver_rfc, total=total)
        except (ValueError, ArithmeticError):
            return SatAnswer(SatStatus.ERROR, str(_("No se consultó: el folio fiscal o un RFC no es válido.")))
        try:
            answer = self.transport(body)
        except Exception as error:  # networks fail in many ways (DNS, TLS, timeout, HTTP 5xx); ask again later
            logger.warning("SAT status of %s: no answer (%s: %s)", uuid, type(error).__name__, error)
            return SatAnswer(SatStatus.ERROR, str(_("El SAT no respondió: %(reason)s"))
                             % {"reason": f"{type(error).__name__}: {error}"[:200]})
        return read_answer(answer)


def sat_client() -> SatClient | None:
    """The client settings.NICP_SAT_MODE asks for; None when the SAT is not to be asked."""
    mode = settings.NICP_SAT_MODE
    if mode == "off":
        return None
    if mode == "live":
        return SatClient(UrllibTransport())
    if mode == "recorded":
        if not settings.NICP_SAT_RECORDED_ANSWERS:
            raise ImproperlyConfigured("NICP_SAT_MODE=recorded needs NICP_SAT_RECORDED_ANSWERS (a JSON file).")
        return SatClient(RecordedTransport(settings.NICP_SAT_RECORDED_ANSWERS))
    raise ImproperlyConfigured(f"NICP_SAT_MODE must be one of {', '.join(MODES)}, not {mode!r}.")


def sat_status(*, uuid: str, issuer_rfc: str, receiver_rfc: str, total: Decimal) -> SatAnswer:
    client = sat_client()
    if client is None:
        return SatAnswer(SatStatus.UNCHECKED, "")
    return client.status(uuid=uuid, issuer_rfc=issuer_rfc, receiver_rfc=receiver_rfc, total=total)
