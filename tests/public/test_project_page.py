"""The public project page /proyectos/<code>/: each section from the public record, «not yet reported»
instead of 0, committee names only under the call's rule, suppliers who are people masked, files served
only once published (and only from their own project), JSON-LD and share tags, a constant query count."""

import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import Expense, LogbookEntry, ProjectPhoto
from projects.services import publication
from proposals.models import Call
from tests.factories import PDF_BYTES
from tests.projects.execution_helpers import photo, record_invoice
from tests.public.project_page_helpers import (
    COMMITTEE_PERSON,
    PERSON,
    endorsed_report,
    full_project,
    simple_receipt,
    works_project,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_pdfs(monkeypatch):
    # The agreement and minutes are printed on the way to a project in execution; this page only lists
    # them, so their bytes need not be laid out for real.
    monkeypatch.setattr("weasyprint.HTML.write_pdf", lambda self, *args, **kwargs: PDF_BYTES)


@pytest.fixture
def world():
    return full_project()


def page(client, project):
    response = client.get(reverse("public:project", args=[project.code]))
    assert response.status_code == 200
    return response, response.content.decode()


def section(html: str, anchor: str) -> str:
    found = re.search(rf'<section id="{anchor}".*?</section>', html, re.S)
    assert found, anchor
    return found.group(0)


def test_an_unknown_code_is_not_found(client, world):
    assert client.get(reverse("public:project", args=["PCMB-1999-0001"])).status_code == 404


def test_what_where_and_money_read_from_the_public_record(client, world):
    project = world["project"]
    _response, html = page(client, project)
    assert project.title in html and project.code in html
    where = section(html, "donde")
    assert project.neighbourhood.name in where and project.neighbourhood.borough.name in where
    assert f'href="/proyectos/mapa/?unit={project.neighbourhood.key}"' in where
    money = section(html, "dinero")
    assert "$1,000,000.00" in money                # approved
    assert "$700,000.00" in money                  # the first tranche, released
    assert "$11,600.00" in money                   # the verified invoice
    assert "Ministrada" in money and "Programada" in money and "70 %" in money and "30 %" in money
    assert "Materiales de construcción" in money and "$600,000.00" in money


def test_expenses_show_companies_and_mask_people(client, world):
    html = section(page(client, world["project"])[1], "gastos")
    invoice = world["invoice"]
    assert "MATERIALES EL BARRIO SA DE CV" in html and "MAT010101AB1" in html
    assert invoice.cfdi.uuid in html                          # the CFDI folio
    assert "Persona física" in html and PERSON not in html    # the person paid by simple receipt
    assert "$2,500.00" in html and "Pago de jornales" in html
    assert "comprobante/" not in html                         # no receipt file is public yet


def test_a_rejected_expense_is_not_listed(client, world):
    Expense.objects.filter(pk=world["receipt"].pk).update(status="rejected")
    html = section(page(client, world["project"])[1], "gastos")
    assert "Pago de jornales" not in html


def test_figures_not_yet_reported_say_so_instead_of_zero(client):
    works, _people = works_project(released=False)
    _response, html = page(client, works.refresh())
    progress = section(html, "avance")
    assert progress.count("Sin reportar") == 2 and "0 %" not in progress
    assert "progress-chart" not in progress and "Aún no hay avances reportados" in progress
    money = section(html, "dinero")
    assert "Aún no hay ministraciones" in money and "Aún no hay gastos comprobados" in money
    assert "$0.00" not in money
    assert "Aún no hay gastos registrados" in section(html, "gastos")
    assert "Aún no hay fotos publicadas" in section(html, "fotos")
    assert "Aún no hay anotaciones publicadas" in section(html, "registro-de-obra")


def test_progress_chart_with_its_table(client, world):
    html = section(page(client, world["project"])[1], "avance")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="progress-chart"' in html
    assert html.count("<polyline") == 2                    # physical and financial
    assert "<title" in html and "<desc" in html
    table = re.search(r'<table class="cards progress-table">.*?</table>', html, re.S).group(0)
    # The report and the verification happened the same day: one row with where that day ended.
    assert table.count("<tr>") == 2
    assert "40 %" in table and "1.2 %" in table            # 11,600 of 1,000,000 verified


def test_the_chart_joins_dated_observations_of_each_series():
    from datetime import date

    from projects.public.chart import daily, progress_chart

    series = [{"date": date(2026, 3, 1), "physical": Decimal("10"), "financial": None},
              {"date": date(2026, 3, 1), "physical": None, "financial": Decimal("4.5")},
              {"date": date(2026, 3, 1), "physical": None, "financial": Decimal("6")},
              {"date": date(2026, 5, 1), "physical": Decimal("55.5"), "financial": None}]
    days = daily(series)
    assert days == [{"date": date(2026, 3, 1), "physical": Decimal("10"), "financial": Decimal("6")},
                    {"date": date(2026, 5, 1), "physical": Decimal("55.5"), "financial": None}]
    svg = str(progress_chart(days))
    physical = re.search(r'<polyline class="series"[^>]*stroke="#1f4e79"[^>]*points="([^"]+)"', svg).group(1)
    assert len(physical.split()) == 2                      # two reports, joined
    assert "55.5 %" in svg and "6 %" in svg                # said in words in <desc>
    assert progress_chart([]) == ""


def test_committee_names_only_when_the_call_makes_them_public(client, world):
    project = world["project"]
    hidden = section(page(client, project)[1], "comites")
    assert COMMITTEE_PERSON not in hidden
    assert "Presidencia" in hidden and "Administración" in hidden
    assert "no hacen públicos los nombres" in hidden
    Call.objects.filter(pk=project.call_id).update(committee_names_public=True)
    shown = section(page(client, project)[1], "comites")
    assert COMMITTEE_PERSON in shown and "no hacen públicos los nombres" not in shown


def test_only_published_photos_show_and_are_served(client, world):
    project, coordinator = world["project"], world["people"]["coordinator"]
    shown, private = world["photo"], endorsed_report(world["works"], percent=60).photos.get()
    publication_url = reverse("public:photo", args=[project.code, shown.pk])
    assert client.get(publication_url).status_code == 404
    services.photo_publish(actor=coordinator, photo_id=shown.pk, public=True)
    html = section(page(client, project)[1], "fotos")
    assert f'src="{publication_url}"' in html
    assert reverse("public:photo", args=[project.code, private.pk]) not in html
    response = client.get(publication_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client.get(reverse("public:photo", args=[project.code, private.pk])).status_code == 404


def test_a_photo_is_served_only_under_its_own_project(client, world):
    services.photo_publish(actor=world["people"]["coordinator"], photo_id=world["photo"].pk, public=True)
    other, _people = works_project(year=2030)
    assert client.get(reverse("public:photo", args=[other.project.code, world["photo"].pk])).status_code == 404


def test_logbook_shows_published_entries_by_role_only(client, world):
    project = world["project"]
    publication.logbook_entry_publish(actor=world["people"]["coordinator"], entry_id=world["entry"].pk, public=True)
    html = section(page(client, project)[1], "registro-de-obra")
    assert "Llegó el cemento a la obra." in html
    assert "Nota interna que no se publica." not in html
    author = world["works"].admin
    assert "Administración" in html and author.full_name not in html and author.email not in html


def test_receipt_files_only_when_published(client, world):
    project, coordinator = world["project"], world["people"]["coordinator"]
    invoice_url = reverse("public:receipt", args=[project.code, world["invoice"].pk])
    receipt_url = reverse("public:receipt", args=[project.code, world["receipt"].pk])
    assert client.get(invoice_url).status_code == 404 and client.get(receipt_url).status_code == 404
    publication.expense_receipt_publish(actor=coordinator, expense_id=world["invoice"].pk, public=True)
    # A simple receipt is signed by the person paid: it is never published, even if its flag were set.
    with pytest.raises(ValidationError):
        publication.expense_receipt_publish(actor=coordinator, expense_id=world["receipt"].pk, public=True)
    Expense.objects.filter(pk=world["receipt"].pk).update(receipt_public=True)
    html = section(page(client, project)[1], "gastos")
    assert f'href="{invoice_url}"' in html and f'href="{receipt_url}"' not in html
    assert client.get(receipt_url).status_code == 404
    xml = client.get(invoice_url)                     # no PDF with this invoice: its XML
    assert xml.status_code == 200 and xml["Content-Type"] == "application/xml"
    assert b"".join(xml.streaming_content).startswith(b"<?xml")
    # Published, then rejected: no longer a public expense, so no longer a public file.
    Expense.objects.filter(pk=world["invoice"].pk).update(status="rejected")
    assert client.get(invoice_url).status_code == 404


def test_a_receipt_is_served_only_under_its_own_project(client, world):
    publication.expense_receipt_publish(actor=world["people"]["coordinator"], expense_id=world["invoice"].pk,
                                        public=True)
    other, _people = works_project(year=2030)
    assert client.get(reverse("public:receipt", args=[other.project.code, world["invoice"].pk])).status_code == 404


def test_documents_listed_with_date_and_linked_only_when_published(client, world):
    project, coordinator = world["project"], world["people"]["coordinator"]
    url = reverse("public:document", args=[project.code, "agreement"])
    html = section(page(client, project)[1], "documentos")
    assert "Convenio de colaboración" in html and "aún no publicado" in html and url not in html
    assert timezone.localdate().strftime("%Y-%m-%d") in html
    assert client.get(url).status_code == 404
    # The signed agreement names the committees' people: not public while the call keeps their names private.
    with pytest.raises(ValidationError):
        publication.document_publish(actor=coordinator, project_id=project.pk, kind="agreement", public=True)
    Call.objects.filter(pk=project.call_id).update(committee_names_public=True)
    publication.document_publish(actor=coordinator, project_id=project.pk, kind="agreement", public=True)
    html = section(page(client, project)[1], "documentos")
    assert f'href="{url}"' in html
    Call.objects.filter(pk=project.call_id).update(committee_names_public=False)   # the rule changes back
    assert client.get(url).status_code == 404
    assert f'href="{url}"' not in section(page(client, project)[1], "documentos")
    Call.objects.filter(pk=project.call_id).update(committee_names_public=True)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    for kind in ("handover", "accountability", "other"):      # not there yet, or no such document
        assert client.get(reverse("public:document", args=[project.code, kind])).status_code == 404


def test_milestones_timeline(client, world):
    html = section(page(client, world["project"])[1], "historia")
    assert html.count("<li>") >= 3          # created, committees elected, agreement signed, tranche released


def test_json_ld_parses_with_the_project_type_and_name(client, world):
    project = world["project"]
    response, html = page(client, project)
    found = re.search(r'<script type="application/ld\+json" nonce="([^"]+)">(.*?)</script>', html, re.S)
    assert found
    data = json.loads(found.group(2))
    assert data["@type"] == "Project" and data["name"] == project.title and data["identifier"] == project.code
    assert data["url"].endswith(f"/proyectos/{project.code}/")
    assert data["location"]["address"]["addressRegion"] == project.neighbourhood.borough.name
    assert f"'nonce-{found.group(1)}'" in response["Content-Security-Policy"]


def test_json_ld_cannot_close_its_script(client, world):
    project = world["project"]
    type(project).objects.filter(pk=project.pk).update(title="</script><script>alert(1)</script>")
    html = page(client, project)[1]
    block = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and json.loads(block)["name"] == "</script><script>alert(1)</script>"


def test_share_tags_with_a_public_photo(client, world):
    project = world["project"]
    html = page(client, project)[1]
    assert f'<meta property="og:title" content="{project.title}">' in html
    assert re.search(rf'<meta property="og:url" content="[^"]+/proyectos/{project.code}/">', html)
    assert 'name="twitter:card" content="summary"' in html and "og:image" not in html
    services.photo_publish(actor=world["people"]["coordinator"], photo_id=world["photo"].pk, public=True)
    html = page(client, project)[1]
    photo_path = reverse("public:photo", args=[project.code, world["photo"].pk])
    assert re.search(rf'<meta property="og:image" content="[^"]+{re.escape(photo_path)}">', html)
    assert 'content="summary_large_image"' in html


def _many(world, n):
    """n more published photos, logbook entries and expenses on the world's project."""
    works, coordinator = world["works"], world["people"]["coordinator"]
    project = works.project
    for number in range(n):
        entry = services.logbook_write(actor=works.admin, project_id=project.pk, happened_on=timezone.localdate(),
                                       text=f"Anotación {number}.", photos=[photo()])
        publication.logbook_entry_publish(actor=coordinator, entry_id=entry.pk, public=True)
        record_invoice(works, subtotal=Decimal("100.00"), concept=f"Clavos {number}")
        simple_receipt(works, amount=Decimal("50.00"))
    ProjectPhoto.objects.filter(project=project).update(is_public=True)
    Expense.objects.filter(project=project).update(receipt_public=True)


def test_constant_query_count_whatever_the_number_of_rows(client, world, django_assert_max_num_queries):
    project = world["project"]
    _many(world, 1)
    url = reverse("public:project", args=[project.code])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _many(world, 29)
    assert LogbookEntry.objects.filter(project=project, is_public=True).count() == 30
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("Clavos ") == 30
