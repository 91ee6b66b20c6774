"""/datos/<filename>: anyone downloads a file; the nightly snapshot is served when there is one, the file is
streamed live otherwise and always when filtered; ETag and Last-Modified make a repeated download a 304;
an unknown file is a 404 and a bad filter a 400 that says what to fix, in Spanish."""

import json

import pytest
from django.urls import reverse

from projects.models import Project
from reports.opendata import datasets
from reports.opendata.datasets import Dataset
from reports.opendata.snapshots import snapshot_request
from tests.projects.conftest import two_tranche_call
from tests.projects.helpers import selected_project

pytestmark = pytest.mark.django_db
URL = "/datos/oc4ids.json"


@pytest.fixture
def call(db):
    return two_tranche_call()


@pytest.fixture
def project(call):
    return selected_project(call)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def titles(response) -> list[str]:
    return [p["title"] for p in json.loads(body(response))["projects"]]


def rename(project, title):
    Project.objects.filter(pk=project.pk).update(title=title)  # updated_at is not touched by update()


def take_snapshot(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = snapshot_request(filename="oc4ids.json")
    report.refresh_from_db()
    assert report.status == "done", report.error
    return report


def test_the_url_is_the_fixed_name():
    assert reverse("opendata:download", args=["oc4ids.json"]) == URL


def test_an_unknown_file_is_not_found(client, project):
    assert client.get("/datos/no-existe.json").status_code == 404
    assert client.get("/datos/../oc4ids.json").status_code == 404


def test_without_a_snapshot_the_file_is_streamed_live_as_an_attachment(client, project):
    response = client.get(URL)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="oc4ids.json"'
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    assert response["ETag"] and response["Last-Modified"]
    assert titles(response) == [project.title]


def test_a_repeated_download_with_the_same_etag_or_date_is_a_304_without_body(client, project):
    first = client.get(URL)
    again = client.get(URL, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and body(again) == b""
    assert again["ETag"] == first["ETag"]
    since = client.get(URL, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304


def test_a_change_in_the_data_changes_the_etag_and_the_file_comes_again(client, project):
    first = client.get(URL)
    project.title = "Parque renovado"
    project.save()  # updated_at moves
    again = client.get(URL, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert titles(again) == ["Parque renovado"]


def test_the_snapshot_is_served_from_storage_when_there_is_one(client, project,
                                                              django_capture_on_commit_callbacks):
    snapshot = take_snapshot(django_capture_on_commit_callbacks)
    rename(project, "Título cambiado después de la foto")
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == [project.title]  # the snapshot, not the database now
    assert int(response["Content-Length"]) == snapshot.file.size
    assert response["Content-Disposition"] == 'attachment; filename="oc4ids.json"'
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    assert client.get(URL, headers={"if-none-match": response["ETag"]}).status_code == 304
    assert client.get(URL, headers={"if-modified-since": response["Last-Modified"]}).status_code == 304


def test_a_newer_snapshot_changes_the_etag(client, project, django_capture_on_commit_callbacks):
    take_snapshot(django_capture_on_commit_callbacks)
    first = client.get(URL)
    rename(project, "Otra versión")
    take_snapshot(django_capture_on_commit_callbacks)
    again = client.get(URL, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200 and titles(again) == ["Otra versión"]


def test_a_filtered_download_is_always_live_and_filtered(client, call, project, django_capture_on_commit_callbacks):
    other = selected_project(call)
    take_snapshot(django_capture_on_commit_callbacks)
    rename(project, "Cambiado tras la foto")
    response = client.get(URL, {"unit": project.neighbourhood.key})
    assert response.status_code == 200 and response.streaming
    assert titles(response) == ["Cambiado tras la foto"]
    assert other.title not in body(response).decode()
    whole = client.get(URL, {"year": call.fiscal_year})
    assert response["ETag"] != whole["ETag"]  # the query is part of the tag
    assert len(titles(whole)) == 2


@pytest.mark.parametrize(("query", "message"), [
    ({"status": "inventado"}, "Estado: Elige una opción válida."),
    ({"borough": "999"}, "No hay una alcaldía con esa clave."),
    ({"year": "dos mil"}, "Año:"),
])
def test_a_bad_filter_is_a_400_that_says_what_to_fix(client, project, query, message):
    response = client.get(URL, query)
    assert response.status_code == 400
    text = response.content.decode()
    assert text.startswith("Revisa los filtros de la descarga:")
    assert message in text


def test_a_file_that_is_not_filterable_refuses_filters(client, project):
    fixed = Dataset(filename="fijo.csv", label="Fijo", description="Prueba", content_type="text/csv",
                    write=lambda projects: iter(["a,b\n"]), last_modified=lambda: None)
    datasets.register(fixed)
    try:
        response = client.get("/datos/fijo.csv", {"year": "2029"})
        assert response.status_code == 400
        assert "Este archivo no se puede filtrar" in response.content.decode()
        plain = client.get("/datos/fijo.csv", {"utm_source": "correo", "year": ""})  # nothing asked: ignored
        assert plain.status_code == 200 and body(plain) == b"a,b\n"
        assert "Last-Modified" not in plain  # no data yet, no date
    finally:
        datasets._DATASETS.pop("fijo.csv")


def test_only_get_and_head(client, project):
    assert client.post(URL).status_code == 405
    assert client.head(URL).status_code == 200


def test_a_live_download_reads_the_same_queries_for_one_project_or_many(client, call, project,
                                                                       django_assert_max_num_queries):
    with django_assert_max_num_queries(30) as one:
        body(client.get(URL))
    for _ in range(4):
        selected_project(call)
    with django_assert_max_num_queries(30) as many:
        body(client.get(URL))
    assert len(many.captured_queries) == len(one.captured_queries)
