"""The OC4IDS package validates against the standard's schema (0 errors) for projects in every state and
for the demo data; it maps our states to the codelist, names projects with the configured prefix, lists
one transaction per released tranche, publishes only published documents and never a person's data; and it
reads a fixed number of queries per batch of projects."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from projects.models import Agreement, Project, Tranche
from projects.public import records
from projects.public.querysets import public_projects
from projects.workflow import ProjectState, TrancheState
from reports.opendata import oc4ids
from reports.opendata.datasets import dataset
from tests.opendata.every_state import SECRETS, projects_in_every_state

pytestmark = pytest.mark.django_db

SCHEMAS = Path(settings.BASE_DIR).parent / "shared" / "data" / "oc4ids"


@pytest.fixture(scope="module")
def validator():
    if not (SCHEMAS / "project-package-schema.json").exists():
        pytest.skip("The OC4IDS schema is not here: put project-schema.json and project-package-schema.json "
                    "(OC4IDS 0.9) in shared/data/oc4ids/ beside the project to run these tests.")
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    package = json.loads((SCHEMAS / "project-package-schema.json").read_text())
    project = json.loads((SCHEMAS / "project-schema.json").read_text())
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)) for schema in (package, project))
    return Draft4Validator(package, registry=registry)


def package(queryset=None) -> tuple[str, dict]:
    text = "".join(oc4ids.write(queryset if queryset is not None else public_projects()))
    return text, json.loads(text)


def errors(validator, data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


@pytest.fixture
def world(db):
    return projects_in_every_state()


def by_id(data) -> dict:
    return {p["id"]: p for p in data["projects"]}


def test_projects_in_every_state_validate_with_no_errors(world, validator):
    text, data = package()
    assert errors(validator, data) == []
    assert len(data["projects"]) == 8
    assert {p["status"] for p in data["projects"]} == {"preparation", "implementation", "completion", "cancelled"}
    assert data["version"] == "0.9" and data["uri"].endswith("/datos/oc4ids.json")


def test_each_state_maps_to_the_codelist_and_ids_carry_the_prefix(world, settings):
    settings.OC4IDS_PREFIX = "oc4ids-prueba-"
    projects = by_id(package()[1])
    expected = {ProjectState.COMMITTEES_PENDING: "preparation", ProjectState.AGREEMENT_PENDING: "preparation",
                ProjectState.IN_EXECUTION: "implementation", ProjectState.SUSPENDED: "implementation",
                ProjectState.WORKS_COMPLETED: "completion", ProjectState.ACCOUNTABILITY: "completion",
                ProjectState.CLOSED: "completion", ProjectState.CANCELLED: "cancelled"}
    for state, status in expected.items():
        project = world[state]
        assert project.status == state
        assert projects[f"oc4ids-prueba-{project.code}"]["status"] == status


def test_transactions_are_the_released_tranches_paid_to_the_administration_committee(world):
    projects = by_id(package()[1])
    for state in (ProjectState.IN_EXECUTION, ProjectState.CLOSED, ProjectState.AGREEMENT_PENDING):
        project = world[state]
        released = list(Tranche.objects.filter(project=project, status=TrancheState.RELEASED).order_by("number"))
        shown = projects[oc4ids.ocid(project.code)].get("transactions", [])
        assert [(t["id"], t["value"]["amount"]) for t in shown] == [
            (f"{project.code}-ministracion-{t.number}", float(t.amount)) for t in released]
        for transaction in shown:
            assert transaction["payee"]["name"] == f"Comité de Administración del proyecto {project.code}"
            assert transaction["payer"]["name"] == oc4ids.PUBLISHER_NAME
    assert "transactions" not in projects[oc4ids.ocid(world[ProjectState.AGREEMENT_PENDING].code)]


def test_metrics_follow_the_public_progress_series(world):
    project = world[ProjectState.IN_EXECUTION]
    shown = by_id(package()[1])[oc4ids.ocid(project.code)]
    series = records.progress_series(project)
    metrics = {m["id"]: [o["measure"] for o in m["observations"]] for m in shown["metrics"]}
    assert metrics["physicalProgress"] == [float(p["physical"]) for p in series if p["physical"] is not None]
    assert metrics["financialProgress"] == [float(p["financial"]) for p in series if p["financial"] is not None]
    assert metrics["physicalProgress"] == [40.0]
    assert shown["budget"]["amount"] == {"amount": float(project.approved_amount), "currency": "MXN"}


def test_a_project_without_reports_has_no_metrics_rather_than_zero(world):
    shown = by_id(package()[1])[oc4ids.ocid(world[ProjectState.COMMITTEES_PENDING].code)]
    assert "metrics" not in shown and "transactions" not in shown


def test_only_published_documents_are_listed_with_their_public_address(world):
    project = world[ProjectState.IN_EXECUTION]
    assert "documents" not in by_id(package()[1])[oc4ids.ocid(project.code)]
    Agreement.objects.filter(project=project).update(is_public=True)
    documents = by_id(package()[1])[oc4ids.ocid(project.code)]["documents"]
    assert [(d["documentType"], d["url"]) for d in documents] == [
        ("contractSigned", f"{settings.NICP_SITE_URL}/proyectos/{project.code}/documentos/agreement/")]


def test_a_closed_project_has_its_completion_and_milestones(world):
    project = world[ProjectState.CLOSED]
    shown = by_id(package()[1])[oc4ids.ocid(project.code)]
    assert shown["completion"]["finalValue"] == {"amount": float(project.verified_total), "currency": "MXN"}
    assert "endDate" in shown["completion"]
    assert [m["code"] for m in shown["milestones"]][-1] == "close"
    assert all(m["status"] == "met" for m in shown["milestones"])
    assert "completion" not in by_id(package()[1])[oc4ids.ocid(world[ProjectState.ACCOUNTABILITY].code)]


def test_no_personal_data_reaches_the_package(world):
    text, data = package()
    for secret in SECRETS:
        assert secret not in text
    for seat in world[ProjectState.CLOSED].seats.all():  # committee members are people too
        assert seat.full_name not in text
        if seat.user_id:
            assert seat.user.email not in text
    parties = {party["name"] for project in data["projects"] for party in project["parties"]}
    assert all(name == oc4ids.PUBLISHER_NAME or name.startswith("Comité de Administración del proyecto ")
               for name in parties)


def test_filters_and_order_of_the_queryset_are_kept(world):
    closed = world[ProjectState.CLOSED]
    _, data = package(public_projects().filter(pk=closed.pk))
    assert [p["id"] for p in data["projects"]] == [oc4ids.ocid(closed.code)]
    _, data = package(public_projects().order_by("-id"))
    codes = list(Project.objects.order_by("-id").values_list("code", flat=True))
    assert [p["id"] for p in data["projects"]] == [oc4ids.ocid(code) for code in codes]


def test_the_queries_per_batch_do_not_grow_with_the_projects(world, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr(oc4ids, "BATCH", 500)
    with django_assert_max_num_queries(16) as one:
        package(public_projects().filter(pk=world[ProjectState.COMMITTEES_PENDING].pk))
    with django_assert_max_num_queries(16) as many:
        package()
    assert len(many.captured_queries) == len(one.captured_queries)
    monkeypatch.setattr(oc4ids, "BATCH", 3)  # 8 projects: 3 batches, each the same queries again
    with django_assert_max_num_queries(40) as batched:
        package()
    per_batch = len(one.captured_queries) - 5  # header (4 aggregates) + the ids, the rest is one batch
    assert len(batched.captured_queries) == 5 + 3 * per_batch


def test_the_dataset_is_registered_as_json_and_filterable():
    registered = dataset("oc4ids.json")
    assert registered is not None and registered.content_type == "application/json" and registered.filterable


def test_the_demo_data_validates_with_no_errors(validator, settings):
    settings.NICP_STAFF_MFA_REQUIRED = False
    call_command("seed_demo", stdout=StringIO())
    _, data = package()
    assert data["projects"], "the demo has funded projects"
    assert errors(validator, data) == []
