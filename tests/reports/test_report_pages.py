"""The requester's report pages: ask (confirm, errors by the field, refusals), follow the bar, download only
one's own file while still allowed, ask again after a failure, and the buttons shown only to who may ask.
Test-only kinds stand in for the real builders (written elsewhere), registered for each test and removed after."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import slugify

from accounts.roles import StaffRole, has_role
from proposals.models import Call
from reports import registry
from reports.models import Report, ReportStatus
from tests.factories import UserFactory, make_open_call

pytestmark = pytest.mark.django_db
STAFF_READERS = (StaffRole.COORDINATOR, StaffRole.AUDITOR)


def _clean_call(params):
    value = str(params.get("call", ""))
    if not value.isdigit() or not Call.objects.filter(pk=int(value)).exists():
        raise ValidationError({"call": "Elige una convocatoria que exista."})
    return {"call": int(value)}


def _build_call(report, out, progress):
    out.write(f"folio,convocatoria\nMB-1,{report.params['call']}\n".encode())
    progress(1, 1)
    return 1


@pytest.fixture
def kinds():
    """register(code, ...) a test kind; every kind registered before the test is back afterwards."""
    saved = registry.kinds()  # imports the real builders first, so the restore keeps them

    def add(code, *, extension="csv", roles=STAFF_READERS, clean=_clean_call, build=_build_call):
        return registry.register(registry.ReportKind(
            code=code, label=f"Prueba {code}", extension=extension, clean_params=clean,
            may_request=lambda user, params: has_role(user, *roles), title=lambda p: f"Reporte de prueba {p}",
            build=build))

    yield add
    registry._KINDS.clear()
    registry._KINDS.update(saved)


@pytest.fixture
def call(db):
    return make_open_call()


@pytest.fixture
def coordinator(staff):
    return staff[StaffRole.COORDINATOR]


def ask(client, user, call, capture, code="test_call"):
    client.force_login(user)
    with capture(execute=True):
        return client.post(reverse("reports:request"), {"kind": code, "call": str(call.pk)})


def test_asking_confirms_first_then_queues_builds_and_shows_the_report(
        client, kinds, call, coordinator, django_capture_on_commit_callbacks):
    kinds("test_call")
    client.force_login(coordinator)
    confirm = client.get(reverse("reports:request"), {"kind": "test_call", "call": call.pk})
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Generar el reporte" in html and f'name="call" value="{call.pk}"' in html
    assert not Report.objects.exists()  # a GET writes nothing
    response = ask(client, coordinator, call, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:detail", args=[report.pk])
    assert report.status == ReportStatus.DONE and report.params == {"call": call.pk}
    page = client.get(response.url).content.decode()
    assert '<progress id="report-bar" max="100" value="100"' in page and "100 %" in page
    assert reverse("reports:download", args=[report.pk]) in page
    assert "report-progress.js" not in page  # nothing left to poll


def test_asking_twice_while_one_is_on_its_way_leads_to_the_same_report(client, kinds, call, coordinator):
    kinds("test_call")
    client.force_login(coordinator)
    first = client.post(reverse("reports:request"), {"kind": "test_call", "call": call.pk})
    Report.objects.update(status=ReportStatus.QUEUED)  # the worker has not picked it up yet
    again = client.post(reverse("reports:request"), {"kind": "test_call", "call": call.pk})
    assert first.url == again.url and Report.objects.count() == 1


def test_bad_parameters_come_back_next_to_the_field_as_typed_and_write_nothing(client, kinds, coordinator):
    kinds("test_call")
    client.force_login(coordinator)
    response = client.post(reverse("reports:request"), {"kind": "test_call", "call": "99x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="param-call" name="call" value="99x" aria-invalid="true"' in html
    assert "Elige una convocatoria que exista." in html and "Revisa los datos del reporte." in html
    unknown = client.post(reverse("reports:request"), {"kind": "no_existe"})
    assert unknown.status_code == 400 and "No existe ese tipo de reporte." in unknown.content.decode()
    crowded = client.post(reverse("reports:request"), {"kind": "test_call", **{f"p{i}": "1" for i in range(9)}})
    assert crowded.status_code == 400 and "demasiados" in crowded.content.decode()
    assert not Report.objects.exists()


def test_a_person_who_may_not_ask_is_refused_with_a_reason_and_nothing_is_written(
        client, kinds, call, applicant, staff):
    kinds("test_call")
    for person in (applicant, staff[StaffRole.COMMITTEE_MEMBER]):
        client.force_login(person)
        posted = client.post(reverse("reports:request"), {"kind": "test_call", "call": call.pk})
        shown = client.get(reverse("reports:request"), {"kind": "test_call", "call": call.pk})
        assert posted.status_code == shown.status_code == 403
        assert "No puedes pedir este reporte." in posted.content.decode()
    assert not Report.objects.exists()


def test_the_auditor_reads_everything_and_may_still_ask_for_a_report_for_themselves(
        client, kinds, call, staff, django_capture_on_commit_callbacks):
    kinds("test_call")
    response = ask(client, staff[StaffRole.AUDITOR], call, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Report.objects.get().requested_by == staff[StaffRole.AUDITOR]


def test_the_list_shows_my_reports_newest_first_and_nobody_elses(
        client, kinds, call, coordinator, staff, django_capture_on_commit_callbacks):
    kinds("test_call")
    ask(client, coordinator, call, django_capture_on_commit_callbacks)
    other_call = make_open_call(year=2031)
    ask(client, coordinator, other_call, django_capture_on_commit_callbacks)
    ask(client, staff[StaffRole.AUDITOR], call, django_capture_on_commit_callbacks)
    client.force_login(coordinator)
    html = client.get(reverse("reports:list")).content.decode()
    mine = list(Report.objects.filter(requested_by=coordinator).order_by("-created_at", "-id"))
    links = re.findall(r'href="/reportes/(\d+)/"', html)
    assert links == [str(r.pk) for r in mine]
    assert 'data-label="Estado">Listo' in html and 'data-label="Avance">100 %' in html


def test_an_active_report_polls_and_its_status_says_where_it_is(client, kinds, call, coordinator):
    kinds("test_call")
    client.force_login(coordinator)
    client.post(reverse("reports:request"), {"kind": "test_call", "call": call.pk})
    report = Report.objects.get()
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=40, file="")
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "js/report-progress.js" in page and "<script>" not in page
    assert f'data-report-status-url="{reverse("reports:status", args=[report.pk])}"' in page
    assert 'value="40"' in page and "40 %" in page and 'aria-live="polite"' in page
    assert f'href="{reverse("reports:detail", args=[report.pk])}">Actualizar' in page
    status = client.get(reverse("reports:status", args=[report.pk]))
    assert status["Cache-Control"] == "no-store"
    assert status.json() == {"status": "running", "status_label": "Generándose", "progress": 40, "rows": None,
                             "error": "", "download_url": None}


def test_status_of_a_finished_report_gives_the_download_link(
        client, kinds, call, coordinator, django_capture_on_commit_callbacks):
    kinds("test_call")
    ask(client, coordinator, call, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    state = client.get(reverse("reports:status", args=[report.pk])).json()
    assert state["status"] == "done" and state["progress"] == 100 and state["rows"] == 1
    assert state["download_url"] == reverse("reports:download", args=[report.pk])


def test_the_download_is_the_requesters_file_with_a_made_name_and_safe_headers(
        client, kinds, call, coordinator, django_capture_on_commit_callbacks):
    kinds("test_call")
    ask(client, coordinator, call, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f"folio,convocatoria\nMB-1,{call.pk}\n".encode()
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == f'attachment; filename="{slugify(report.title)}.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_an_xlsx_report_is_served_as_a_spreadsheet(client, kinds, call, coordinator,
                                                    django_capture_on_commit_callbacks):
    kinds("test_sheet", extension="xlsx")
    ask(client, coordinator, call, django_capture_on_commit_callbacks, code="test_sheet")
    report = Report.objects.get()
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response["Content-Type"] == registry.CONTENT_TYPES["xlsx"]
    assert response["Content-Disposition"] == f'attachment; filename="{slugify(report.title)}.xlsx"'


def test_someone_elses_report_does_not_exist_for_me(client, kinds, call, coordinator, staff,
                                                     django_capture_on_commit_callbacks):
    kinds("test_call")
    ask(client, coordinator, call, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    other = staff[StaffRole.AUDITOR]
    client.force_login(other)
    for name in ("detail", "status", "download"):
        assert client.get(reverse(f"reports:{name}", args=[report.pk])).status_code == 404, name
    assert client.post(reverse("reports:retry", args=[report.pk])).status_code == 404
    assert Report.objects.count() == 1


def test_a_person_who_lost_the_role_gets_no_file(client, kinds, call, coordinator,
                                                 django_capture_on_commit_callbacks):
    kinds("test_call")
    ask(client, coordinator, call, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    coordinator.groups.clear()
    client.force_login(coordinator)
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 403
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Ya no tienes permiso para descargar este reporte." in page
    assert reverse("reports:download", args=[report.pk]) not in page
    assert client.get(reverse("reports:status", args=[report.pk])).json()["download_url"] is None


def test_no_file_while_it_is_being_written_nor_after_it_expired(client, kinds, call, coordinator,
                                                               django_capture_on_commit_callbacks):
    kinds("test_call")
    ask(client, coordinator, call, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    url = reverse("reports:download", args=[report.pk])
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING)
    assert client.get(url).status_code == 404
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.DONE, expired_at=report.finished_at)
    assert client.get(url).status_code == 404
    assert "El archivo ya se borró" in client.get(reverse("reports:detail", args=[report.pk])).content.decode()


def _boom(report, out, progress):
    out.write(b"half")
    raise RuntimeError("disk on fire")


def test_a_failed_report_shows_its_reason_and_is_generated_again_on_request(
        client, kinds, call, coordinator, django_capture_on_commit_callbacks):
    kinds("test_call", build=_boom)
    ask(client, coordinator, call, django_capture_on_commit_callbacks)
    failed = Report.objects.get()
    assert failed.status == ReportStatus.FAILED
    page = client.get(reverse("reports:detail", args=[failed.pk])).content.decode()
    assert "Vuelve a intentarlo" in page and "disk on fire" not in page
    assert f'action="{reverse("reports:retry", args=[failed.pk])}"' in page and "Volver a generar" in page
    assert reverse("reports:download", args=[failed.pk]) not in page
    kinds("test_call")  # the cause is fixed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:retry", args=[failed.pk]))
    again = Report.objects.exclude(pk=failed.pk).get()
    assert response.status_code == 302 and response.url == reverse("reports:detail", args=[again.pk])
    assert again.status == ReportStatus.DONE
    # A report that did not fail is not generated again: a clear message, nothing written.
    refused = client.post(reverse("reports:retry", args=[again.pk]))
    assert refused.status_code == 400 and "Solo se vuelve a generar un reporte que falló." in refused.content.decode()
    assert Report.objects.count() == 2
    assert client.get(reverse("reports:retry", args=[again.pk])).status_code == 405


def test_call_page_buttons_show_only_registered_kinds_to_who_may_ask(client, kinds, call, coordinator, applicant):
    for code in ("call_report", "committee_results"):  # as on a branch without these builders
        registry._KINDS.pop(code, None)
    url = reverse("proposals:call_detail", args=[call.pk])
    client.force_login(coordinator)
    assert "Reporte de la convocatoria (XLSX)" not in client.get(url).content.decode()  # no builder: no button
    kinds("call_report", extension="xlsx")
    html = client.get(url).content.decode()
    assert "Reporte de la convocatoria (XLSX)" in html and 'value="call_report"' in html
    assert "Resultados del Comité (PDF)" not in html  # still not registered here
    client.force_login(applicant)
    assert "Reporte de la convocatoria (XLSX)" not in client.get(url).content.decode()


def test_committee_page_offers_the_results_report_once_its_kind_allows_it(client, kinds, call, coordinator, staff):
    from committees.services import committee_set

    committee_set(actor=coordinator, call=call, secretary=staff[StaffRole.COMMITTEE_SECRETARY])
    registry._KINDS.pop("committee_results", None)
    url = reverse("committees:home", args=[call.pk])
    client.force_login(staff[StaffRole.COMMITTEE_SECRETARY])
    assert "Resultados del Comité (PDF)" not in client.get(url).content.decode()
    kinds("committee_results", extension="pdf", roles=(StaffRole.COMMITTEE_SECRETARY,))
    assert "Resultados del Comité (PDF)" in client.get(url).content.decode()
    client.force_login(coordinator)  # sees the Committee's page, but may not ask for this (test) kind
    page = client.get(url)
    assert page.status_code == 200 and "Resultados del Comité (PDF)" not in page.content.decode()


def test_project_page_offers_the_accountability_report_to_who_may_ask(client, kinds, coordinator):
    from tests.projects.conftest import two_tranche_call
    from tests.projects.helpers import selected_project

    representative = UserFactory()
    project = selected_project(two_tranche_call(), representative=representative)

    def clean_project(params):
        return {"project": int(params["project"])}

    kinds("project_accountability", extension="pdf", roles=(StaffRole.COORDINATOR,), clean=clean_project)
    url = reverse("projects:detail", args=[project.pk])
    client.force_login(coordinator)
    html = client.get(url).content.decode()
    assert "Informe de rendición de cuentas (PDF)" in html and f'name="project" value="{project.pk}"' in html
    client.force_login(representative)
    page = client.get(url)
    assert page.status_code == 200 and "Informe de rendición de cuentas" not in page.content.decode()


def test_the_start_page_offers_the_annual_report_by_year_to_who_may_ask(client, kinds, call, coordinator,
                                                                        applicant, django_capture_on_commit_callbacks):
    def clean_year(params):
        value = str(params.get("year", ""))
        if not Call.objects.filter(fiscal_year=int(value) if value.isdigit() else -1).exists():
            raise ValidationError({"year": "Elige un año con convocatoria."})
        return {"year": int(value)}

    for code in ("annual_report_xlsx", "annual_report_pdf"):  # as on a branch without the annual builder
        registry._KINDS.pop(code, None)
    start = reverse("dashboard:start")
    client.force_login(coordinator)
    assert "Informe anual del programa" not in client.get(start).content.decode()
    kinds("annual_report_xlsx", extension="xlsx", clean=clean_year)
    kinds("annual_report_pdf", extension="pdf", clean=clean_year)
    html = client.get(start).content.decode()
    assert "Informe anual (XLSX)" in html and "Informe anual (PDF)" in html
    assert f'<option value="{call.fiscal_year}">' in html
    assert "Informe anual del programa" in client.get(reverse("reports:list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:request"), {"kind": "annual_report_pdf", "year": call.fiscal_year})
    assert Report.objects.get().params == {"year": call.fiscal_year}
    client.force_login(applicant)
    assert "Informe anual" not in client.get(start).content.decode()
