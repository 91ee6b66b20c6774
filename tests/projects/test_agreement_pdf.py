"""The generated agreement (convenio) as a person reads it: the PDF's text, extracted with pypdf."""

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from projects import services
from projects.agreement import percent, signing_committees
from projects.models import ProjectRules
from tests.projects.conftest import two_tranche_call
from tests.projects.helpers import elect, selected_project

pytestmark = pytest.mark.django_db


def pdf_text(agreement) -> str:
    agreement.generated_file.open("rb")
    data = agreement.generated_file.read()
    agreement.generated_file.close()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)  # justified lines come out with double spaces and breaks


@pytest.fixture
def generated(people):
    call = two_tranche_call(year=2030)
    ProjectRules.objects.create(call=call, public_legend="Leyenda pública de prueba: programa ajeno a partidos.")
    project = selected_project(call, amount=Decimal("1234567.89"))
    elect(project, people["coordinator"])
    return project, services.agreement_generate(actor=people["finance"], project_id=project.pk)


def test_the_pdf_says_the_code_the_amount_in_figures_and_words_the_plan_and_the_legend(generated):
    project, agreement = generated
    text = pdf_text(agreement)
    assert project.code in text and project.title in text
    assert "Monto aprobado $1,234,567.89 MXN (un millón" in text  # the summary at the top
    assert "un millón doscientos treinta y cuatro mil quinientos sesenta y siete pesos 89/100 M.N." in text
    # The call's plan: 70 % at the start, 30 % with progress and the first tranche proved; the last takes
    # the rounding remainder so both add up to the approved amount.
    assert "1. 70 % — $864,197.52 MXN (al inicio de las obras)" in text
    assert "2. 30 % — $370,370.37 MXN (con avance físico de al menos 70 %; con 100 % de la ministración" in text
    assert "Leyenda pública de prueba: programa ajeno a partidos." in text
    assert "Comité de Administración" in text and "Por la Secretaría" in text


def test_each_committee_signs_presidency_first(generated):
    project, _agreement = generated
    committees = signing_committees(project)
    assert [label for label, _seats in committees] == ["Administración", "Supervisión", "Desarrollo Comunitario"]
    for _label, seats in committees:
        assert [seat.position for seat in seats] == ["president", "secretary", "member"]


def test_shares_read_as_people_write_them():
    assert percent(Decimal("70.00")) == "70"
    assert percent(Decimal("33.50")) == "33.5"
    assert percent(Decimal("12.25")) == "12.25"
