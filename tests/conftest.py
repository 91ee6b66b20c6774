import os
from pathlib import Path

import pytest
from django.conf import settings

from accounts.roles import StaffRole
from tests.factories import CommunityGroupFactory, NeighbourhoodFactory, UserFactory

SHARED_DATA = Path(os.environ.get("NICP_SHARED_DIR", Path(settings.BASE_DIR).parent / "shared")) / "data"
CATALOGUE = SHARED_DATA / "colonias_cdmx_iecm.csv"


@pytest.fixture(autouse=True)
def _no_staff_mfa_by_default(settings):
    # Most tests are about something else; tests of the MFA requirement switch it back on.
    settings.NICP_STAFF_MFA_REQUIRED = False


@pytest.fixture
def neighbourhood(db):
    return NeighbourhoodFactory()


@pytest.fixture
def applicant(db):
    return UserFactory(email="solicitante@ejemplo.mx")


@pytest.fixture
def other_applicant(db):
    return UserFactory(email="otra@ejemplo.mx")


@pytest.fixture
def group(applicant, neighbourhood):
    return CommunityGroupFactory(neighbourhood=neighbourhood, representative=applicant)


@pytest.fixture
def other_group(other_applicant, neighbourhood):
    return CommunityGroupFactory(neighbourhood=neighbourhood, representative=other_applicant)


@pytest.fixture
def staff(db):
    """One user per staff role, keyed by role code."""
    return {role: UserFactory(email=f"{role}@ejemplo.mx", roles=[role]) for role in StaffRole.values}


@pytest.fixture(autouse=True)
def _fresh_cache():
    # API throttling counts live in the cache; each test starts with none.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _boroughs_from_their_migration(request):
    """The 16 boroughs come from a data migration, which a transactional test's flush (the browser tests')
    empties. In two processes (pytest-xdist) any test may run after one, so every test that uses the database
    starts with them, as a fresh database has them."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in names or "live_server" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    import importlib

    from neighbourhoods.models import Borough

    if not Borough.objects.exists():
        rows = importlib.import_module("neighbourhoods.migrations.0002_boroughs").BOROUGHS
        Borough.objects.bulk_create([Borough(inegi_code=code, iecm_number=iecm, name=name, official_name=official)
                                     for code, iecm, name, official in rows])
