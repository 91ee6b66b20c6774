"""Every (state, action) pair of the project and tranche tables is either in the table and applied, or
refused without writing anything."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from nicp.errors import StaleVersion, TransitionNotAllowed
from projects import services
from projects.models import Project, ProjectEvent, Tranche, TrancheEvent
from projects.services.projects import CLOSING_STEPS
from projects.workflow import (
    PROJECT_SYSTEM_ACTIONS,
    PROJECT_TRANSITIONS,
    TRANCHE_TRANSITIONS,
    ProjectAction,
    ProjectState,
    TrancheAction,
    TrancheState,
)
from tests.factories import UserFactory
from tests.projects.helpers import elect, seat_user, start_execution

PROJECT_PAIRS = list(itertools.product(ProjectState.values, ProjectAction.values))
TRANCHE_PAIRS = list(itertools.product(TrancheState.values, TrancheAction.values))


@pytest.mark.parametrize(("state", "action"), PROJECT_PAIRS)
def test_every_project_pair_is_applied_or_refused(project, people, state, action):
    Project.objects.filter(pk=project.pk).update(status=state)
    events = ProjectEvent.objects.count()
    target = PROJECT_TRANSITIONS.get((state, action))
    if target is None or action in PROJECT_SYSTEM_ACTIONS:
        with pytest.raises(TransitionNotAllowed):
            services.project_transition(actor=people["coordinator"], project_id=project.pk, action=action,
                                        note="Motivo")
        project.refresh_from_db()
        assert project.status == state and ProjectEvent.objects.count() == events
        return
    if action in CLOSING_STEPS:
        # In the table, but guarded by the closing checklist: refused saying what is missing, nothing written
        # (tests/projects/test_execution_services.py closes a project item by item).
        with pytest.raises(ValidationError) as missing:
            services.project_transition(actor=people["coordinator"], project_id=project.pk, action=action,
                                        note="Motivo", version=project.version)
        assert "100 %" in " ".join(missing.value.messages)
        assert Project.objects.get(pk=project.pk).status == state and ProjectEvent.objects.count() == events
        return
    done = services.project_transition(actor=people["coordinator"], project_id=project.pk, action=action,
                                       note="Motivo", version=project.version)
    assert done.status == target and done.version == project.version + 1
    event = ProjectEvent.objects.latest("id")
    assert (event.action, event.from_state, event.to_state, event.note) == (action, state, target, "Motivo")


@pytest.mark.parametrize("action", sorted(PROJECT_SYSTEM_ACTIONS))
def test_system_steps_are_applied_by_their_own_service_only(project, action):
    source = next(s for (s, a) in PROJECT_TRANSITIONS if a == action)
    Project.objects.filter(pk=project.pk).update(status=source)
    done = services.project_transition(actor=None, project_id=project.pk, action=action, system=True)
    assert done.status == PROJECT_TRANSITIONS[(source, action)]


def test_project_actions_need_the_coordination_and_a_note(project, people):
    Project.objects.filter(pk=project.pk).update(status=ProjectState.IN_EXECUTION)
    for actor in (people["finance"], project.group.memberships.first().user):
        with pytest.raises(PermissionDenied):
            services.project_transition(actor=actor, project_id=project.pk, action="suspend", note="x")
    with pytest.raises(Http404):  # someone who does not see the project: as if it did not exist
        services.project_transition(actor=UserFactory(), project_id=project.pk, action="suspend", note="x")
    with pytest.raises(ValidationError) as error:
        services.project_transition(actor=people["coordinator"], project_id=project.pk, action="suspend", note=" ")
    assert "note" in error.value.message_dict
    with pytest.raises(StaleVersion):
        services.project_transition(actor=people["coordinator"], project_id=project.pk, action="suspend",
                                    note="Obra detenida", version=project.version + 5)
    assert Project.objects.get(pk=project.pk).status == ProjectState.IN_EXECUTION


@pytest.fixture
def running(project, people):
    """A project in execution whose first tranche can move on every step."""
    elect(project, people["coordinator"])
    return start_execution(project, people["coordinator"], people["finance"])


def _actor(action, project, people):
    return {TrancheAction.REQUEST: seat_user(project), TrancheAction.APPROVE: people["coordinator"],
            TrancheAction.RELEASE: people["finance"], TrancheAction.WITHHOLD: people["coordinator"]}[action]


@pytest.mark.parametrize(("state", "action"), TRANCHE_PAIRS)
def test_every_tranche_pair_is_applied_or_refused(running, people, state, action):
    tranche = running.tranches.get(number=1)
    Tranche.objects.filter(pk=tranche.pk).update(status=state, approved_by=people["coordinator2"])
    events = TrancheEvent.objects.count()
    target = TRANCHE_TRANSITIONS.get((state, action))
    kwargs = {"note": "Falta un documento", "transfer_reference": "SPEI 1", "transfer_date": timezone.localdate()}
    if target is None:
        with pytest.raises(TransitionNotAllowed):
            services.tranche_transition(actor=_actor(action, running, people), tranche_id=tranche.pk,
                                        action=action, **kwargs)
        assert Tranche.objects.get(pk=tranche.pk).status == state and TrancheEvent.objects.count() == events
        return
    done = services.tranche_transition(actor=_actor(action, running, people), tranche_id=tranche.pk,
                                       action=action, version=tranche.version, **kwargs)
    assert done.status == target
    event = TrancheEvent.objects.latest("id")
    assert (event.action, event.from_state, event.to_state) == (action, state, target)
    running.refresh_from_db()
    assert running.released_total == (tranche.amount if target == TrancheState.RELEASED else 0)


def test_who_may_move_a_tranche(running, people):
    tranche = running.tranches.get(number=1)
    supervision = running.seats.get(committee="supervision", position="president").user
    for actor in (supervision, people["coordinator"], people["finance"]):
        with pytest.raises(PermissionDenied):
            services.tranche_transition(actor=actor, tranche_id=tranche.pk, action="request")
    services.tranche_transition(actor=seat_user(running), tranche_id=tranche.pk, action="request")
    with pytest.raises(PermissionDenied):
        services.tranche_transition(actor=people["finance"], tranche_id=tranche.pk, action="approve")
    services.tranche_transition(actor=people["coordinator"], tranche_id=tranche.pk, action="approve")
    with pytest.raises(PermissionDenied):
        services.tranche_transition(actor=people["coordinator2"], tranche_id=tranche.pk, action="release",
                                    transfer_reference="R", transfer_date=timezone.localdate())
    with pytest.raises(StaleVersion):
        services.tranche_transition(actor=people["finance"], tranche_id=tranche.pk, action="release", version=1,
                                    transfer_reference="R", transfer_date=timezone.localdate())
    with pytest.raises(ValidationError) as error:
        services.tranche_transition(actor=people["finance"], tranche_id=tranche.pk, action="release",
                                    transfer_reference=" ", transfer_date=None)
    assert {"transfer_reference", "transfer_date"} <= set(error.value.message_dict)
    assert Tranche.objects.get(pk=tranche.pk).status == TrancheState.APPROVED


def test_the_one_who_approved_never_releases(running, people):
    both = people["coordinator"]
    both.groups.add(*people["finance"].groups.all())
    both._nicp_roles = None
    both = type(both).objects.get(pk=both.pk)
    tranche = running.tranches.get(number=1)
    services.tranche_transition(actor=seat_user(running), tranche_id=tranche.pk, action="request")
    services.tranche_transition(actor=both, tranche_id=tranche.pk, action="approve")
    with pytest.raises(ValidationError) as error:
        services.tranche_transition(actor=both, tranche_id=tranche.pk, action="release", transfer_reference="R",
                                    transfer_date=timezone.localdate())
    assert "no puede también entregarla" in " ".join(error.value.messages)
    services.tranche_transition(actor=people["finance"], tranche_id=tranche.pk, action="release",
                                transfer_reference="R", transfer_date=timezone.localdate())


def test_guards_say_what_is_missing(project, people):
    elect(project, people["coordinator"])
    Project.objects.filter(pk=project.pk).update(status=ProjectState.IN_EXECUTION)
    tranche = project.tranches.get(number=1)
    with pytest.raises(ValidationError) as error:
        services.tranche_transition(actor=seat_user(project), tranche_id=tranche.pk, action="request")
    text = " ".join(error.value.messages)
    assert "convenio firmado" in text and "cuenta bancaria verificada" in text
