import pytest

from proposals import services
from tests.factories import make_open_call


@pytest.fixture
def call(db):
    return make_open_call()


@pytest.fixture
def draft(call, group, applicant):
    return services.proposal_create(actor=applicant, call=call, group=group, title="Parque La Ermita")
