from decimal import Decimal

import pytest

from proposals.models import TranchePlanItem
from tests.factories import make_open_call
from tests.projects.helpers import selected_project, staff_people


@pytest.fixture
def people(db):
    return staff_people()


def two_tranche_call(year=2029, **overrides):
    """The programme's usual plan: 70 % at the start; 30 % at 70 % progress with the first fully proved."""
    call = make_open_call(year=year, **overrides)
    call.tranche_plan.all().delete()
    TranchePlanItem.objects.bulk_create([
        TranchePlanItem(call=call, number=1, share_percent=Decimal("70"), progress_required_percent=0),
        TranchePlanItem(call=call, number=2, share_percent=Decimal("30"), progress_required_percent=70,
                        previous_spending_verified=True, previous_proved_percent=100,
                        documents_required="Informe de avance\nComprobantes de la primera ministración"),
    ])
    return call


@pytest.fixture
def project_call(db):
    return two_tranche_call()


@pytest.fixture
def project(project_call):
    return selected_project(project_call)
