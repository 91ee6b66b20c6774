"""seed_scale's runs: a second run writes nothing, the demo and the generated data share a database without
touching each other, --reset removes exactly what was generated, and the refusals. Tiny sizes."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from nicp.scale.seed import scale_data, scale_reset, seed_scale
from nicp.scale.seed_tag import SCALE_TITLE, scale_calls
from projects.models import Agreement, BankAccount, Project, Tranche
from projects.workflow import TrancheState
from proposals.models import BudgetLine, Proposal, ProposalEvent
from tests.factories import NeighbourhoodFactory, UserFactory, make_open_call

pytestmark = pytest.mark.django_db

TINY = {"proposals": 150, "projects": 20, "expenses": 100}


@pytest.fixture
def units(db):
    return NeighbourhoodFactory.create_batch(6)


def every_count() -> dict[str, int]:
    """Rows per table of every project app, to compare before and after."""
    labels = {"accounts", "neighbourhoods", "notifications", "proposals", "committees", "projects", "reports"}
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model._meta.app_label in labels}


def test_a_second_run_writes_nothing_and_another_size_asks_for_reset(units):
    seed_scale(**TINY)
    before = every_count()
    out = StringIO()
    again = seed_scale(**TINY, stdout=out)
    assert not again.created and "already there" in out.getvalue()
    assert every_count() == before
    with pytest.raises(CommandError, match="--reset"):
        seed_scale(**{**TINY, "projects": 21})
    assert every_count() == before
    smaller = seed_scale(proposals=100, projects=10, expenses=50)  # a smaller run uses what is there
    assert not smaller.created and smaller.counts["projects"] == TINY["projects"]
    assert every_count() == before


def test_seed_demo_and_seed_scale_share_a_database_without_touching_each_other(db):
    call_command("seed_demo", stdout=StringIO())
    demo = every_count()
    data = seed_scale(**TINY)
    scaled = every_count()
    call_command("seed_demo", stdout=StringIO())  # the demo finds its own data, not the generated
    # Its reminder sweep is the programme's own: it may remind the generated people of the generated
    # deadlines, and only them. Nothing else changed.
    after = every_count()
    for label in ("notifications.Notice", "notifications.ReminderLog"):
        model = apps.get_model(label)
        assert not model.objects.exclude(recipient__email__endswith="@scale.nicp.mx").count() - demo[label]
        after.pop(label), scaled.pop(label)
    assert after == scaled
    assert not Proposal.objects.filter(call__in=data.call_ids).exclude(group__name__startswith="Grupo de escala") \
        .exists()
    out = StringIO()
    call_command("seed_scale", "--reset", stdout=out)
    assert "Deleted" in out.getvalue()
    assert every_count() == demo
    assert scale_data().call_ids == [] and not scale_calls().exists()


def test_reset_removes_only_the_tagged_rows(units):
    other = UserFactory(email="alguien@ejemplo.mx")
    call = make_open_call(year=2030)
    before = every_count()
    seed_scale(**TINY)
    deleted = scale_reset()
    assert deleted and every_count() == before
    other.refresh_from_db()
    call.refresh_from_db()
    assert not BudgetLine.objects.filter(proposal__call__title=SCALE_TITLE).exists()
    assert not ProposalEvent.objects.filter(proposal__call__title=SCALE_TITLE).exists()
    seed_scale(**TINY)  # and it can be generated again (the same CFDI ids, codes and folios)
    assert Project.objects.count() == TINY["projects"]


def test_it_never_mixes_with_a_real_call_of_its_years(units):
    make_open_call(year=2098)
    with pytest.raises(CommandError, match="not a scale call"):
        seed_scale(**TINY)
    assert not Proposal.objects.exists() and not scale_calls().exists()


def test_without_units_it_imports_the_catalogue_or_says_how(db, monkeypatch, tmp_path):
    monkeypatch.setenv("NICP_SHARED_DIR", str(tmp_path))
    with pytest.raises(CommandError, match="--territory"):
        seed_scale(**TINY)
    catalogue = tmp_path / "colonias.csv"
    catalogue.write_text("cve_col,cve_mun_inegi,alcaldia,colonia,pob_2010\n"
                         "07-001,007,IZTAPALAPA,SAN LORENZO,12000\n02-001,002,AZCAPOTZALCO,CENTRO,8000\n")
    data = seed_scale(**TINY, territory=catalogue)
    assert data.counts["proposals"] == TINY["proposals"]
    assert set(Proposal.objects.values_list("neighbourhood__key", flat=True)) == {"07-001", "02-001"}


def test_the_command_sizes_refusals_and_output(units):
    with pytest.raises(CommandError):
        call_command("seed_scale", "--size", "huge", stdout=StringIO())
    with pytest.raises(CommandError, match="at least --projects"):
        call_command("seed_scale", "--proposals", "10", "--projects", "10", stdout=StringIO())
    with pytest.raises(CommandError, match="12 characters"):
        call_command("seed_scale", "--password", "corta", stdout=StringIO())
    assert not Proposal.objects.exists()
    out = StringIO()
    call_command("seed_scale", "--proposals", "150", "--projects", "20", "--expenses", "100",
                 "--password", "Escala-2026-prueba", stdout=out)
    text = out.getvalue()
    assert "coordinacion@scale.nicp.mx" in text and "finanzas@scale.nicp.mx" in text
    assert "expenses" in text and "100" in text
    assert scale_data().accounts["coordinator"].check_password("Escala-2026-prueba")


QUEUES = {
    "account_to_verify": lambda: BankAccount.objects.filter(status="pending").order_by("registered_at", "id"),
    "agreement_to_sign": lambda: Agreement.objects.filter(ministry_signed_on__isnull=True).exclude(signed_file="")
    .order_by("signed_uploaded_at", "id"),
    "tranche_to_release": lambda: Tranche.objects.filter(status=TrancheState.APPROVED).order_by("approved_at", "id"),
}


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="PostgreSQL's planner (SQLite never uses a partial index for a query with "
                           "bound parameters): set DATABASE_URL=postgres://… (.ci/run does)")
@pytest.mark.parametrize("index", QUEUES)
def test_each_finance_queue_can_be_read_from_its_partial_index(db, index):
    """Ported from the old generator's tests (here, away from the other module's dataset, whose unanalysed
    tables would steer the planner): the queue's filter matches the index's condition, so the database
    serves it oldest first without reading the table. Small tables would be scanned anyway: the scan is
    switched off, and so are the bitmap scan and the sort: what is left shows whether the index alone serves the
    queue in its order, whatever rows other tests left in the tables."""
    sql, params = QUEUES[index]()[:101].query.sql_with_params()
    with connection.cursor() as cursor:
        for switch in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {switch} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert index in plan, plan
