import pytest

from committees import services as committee_services
from tests.factories import UserFactory


@pytest.fixture
def committee(call, coordinator):
    """A Committee of three for the module's call (each module says which call and coordinator)."""
    committee = committee_services.committee_set(actor=coordinator, call=call,
                                                 secretary=UserFactory(full_name="Patricia Secretaría"))
    for i in range(3):
        committee_services.member_add(actor=coordinator, committee=committee, email=f"comite{i}@ejemplo.mx",
                                      full_name=f"Integrante {i}", sector="academia", institution="UNAM")
    return committee
