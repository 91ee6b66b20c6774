"""/datos/ and /datos/diccionario/: public pages that list every file, the newest nightly copy when there is
one, the licence and the API, and describe every column; docs/open-data.md carries the same dictionary."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from projects.workflow import ProjectState
from reports.models import Report, ReportStatus
from reports.opendata import dictionary
from reports.opendata.datasets import all_datasets
from tests.factories import UserFactory

DOC = Path(settings.BASE_DIR) / "docs" / "open-data.md"


def snapshot(filename, *, status=ReportStatus.DONE, content=b"clave,titulo\r\n", rows=1, expired=False):
    report = Report.objects.create(
        kind="open_data", params={"dataset": filename}, params_key=f"dataset={filename}", title=filename,
        requested_by=UserFactory(), status=status, rows=rows, finished_at=timezone.now(),
        expired_at=timezone.now() if expired else None)
    report.file.save(filename, ContentFile(content))
    return report


@pytest.mark.django_db
def test_the_index_lists_every_file_with_its_link_and_the_way_to_filter(client):
    page = client.get(reverse("opendata:index"))
    assert page.status_code == 200
    body = page.content.decode()
    for item in all_datasets().values():
        assert reverse("opendata:download", args=[item.filename]) in body
        assert str(item.label) in body
        assert f"#{item.dictionary}" in body
    assert "CC BY 4.0" in body and dictionary.LICENCE_URL in body
    assert reverse("api:public-projects") in body and reverse("api_docs") in body
    assert reverse("public:project_list") in body
    assert "proyectos.csv, proyectos.geojson" in body, "says which files take the listing's filters"
    assert "Aún no hay copia nocturna" in body


@pytest.mark.django_db
def test_the_index_shows_the_newest_nightly_copy_and_ignores_the_rest(client):
    old = snapshot("gastos.csv", content=b"x" * 10, rows=7)
    Report.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=1))
    snapshot("gastos.csv", content=b"y" * 2048, rows=1234)
    snapshot("proyectos.csv", status=ReportStatus.FAILED)
    snapshot("ministraciones.csv", expired=True)
    body = client.get(reverse("opendata:index")).content.decode()
    assert "2.0\xa0KB" in body and "1234 renglones" in body
    assert "7 renglones" not in body
    assert body.count("Aún no hay copia nocturna") == len(all_datasets()) - 1


@pytest.mark.django_db
def test_a_snapshot_whose_file_is_gone_still_gives_its_date(client):
    report = snapshot("gastos.csv", rows=3)
    report.file.storage.delete(report.file.name)
    page = client.get(reverse("opendata:index"))
    assert page.status_code == 200
    assert "3 renglones" in page.content.decode()


@pytest.mark.django_db
def test_the_index_query_count_does_not_grow_with_snapshots(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as none:
        client.get(reverse("opendata:index"))
    for _ in range(3):
        for filename in all_datasets():
            snapshot(filename)
    with django_assert_max_num_queries(len(none.captured_queries)):
        client.get(reverse("opendata:index"))


@pytest.mark.django_db
def test_the_dictionary_describes_every_column_and_the_oc4ids_states(client):
    page = client.get(reverse("opendata:dictionary"))
    assert page.status_code == 200
    body = page.content.decode()
    for section in dictionary.SECTIONS:
        assert f'id="{section.anchor}"' in body
        for column in section.columns:
            assert f"<code>{column.name}</code>" in body
    assert "<code>in_execution</code> (En ejecución)" in body, "a code column lists its values"
    for state in ProjectState:
        assert f"<code>{state.value}</code></td>" in body
    assert 'id="oc4ids"' in body
    expense_states = [c for c in dictionary.section("gastos.csv").columns if c.name == "estado"][0]
    assert "rejected" not in dict(expense_states.codes), "rejected expenses are never in the file"


def test_every_project_state_has_its_oc4ids_status():
    assert set(dictionary.OC4IDS_STATUS) == set(ProjectState)
    assert dictionary.OC4IDS_STATUS[ProjectState.SUSPENDED] == "implementation"
    assert dictionary.OC4IDS_STATUS[ProjectState.ACCOUNTABILITY] == "completion"
    assert dictionary.OC4IDS_STATUS[ProjectState.CANCELLED] == "cancelled"
    assert set(dictionary.OC4IDS_STATUS.values()) <= {"preparation", "implementation", "completion", "cancelled"}


def test_the_markdown_documentation_carries_the_same_dictionary():
    assert dictionary.markdown() in DOC.read_text(encoding="utf-8"), (
        "docs/open-data.md is out of date: paste reports.opendata.dictionary.markdown() into it")
