"""The funded projects the projects API tests read and write, built through the real services.

Project A is in execution (committees elected and accepted, account verified, agreement signed by all)
with its first tranche requested; project B has its committees elected, its agreement still pending."""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from accounts.roles import StaffRole
from projects import services
from projects.models import CommitteeKind, Project
from tests.factories import UserFactory
from tests.projects.conftest import two_tranche_call
from tests.projects.helpers import elect, seat_user, selected_project, staff_people, start_execution


@dataclass
class World:
    a: Project
    b: Project
    people: dict

    def __getattr__(self, name):
        try:
            return self.people[name]
        except KeyError:
            raise AttributeError(name) from None


def build_world(year=2032) -> World:
    people = staff_people()
    call = two_tranche_call(year=year)
    representative = UserFactory(full_name="Representante del grupo")
    a = selected_project(call, representative=representative)
    elect(a, people["coordinator"])
    start_execution(a, people["coordinator"], people["finance"])
    services.tranche_transition(actor=seat_user(a), tranche_id=a.tranches.get(number=1).pk, action="request")
    b = selected_project(call)
    elect(b, people["coordinator"])
    people.update(admin=seat_user(a), supervision=seat_user(a, CommitteeKind.SUPERVISION), group=representative,
                  other=seat_user(b), reviewer=UserFactory(roles=[StaffRole.TECHNICAL_REVIEWER]))
    a.refresh_from_db()
    b.refresh_from_db()
    return World(a=a, b=b, people=people)


@pytest.fixture(name="world")
def world_fixture(db):
    return build_world()


def api_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
