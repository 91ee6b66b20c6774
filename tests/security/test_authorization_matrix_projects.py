"""Every funded-project URL × role × method. The rows live beside this file, one module per area
(project_matrix_*.py); tests/security/test_authorization_matrix.py's meta-test counts them as covered.

The world: project A in execution (elected, account verified, agreement signed, first tranche requested),
project B elected, project P with its committees still to elect and an election scheduled."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import StaffRole
from projects import services
from projects.models import CommitteeKind
from tests.factories import UserFactory
from tests.projects.conftest import two_tranche_call
from tests.projects.helpers import elect, seat_user, selected_project, start_execution
from tests.security import (
    project_matrix_api,
    project_matrix_api_execution,
    project_matrix_closure,
    project_matrix_execution,
    project_matrix_expenses,
    project_matrix_money,
    project_matrix_pages,
    project_matrix_public,
    project_matrix_publication,
    project_matrix_rules,
)
from tests.security.project_roles import (
    ADMIN,
    ANON,
    AUDITOR,
    COORDINATOR,
    CTM,
    FINANCE,
    GROUP,
    OTHER,
    REVIEWER,
    SECRETARY,
    SUPERVISION,
)
from tests.security.test_authorization_matrix import wrong_answers

MATRIX = [*project_matrix_pages.ROWS, *project_matrix_money.ROWS, *project_matrix_api.ROWS,
          *project_matrix_rules.ROWS, *project_matrix_execution.ROWS, *project_matrix_closure.ROWS,
          *project_matrix_api_execution.ROWS, *project_matrix_expenses.ROWS,
          *project_matrix_public.ROWS, *project_matrix_publication.ROWS]

# The auditor reads everything and changes nothing: every unsafe request of theirs is refused with 403.
MATRIX = [(name, key, method, {**expected, AUDITOR: 403}) if method != "get" else (name, key, method, expected)
          for name, key, method, expected in MATRIX]


def project_url_names() -> set[str]:
    return {name for name, *_ in MATRIX}


@pytest.fixture
def project_world(db):
    call = two_tranche_call(year=2031)
    coordinator = UserFactory(roles=[StaffRole.COORDINATOR], email="coord@ejemplo.mx")
    finance = UserFactory(roles=[StaffRole.FINANCE_OFFICER], email="finanzas@ejemplo.mx")
    representative = UserFactory(email="representante@ejemplo.mx")
    project = selected_project(call, representative=representative)
    elect(project, coordinator)
    start_execution(project, coordinator, finance)
    tranche = project.tranches.get(number=1)
    services.tranche_transition(actor=seat_user(project), tranche_id=tranche.pk, action="request")
    other = selected_project(call)
    elect(other, coordinator)
    pending = selected_project(call)
    election = services.election_schedule(actor=coordinator, project_id=pending.pk,
                                          scheduled_at=timezone.now(), place="Plaza")
    users = {
        ANON: None, ADMIN: seat_user(project), SUPERVISION: seat_user(project, CommitteeKind.SUPERVISION),
        GROUP: representative, OTHER: seat_user(other), COORDINATOR: coordinator, FINANCE: finance,
        AUDITOR: UserFactory(roles=[StaffRole.AUDITOR]),
        REVIEWER: UserFactory(roles=[StaffRole.TECHNICAL_REVIEWER]),
        CTM: UserFactory(roles=[StaffRole.COMMITTEE_MEMBER]),
        SECRETARY: UserFactory(roles=[StaffRole.COMMITTEE_SECRETARY]),
    }
    seat = project.seats.get(user=users[ADMIN])
    # The pages' records go through the services first (one open progress report at a time); the API's
    # are written straight after them.
    execution = project_matrix_execution.world_kwargs(project, users)
    kwargs = {
        None: {},
        "project": {"pk": project.pk},
        "pending": {"pk": pending.pk},
        "election": {"pk": pending.pk, "election_pk": election.pk},
        "minutes": {"pk": project.pk, "election_pk": project.elections.get().pk},  # held, with its minutes
        "seat": {"pk": project.pk, "seat_pk": seat.pk},
        "token": {"token": seat.token},
        "tranche": {"pk": project.pk, "tranche_pk": tranche.pk},
        "account": {"pk": project.pk, "account_pk": project.bank_accounts.first().pk},
        "call_pk": {"call_pk": call.pk},
        "handover": {"pk": project.pk, "which": "generada"},
        **project_matrix_api_execution.world_kwargs(project, users),
        "expense": (expense := project_matrix_expenses.world_expense(project)),
        "expense_xml": {**expense, "which": "xml"},
    }
    kwargs.update(execution)
    kwargs.update(project_matrix_public.world_kwargs(project, users))
    kwargs.update(project_matrix_publication.world_kwargs(project, users))
    return users, kwargs


@pytest.mark.parametrize(("name", "kwargs_key", "method", "expected"), MATRIX,
                         ids=[f"{name}-{method}-{key or ''}" for name, key, method, _ in MATRIX])
def test_project_matrix(client, project_world, name, kwargs_key, method, expected):
    users, kwargs = project_world
    wrong = wrong_answers(client, users, reverse(name, kwargs=kwargs[kwargs_key]), method, expected)
    assert not wrong, wrong
