"""The projects API's writes: project and tranche transitions through the services, and every refusal a
4xx with a Spanish message that changes nothing."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.roles import StaffRole
from nicp import confirm
from nicp.readonly import READ_ONLY_MESSAGE
from projects.models import Project, ProjectEvent, Tranche, TrancheEvent
from tests.api.projects_world import api_for, world_fixture  # noqa: F401  (the `world` fixture)
from tests.factories import UserFactory

BASE = "/api/v1/projects"


def moves(world, suffix=""):
    return f"{BASE}/{world.a.pk}/{suffix}transitions/"


def tranche_url(world, number=1, project=None):
    project = project or world.a
    return f"{BASE}/{project.pk}/tranches/{project.tranches.get(number=number).pk}/transitions/"


def snapshot(project):
    project.refresh_from_db()
    tranches = list(project.tranches.values_list("status", "version").order_by("number"))
    return (project.status, project.version, project.released_total, tranches, project.events.count(),
            TrancheEvent.objects.filter(tranche__project=project).count())


def message(response) -> str:
    return str(response.json())


# --- Project transitions -----------------------------------------------------------------------------

def test_the_coordination_suspends_and_resumes_with_a_note_and_the_version(world):
    api = api_for(world.coordinator)
    version = api.get(f"{BASE}/{world.a.pk}/").json()["version"]
    suspended = api.post(moves(world), {"action": "suspend", "note": "Obra detenida por lluvias.",
                                        "version": version}, format="json")
    assert suspended.status_code == 200, suspended.content
    assert suspended.json()["status"] == "suspended" and suspended.json()["version"] == version + 1
    assert suspended.json()["available_actions"] == ["resume", "cancel"]
    resumed = api.post(moves(world), {"action": "resume", "note": "Se reanuda.", "version": version + 1},
                       format="json")
    assert resumed.status_code == 200 and resumed.json()["status"] == "in_execution"
    events = api.get(f"{BASE}/{world.a.pk}/events/").json()
    assert [(e["action"], e["note"]) for e in events[-2:]] == [("suspend", "Obra detenida por lluvias."),
                                                               ("resume", "Se reanuda.")]


def test_project_refusals_are_4xx_in_spanish_and_write_nothing(world):
    api = api_for(world.coordinator)
    before = snapshot(world.a)
    version = world.a.version
    cases = [
        ({"action": "fly"}, 400, "action", "válid"),                                    # not an action
        ({}, 400, "action", "requerido"),                                               # no action at all
        ({"action": "suspend"}, 400, "note", "Escribe el motivo"),                      # note required
        ({"action": "suspend", "note": "   "}, 400, "note", "Escribe el motivo"),
        ({"action": "resume", "note": "x"}, 400, "detail", "no se puede «Reanudar»"),   # not from this state
        ({"action": "cancel", "note": "Sin recursos."}, 400, "confirm", str(confirm.NOT_CONFIRMED)),
        ({"action": "suspend", "note": "x", "version": "dos"}, 400, "version", "entero"),
    ]
    for body, status, field, words in cases:
        response = api.post(moves(world), body, format="json")
        assert response.status_code == status, (body, response.content)
        assert words in str(response.json()[field]), (body, response.json())
    stale = api.post(moves(world), {"action": "suspend", "note": "x", "version": version - 1}, format="json")
    assert stale.status_code == 409 and "Recarga" in stale.json()["detail"]
    assert snapshot(world.a) == before
    # The steps other services record (here the agreement's signature) are not applied bare.
    before = snapshot(world.b)
    bare = api.post(f"{BASE}/{world.b.pk}/transitions/", {"action": "sign_agreement"}, format="json")
    assert bare.status_code == 400 and "propio formulario" in message(bare)
    assert snapshot(world.b) == before


def test_cancelling_needs_the_explicit_confirmation(world):
    api = api_for(world.coordinator)
    cancelled = api.post(f"{BASE}/{world.b.pk}/transitions/", {"action": "cancel", "note": "Renunció el grupo.",
                                                                "confirm": True}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["available_actions"] == []


def test_only_an_unlinked_coordination_moves_a_project(world):
    body = {"action": "suspend", "note": "x"}
    before = snapshot(world.a)
    for role in ["admin", "supervision", "group", "finance"]:
        response = api_for(world.people[role]).post(moves(world), body, format="json")
        assert response.status_code == 403 and "Solo la coordinación" in response.json()["detail"], role
    # A coordinator who sits on the project's proposing group is recused.
    linked = UserFactory(roles=[StaffRole.COORDINATOR])
    world.a.group.memberships.create(user=linked)
    assert api_for(linked).post(moves(world), body, format="json").status_code == 403
    assert snapshot(world.a) == before


# --- Tranche transitions -----------------------------------------------------------------------------

def test_approve_then_release_by_two_people_moves_the_money(world):
    approved = api_for(world.coordinator).post(tranche_url(world), {"action": "approve"}, format="json")
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    today = timezone.localdate().isoformat()
    released = api_for(world.finance).post(tranche_url(world), {
        "action": "release", "transfer_reference": "SPEI 123456", "transfer_date": today,
        "version": approved.json()["version"]}, format="json")
    assert released.status_code == 200, released.content
    data = released.json()
    assert (data["status"], data["transfer_reference"], data["transfer_date"]) == ("released", "SPEI 123456", today)
    assert data["missing"] == []
    world.a.refresh_from_db()
    assert world.a.released_total == Decimal("700000.00")
    detail = api_for(world.admin).get(f"{BASE}/{world.a.pk}/").json()
    assert detail["released_total"] == "700000.00"
    actions = [e["action"] for e in api_for(world.admin).get(f"{BASE}/{world.a.pk}/events/").json()]
    assert actions[-3:] == ["tranche_request", "tranche_approve", "tranche_release"]


def test_the_coordination_withholds_with_a_reason_and_the_committee_asks_again(world):
    withheld = api_for(world.coordinator).post(tranche_url(world), {
        "action": "withhold", "note": "Falta la carta del banco."}, format="json")
    assert withheld.status_code == 200 and withheld.json()["status"] == "withheld"
    again = api_for(world.admin).post(tranche_url(world), {"action": "request"}, format="json")
    assert again.status_code == 200 and again.json()["status"] == "requested"
    notes = [e["note"] for e in api_for(world.admin).get(f"{BASE}/{world.a.pk}/events/").json()]
    assert any("Falta la carta del banco." in note for note in notes)


def test_a_tranche_asked_too_early_says_what_is_missing(world):
    before = snapshot(world.a)
    early = api_for(world.admin).post(tranche_url(world, 2), {"action": "request"}, format="json")
    assert early.status_code == 400
    assert "La ministración 1 aún no se entrega." in early.json()["detail"]
    assert any("Falta avance físico: se requiere 70" in text for text in early.json()["detail"]), early.json()
    assert snapshot(world.a) == before


def test_tranche_refusals_are_4xx_in_spanish_and_write_nothing(world):
    api_for(world.coordinator).post(tranche_url(world), {"action": "approve"}, format="json")
    before = snapshot(world.a)
    finance = api_for(world.finance)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    version = world.a.tranches.get(number=1).version
    cases = [
        ({"action": "fly"}, 400, "action", "válid"),
        ({"action": "release"}, 400, "transfer_reference", "referencia"),
        ({"action": "release", "transfer_reference": "R"}, 400, "transfer_date", "fecha de la transferencia"),
        ({"action": "release", "transfer_reference": "R", "transfer_date": tomorrow}, 400, "transfer_date",
         "hoy o antes"),
        ({"action": "release", "transfer_reference": "R", "transfer_date": "2030-02-30"}, 400, "transfer_date",
         "fecha"),
        ({"action": "release", "transfer_reference": "R", "transfer_date": "1900-01-01"}, 400, "transfer_date",
         "fecha"),
        ({"action": "release", "transfer_reference": "R" * 61, "transfer_date": tomorrow}, 400,
         "transfer_reference", "60"),
        ({"action": "withhold"}, 400, "note", "Escribe el motivo"),
        ({"action": "request"}, 400, "detail", "no se puede «Solicitar»"),
    ]
    for body, status, field, words in cases:
        response = finance.post(tranche_url(world), body, format="json")
        assert response.status_code == status, (body, response.content)
        assert words in str(response.json()[field]), (body, response.json())
    stale = finance.post(tranche_url(world), {"action": "release", "transfer_reference": "R",
                                              "transfer_date": timezone.localdate().isoformat(),
                                              "version": version - 1}, format="json")
    assert stale.status_code == 409 and "Recarga" in stale.json()["detail"]
    assert snapshot(world.a) == before


def test_the_person_who_approved_never_releases(world):
    both = UserFactory(roles=[StaffRole.COORDINATOR, StaffRole.FINANCE_OFFICER])
    api = api_for(both)
    assert api.post(tranche_url(world), {"action": "approve"}, format="json").status_code == 200
    before = snapshot(world.a)
    response = api.post(tranche_url(world), {"action": "release", "transfer_reference": "R",
                                             "transfer_date": timezone.localdate().isoformat()}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Quien aprobó la ministración no puede también entregarla."]
    assert snapshot(world.a) == before
    # The coordinator alone may not release at all.
    assert api_for(world.coordinator).post(tranche_url(world), {
        "action": "release", "transfer_reference": "R",
        "transfer_date": timezone.localdate().isoformat()}, format="json").status_code == 403


def test_who_may_not_move_tranches_gets_403_before_the_body_is_read(world):
    before = snapshot(world.a)
    for role in ["supervision", "group"]:
        for body in [{}, {"action": "request"}]:
            response = api_for(world.people[role]).post(tranche_url(world), body, format="json")
            assert response.status_code == 403 and "Solo el comité de Administración" in response.json()["detail"], \
                (role, body)
    for role in ["admin", "finance"]:  # the committee asks and finance pays; neither approves
        refused = api_for(world.people[role]).post(tranche_url(world), {"action": "approve"}, format="json")
        assert refused.status_code == 403 and "no puede «Aprobar»" in refused.json()["detail"], role
    assert snapshot(world.a) == before


def test_a_tranche_of_another_project_is_not_found_under_this_one(world):
    url = f"{BASE}/{world.a.pk}/tranches/{world.b.tranches.get(number=1).pk}/transitions/"
    response = api_for(world.coordinator).post(url, {"action": "approve"}, format="json")
    assert response.status_code == 404
    assert api_for(world.coordinator).post(f"{BASE}/{world.a.pk}/tranches/99999999/transitions/",
                                           {"action": "approve"}, format="json").status_code == 404


def test_the_auditor_reads_everything_and_writes_nothing(world):
    auditor = api_for(world.auditor)
    for project in [world.a, world.b]:
        for suffix in ["", "events/", "committees/", "tranches/"]:
            assert auditor.get(f"{BASE}/{project.pk}/{suffix}").status_code == 200
    before = snapshot(world.a)
    for url, body in [(moves(world), {"action": "suspend", "note": "x"}),
                      (tranche_url(world), {"action": "approve"}),
                      (tranche_url(world), {"action": "withhold", "note": "x"})]:
        response = auditor.post(url, body, format="json")
        assert response.status_code == 403 and response.json()["detail"] == str(READ_ONLY_MESSAGE)
    for method in ["put", "patch", "delete"]:
        assert getattr(auditor, method)(f"{BASE}/{world.a.pk}/", {}, format="json").status_code == 403
    assert snapshot(world.a) == before


def test_the_list_and_detail_take_no_writes(world):
    api = api_for(world.coordinator)
    for method in ["put", "patch", "delete"]:
        assert getattr(api, method)(f"{BASE}/{world.a.pk}/", {"title": "Otro"}, format="json").status_code == 405
    assert api.post(f"{BASE}/", {"title": "Otro"}, format="json").status_code == 405
    assert Project.objects.count() == 2 and ProjectEvent.objects.filter(action="create").count() == 2
    assert Tranche.objects.filter(project=world.a).count() == 2
