"""The works pages (progress, logbook, visits, photos, timeline): each role sees what it may do and nothing
more, refused forms come back as typed with each error by its field, photos are served only to who sees the
project, the logbook has no way to change or remove an entry, and the tabs read in constant queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from projects import services
from projects.models import LogbookEntry, ProgressReport, ProjectPhoto, VisitObservation
from projects.workflow import ReportAction, ReportState
from tests.factories import UserFactory, upload
from tests.projects.execution_helpers import in_execution_project, jpeg_at, photo
from tests.projects.helpers import selected_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(project_call, people):
    return in_execution_project(project_call, people)


def url(name, works, *args):
    return reverse(f"projects:{name}", args=[works.project.pk, *args])


def submit(works, percent=30, photos=None):
    return services.progress_report_submit(actor=works.admin, project_id=works.project.pk, physical_percent=percent,
                                           summary="Se coló la losa.", photos=photos or [photo()])


def entry(works, text="Llegó el cemento.", **kwargs):
    return services.logbook_write(actor=works.admin, project_id=works.project.pk, happened_on=timezone.localdate(),
                                  text=text, **kwargs)


def visit(works, people, *, due_in=10, text="Falta señalizar la zanja."):
    return services.site_visit_record(actor=people["coordinator"], project_id=works.project.pk,
                                      visited_on=timezone.localdate(), findings="Obra limpia.",
                                      observations=[(text, timezone.localdate() + timedelta(days=due_in))])


def page(client, user, address):
    client.force_login(user)
    response = client.get(address)
    return response, response.content.decode()


# --- Tabs ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "label"), [("detail", "Resumen y dinero"), ("progress", "Avance"),
                                             ("logbook", "Bitácora"), ("visits", "Visitas"),
                                             ("timeline", "Historial")])
def test_every_project_page_shows_the_tabs_with_its_own_marked(client, works, name, label):
    _response, html = page(client, works.admin, url(name, works))
    nav = html[html.index('class="project-tabs"'):]
    nav = nav[:nav.index("</nav>")]
    assert nav.count('aria-current="page"') == 1
    assert f'href="{url(name, works)}" aria-current="page">{label}</a>' in nav
    for other in ("progress", "logbook", "visits", "timeline"):
        assert f'href="{url(other, works)}"' in nav


def test_the_timeline_lists_events_newest_first_in_the_past_tense(client, works, people):
    visit(works, people)
    _response, html = page(client, people["auditor"], url("timeline", works))
    assert "Se registró la elección de comités" in html
    assert html.index("Obra limpia.") < html.index("Se registró la elección de comités")  # newest first
    assert 'data-label="Quién"' in html


# --- Progress ----------------------------------------------------------------------------------------------

def test_the_progress_tab_shows_both_progresses_the_due_date_and_each_report(client, works):
    proposal = works.project.proposal  # the site is the proposal's
    proposal.latitude, proposal.longitude = Decimal("19.432600"), Decimal("-99.133200")
    proposal.save(update_fields=["latitude", "longitude"])
    report = services.progress_report_submit(
        actor=works.admin, project_id=works.project.pk, physical_percent=25, summary="Cimentación lista.",
        photos=[upload("cerca.jpg", jpeg_at(19.4327, -99.1333), "image/jpeg"),
                upload("lejos.jpg", jpeg_at(19.50, -99.20), "image/jpeg")])
    _response, html = page(client, works.admin, url("progress", works))
    assert "Avance físico (último informe avalado)" in html
    assert "Avance financiero" in html
    assert "Próximo informe" in html
    assert "Cimentación lista." in html and "Enviado" in html
    for shot in report.photos.all():
        assert reverse("projects:photo", args=[works.project.pk, shot.pk]) in html
    assert html.count("Foto tomada a más de 500 m del sitio") == 1
    assert "Enviar un informe de avance" not in html  # one waits for supervision


def test_an_overdue_report_says_vencido(client, works):
    project = works.project
    type(project).objects.filter(pk=project.pk).update(
        execution_starts_on=timezone.localdate() - timedelta(days=90))
    _response, html = page(client, works.admin, url("progress", works))
    assert "vencido" in html


def test_the_administration_submits_a_report_with_photos(client, works):
    client.force_login(works.admin)
    response = client.post(url("report_submit", works), {
        "physical_percent": "35.5", "summary": "Muros a media altura.", "photos": [photo("a.jpg"), photo("b.jpg")],
        "version": works.project.version})
    assert response.status_code == 302 and response.url == url("progress", works)
    report = ProgressReport.objects.get(project=works.project)
    assert (str(report.physical_percent), report.photos.count()) == ("35.50", 2)


def test_a_refused_report_keeps_what_was_typed_and_says_why_by_the_field(client, works):
    client.force_login(works.admin)
    response = client.post(url("report_submit", works), {"physical_percent": "140", "summary": "Muros terminados."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Escribe el avance físico en porcentaje, de 0 a 100." in html
    assert "Muros terminados.</textarea>" in html and 'value="140"' in html
    response = client.post(url("report_submit", works), {"physical_percent": "20", "summary": "Muros."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Adjunta al menos una foto de la obra." in html
    assert html.index("Adjunta al menos una foto") > html.index('name="summary"')  # by the photos field
    assert not ProgressReport.objects.exists()


def test_report_submission_is_for_the_administration_committee_only(client, works, people):
    for user in (works.supervision, people["coordinator"], people["auditor"]):
        client.force_login(user)
        assert client.get(url("report_submit", works)).status_code == 403
    client.force_login(UserFactory())
    assert client.get(url("report_submit", works)).status_code == 404


def test_supervision_endorses_a_report_and_the_physical_progress_moves(client, works):
    report = submit(works, 40)
    _response, html = page(client, works.supervision, url("progress", works))
    assert url("report_action", works, report.pk) in html
    response = client.post(url("report_action", works, report.pk), {"decision": "endorse", "note": "",
                                                                      "version": report.version})
    assert response.status_code == 302
    assert works.refresh().physical_progress == 40
    report.refresh_from_db()
    assert report.status == ReportState.ENDORSED


def test_observing_needs_a_note_and_the_committee_corrects_with_more_photos(client, works):
    report = submit(works, 40)
    client.force_login(works.supervision)
    response = client.post(url("report_action", works, report.pk), {"decision": "observe", "note": " "})
    assert response.status_code == 400
    assert "Escribe qué debe corregir el comité de Administración." in response.content.decode()
    assert client.post(url("report_action", works, report.pk),
                       {"decision": "observe", "note": "Faltan fotos del muro norte."}).status_code == 302
    client.force_login(works.admin)
    _response, html = page(client, works.admin, url("progress", works))
    assert "Faltan fotos del muro norte." in html and "Corregir el informe" in html
    form = client.get(url("report_action", works, report.pk)).content.decode()
    assert 'name="physical_percent"' in form and "Se coló la losa.</textarea>" in form
    response = client.post(url("report_action", works, report.pk), {
        "physical_percent": "42", "summary": "Con el muro norte.", "photos": [photo("norte.jpg")],
        "version": ProgressReport.objects.get(pk=report.pk).version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.summary, report.photos.count()) == (ReportState.SUBMITTED, "Con el muro norte.", 2)


def test_report_actions_are_for_the_committees_that_act_on_reports(client, works, people):
    report = submit(works)
    for user in (people["coordinator"], people["auditor"], works.development):
        client.force_login(user)
        assert client.get(url("report_action", works, report.pk)).status_code == 403
        assert client.post(url("report_action", works, report.pk), {"decision": "endorse"}).status_code == 403
    client.force_login(works.admin)  # the committee cannot endorse its own report
    response = client.post(url("report_action", works, report.pk), {"physical_percent": "50", "summary": "x"})
    assert response.status_code == 400
    assert ProgressReport.objects.get(pk=report.pk).status == ReportState.SUBMITTED


# --- Logbook -----------------------------------------------------------------------------------------------

def test_a_logbook_entry_and_its_correction_point_to_each_other(client, works, people):
    first = entry(works, "Llegaron 50 bultos de cemento.")
    _response, html = page(client, people["coordinator"], url("logbook", works))
    assert f'{url("logbook_write", works)}?corrige={first.pk}' in html
    form = client.get(f'{url("logbook_write", works)}?corrige={first.pk}').content.decode()
    assert "Llegaron 50 bultos de cemento." in form and f'name="corrects" value="{first.pk}"' in form
    response = client.post(url("logbook_write", works), {
        "happened_on": timezone.localdate().isoformat(), "text": "Fueron 40 bultos, no 50.", "corrects": first.pk,
        "photos": [photo()]})
    assert response.status_code == 302
    correction = LogbookEntry.objects.get(corrects=first)
    assert correction.author_role == "Coordinación del programa" and correction.photos.count() == 1
    _response, html = page(client, works.supervision, url("logbook", works))
    assert html.index("Fueron 40 bultos") < html.index("Llegaron 50 bultos")  # newest first
    assert f'href="#anotacion-{first.pk}">Corrige la anotación del' in html
    assert f'href="#anotacion-{correction.pk}">Corregida por la anotación' in html
    assert "Coordinación" in html and "Administración" in html


def test_a_refused_logbook_entry_keeps_the_text(client, works):
    client.force_login(works.admin)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(url("logbook_write", works), {"happened_on": future, "text": "Se entregó la malla."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "La fecha no puede ser futura." in html and "Se entregó la malla.</textarea>" in html
    assert not LogbookEntry.objects.exists()


def test_the_logbook_is_written_by_the_committees_and_the_staff_following_the_works(client, works, people):
    for user, code in ((works.development, 200), (people["finance"], 200), (people["auditor"], 403),
                       (works.project.group.memberships.first().user, 403)):
        client.force_login(user)
        assert client.get(url("logbook_write", works)).status_code == code, user


def test_the_logbook_has_no_edit_or_delete_path(client, works):
    first = entry(works)
    base = url("logbook", works)
    for suffix in (f"{first.pk}/", f"{first.pk}/editar/", f"{first.pk}/borrar/", f"{first.pk}/corregir/"):
        with pytest.raises(Resolver404):
            resolve(base + suffix)
    for name in ("logbook_edit", "logbook_delete", "logbook_entry"):
        with pytest.raises(NoReverseMatch):
            reverse(f"projects:{name}", args=[works.project.pk, first.pk])
    client.force_login(works.admin)
    for method in ("put", "delete", "patch"):
        assert getattr(client, method)(url("logbook_write", works)).status_code == 405
    assert LogbookEntry.objects.get(pk=first.pk).text == "Llegó el cemento."
    html = client.get(base).content.decode()
    assert "Editar" not in html and "Borrar" not in html and "Eliminar" not in html
    # Not in the admin site either (and if it is ever registered, only to read).
    model_admin = admin.site._registry.get(LogbookEntry)
    assert model_admin is None or not (model_admin.has_change_permission(None)
                                       or model_admin.has_delete_permission(None))


# --- Visits -----------------------------------------------------------------------------------------------

def test_coordination_records_a_visit_with_observations_and_photos(client, works, people):
    client.force_login(people["coordinator"])
    due = (timezone.localdate() + timedelta(days=15)).isoformat()
    response = client.post(url("visit_record", works), {
        "visited_on": timezone.localdate().isoformat(), "findings": "Avance conforme.",
        "observation_1": "Poner cinta de seguridad.", "observation_1_due": due,
        "observation_3": "Limpiar el acceso.", "observation_3_due": due, "photos": [photo()]})
    assert response.status_code == 302
    assert list(VisitObservation.objects.values_list("text", flat=True).order_by("id")) == [
        "Poner cinta de seguridad.", "Limpiar el acceso."]
    assert ProjectPhoto.objects.filter(visit__isnull=False).count() == 1


def test_a_refused_visit_keeps_what_was_typed_and_says_which_observation(client, works, people):
    client.force_login(people["coordinator"])
    response = client.post(url("visit_record", works), {
        "visited_on": timezone.localdate().isoformat(), "findings": "Avance conforme.",
        "observation_2": "Retirar escombro.", "observation_2_due": timezone.localdate().isoformat()})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Indica para la observación 2 una fecha límite posterior a hoy." in html
    assert "Retirar escombro.</textarea>" in html and "Avance conforme.</textarea>" in html
    assert not works.project.visits.exists()


def test_visits_are_recorded_by_the_coordination_only(client, works, people):
    for user in (works.admin, works.supervision, people["finance"], people["auditor"]):
        client.force_login(user)
        assert client.get(url("visit_record", works)).status_code == 403


def test_the_committee_answers_and_the_coordination_settles_or_reopens(client, works, people):
    observation = visit(works, people).observations.get()
    _response, html = page(client, works.supervision, url("visits", works))
    assert url("observation_answer", works, observation.pk) in html
    assert url("observation_settle", works, observation.pk) not in html
    response = client.post(url("observation_answer", works, observation.pk), {"answer": "", "version": 1})
    assert response.status_code == 400
    assert "Escribe qué se hizo para atender la observación." in response.content.decode()
    assert client.post(url("observation_answer", works, observation.pk),
                       {"answer": "Ya se puso la cinta.", "version": 1}).status_code == 302
    _response, html = page(client, people["coordinator"], url("visits", works))
    assert "Ya se puso la cinta." in html and url("observation_settle", works, observation.pk) in html
    response = client.post(url("observation_settle", works, observation.pk), {"decision": "reopen", "note": ""})
    assert response.status_code == 400
    assert "Escribe por qué la respuesta no basta." in response.content.decode()
    assert client.post(url("observation_settle", works, observation.pk),
                       {"decision": "settle", "note": ""}).status_code == 302
    assert VisitObservation.objects.get(pk=observation.pk).status == VisitObservation.Status.SETTLED


def test_observation_answers_and_reviews_by_role(client, works, people):
    observation = visit(works, people).observations.get()
    for user in (works.development, people["coordinator"], people["finance"]):
        client.force_login(user)
        assert client.post(url("observation_answer", works, observation.pk), {"answer": "x"}).status_code == 403
    for user in (works.admin, people["finance"]):
        client.force_login(user)
        assert client.post(url("observation_settle", works, observation.pk), {"decision": "settle"}).status_code == 403


def test_an_overdue_open_observation_shows_in_red_as_vencida(client, works, people):
    observation = visit(works, people).observations.get()
    VisitObservation.objects.filter(pk=observation.pk).update(answer_due_on=timezone.localdate() - timedelta(days=1))
    _response, html = page(client, people["coordinator"], url("visits", works))
    assert f'id="observacion-{observation.pk}" class="overdue"' in html and "vencida" in html


# --- Photos -----------------------------------------------------------------------------------------------

def test_photos_are_served_only_to_who_sees_the_project(client, works, people, project_call):
    shot = submit(works).photos.get()
    address = url("photo", works, shot.pk)
    for user in (works.admin, works.supervision, people["auditor"]):
        client.force_login(user)
        response = client.get(address)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert "inline" in response["Content-Disposition"]
    outsider = selected_project(project_call)
    client.force_login(UserFactory())
    assert client.get(address).status_code == 404
    client.force_login(people["coordinator"])  # a photo asked for through another project's address
    assert client.get(reverse("projects:photo", args=[outsider.pk, shot.pk])).status_code == 404
    client.logout()
    assert client.get(address).status_code == 302


def test_coordination_shows_and_hides_a_photo_on_the_public_page(client, works, people):
    shot = submit(works).photos.get()
    _response, html = page(client, people["coordinator"], url("progress", works))
    assert "Mostrar en la página pública" in html
    response = client.post(url("photo_publish", works, shot.pk), {"public": "1", "next": url("progress", works)})
    assert response.status_code == 302 and response.url == url("progress", works)
    assert ProjectPhoto.objects.get(pk=shot.pk).is_public
    html = client.get(url("progress", works)).content.decode()
    assert "Quitar de la página pública" in html
    client.post(url("photo_publish", works, shot.pk), {"public": "0", "next": "https://example.com/"})
    assert not ProjectPhoto.objects.get(pk=shot.pk).is_public
    client.force_login(works.admin)
    assert "Mostrar en la página pública" not in client.get(url("progress", works)).content.decode()
    assert client.post(url("photo_publish", works, shot.pk), {"public": "1"}).status_code == 403


# --- What to do next ----------------------------------------------------------------------------------------

def next_step(client, user, works):
    _response, html = page(client, user, url("detail", works))
    start = html.find('id="next-step-title"')
    return html[start:html.index("</section>", start)] if start >= 0 else ""


def test_next_steps_for_reports(client, works):
    type(works.project).objects.filter(pk=works.project.pk).update(
        execution_starts_on=timezone.localdate() - timedelta(days=40))
    assert url("report_submit", works) in next_step(client, works.admin, works)
    report = submit(works)
    assert url("report_action", works, report.pk) in next_step(client, works.supervision, works)
    services.progress_report_transition(actor=works.supervision, report_id=report.pk, action=ReportAction.OBSERVE,
                                        note="Falta la foto del muro.")
    step = next_step(client, works.admin, works)
    assert url("report_action", works, report.pk) in step and "Falta la foto del muro." in step


def test_next_steps_for_observations(client, works, people):
    observation = visit(works, people, text="Cubrir la zanja.").observations.get()
    step = next_step(client, works.supervision, works)
    assert "Cubrir la zanja." in step and f"#observacion-{observation.pk}" in step and "Fecha límite" in step
    VisitObservation.objects.filter(pk=observation.pk).update(answer_due_on=timezone.localdate() - timedelta(days=1))
    assert f"#observacion-{observation.pk}" in next_step(client, people["coordinator"], works)
    VisitObservation.objects.filter(pk=observation.pk).update(answer_due_on=timezone.localdate() + timedelta(days=1))
    assert f"#observacion-{observation.pk}" not in next_step(client, people["coordinator"], works)
    services.observation_answer(actor=works.admin, observation_id=observation.pk, answer="Ya se cubrió.")
    assert "Revisar la respuesta" in next_step(client, people["coordinator"], works)


# --- Query counts -------------------------------------------------------------------------------------------

def queries(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_the_logbook_reads_in_the_same_queries_for_1_or_20_entries(client, works, people):
    first = entry(works, photos=[photo()])
    client.force_login(people["coordinator"])
    one = queries(client, url("logbook", works))
    for number in range(19):
        entry(works, f"Anotación {number}", corrects_id=first.pk if number % 3 == 0 else None, photos=[photo()])
    assert queries(client, url("logbook", works)) == one


def test_the_progress_tab_reads_in_the_same_queries_for_1_or_20_reports(client, works, people):
    def endorsed(percent):
        report = submit(works, percent)
        services.progress_report_transition(actor=works.supervision, report_id=report.pk,
                                            action=ReportAction.ENDORSE)

    endorsed(1)
    client.force_login(people["coordinator"])
    one = queries(client, url("progress", works))
    for number in range(2, 21):
        endorsed(number)
    assert ProgressReport.objects.count() == 20
    assert queries(client, url("progress", works)) == one
