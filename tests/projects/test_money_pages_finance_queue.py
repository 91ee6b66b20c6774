"""Finance's queue (accounts to verify, agreements to sign, tranches to release) and its start-page panel."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import Agreement, BankAccount, Tranche
from projects.workflow import ProjectState, TrancheState
from tests.factories import PDF_BYTES, upload
from tests.projects.helpers import VALID_CLABE, elect, seat_user, selected_project, start_execution

pytestmark = pytest.mark.django_db
QUEUE = reverse("projects:finance_queue")
START = reverse("dashboard:start")


def waiting_projects(call, coordinator, count):
    """Projects each with an account to verify, an agreement signed by its committees and an approved
    tranche. Rows written straight to the tables: this is about how the pages read many of them (the
    services that write them are tested on their own)."""
    now = timezone.now()
    for _ in range(count):
        project = selected_project(call)
        project.status = ProjectState.AGREEMENT_PENDING
        project.save(update_fields=["status"])
        BankAccount.objects.create(project=project, bank="Banco", holder="Comité", clabe=VALID_CLABE,
                                   proof="projects/cuenta.pdf")
        Agreement.objects.create(project=project, text="Convenio", generated_file="projects/convenio.pdf",
                                 generated_at=now, signed_file="projects/firmado.pdf", signed_uploaded_at=now)
        Tranche.objects.filter(project=project, number=1).update(status=TrancheState.APPROVED,
                                                                 approved_by=coordinator, approved_at=now)


def queries(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_queue_lists_what_waits_for_finance_through_the_real_steps(client, project_call, people):
    coordinator, finance = people["coordinator"], people["finance"]
    to_verify = selected_project(project_call)
    elect(to_verify, coordinator)
    services.bank_account_register(actor=seat_user(to_verify), project_id=to_verify.pk, bank="Banco Azteca",
                                   holder="Comité", clabe=VALID_CLABE, proof=upload("c.pdf", PDF_BYTES))
    services.agreement_generate(actor=coordinator, project_id=to_verify.pk)
    services.agreement_upload_signed(actor=seat_user(to_verify), project_id=to_verify.pk,
                                     upload=upload("f.pdf", PDF_BYTES))
    running = selected_project(project_call)
    elect(running, coordinator)
    start_execution(running, coordinator, finance)
    tranche = running.tranches.get(number=1)
    services.tranche_transition(actor=seat_user(running), tranche_id=tranche.pk, action="request")
    services.tranche_transition(actor=coordinator, tranche_id=tranche.pk, action="approve")
    client.force_login(finance)
    html = client.get(QUEUE).content.decode()
    assert "1 cuenta por verificar" in html and "Banco Azteca" in html
    assert "1 convenio por firmar" in html
    assert "1 ministración aprobada por entregar" in html and "$700,000.00" in html
    money = reverse("projects:money", args=[to_verify.pk])
    assert f'href="{money}#cuenta"' in html and f'href="{money}#convenio"' in html
    assert f'href="{reverse("projects:money", args=[running.pk])}#tranche-1"' in html
    assert VALID_CLABE not in html  # the queue never shows the CLABE
    # the start page's panel counts the same and links to the queue
    html = client.get(START).content.decode()
    assert "Finanzas: proyectos financiados" in html and f'href="{QUEUE}#q-tranches"' in html
    assert "<strong>1</strong> cuenta por verificar" in html
    assert "<strong>1</strong> convenio por firmar" in html
    assert "<strong>1</strong> ministración por entregar" in html


def test_an_empty_queue_says_so(client, people):
    client.force_login(people["auditor"])
    html = client.get(QUEUE).content.decode()
    assert "Ninguna cuenta espera verificación." in html and "Ningún convenio espera" in html
    client.force_login(people["finance"])
    assert "Nada espera a Finanzas por ahora." in client.get(START).content.decode()


def test_signed_and_released_steps_leave_the_queue(client, project_call, people):
    waiting_projects(project_call, people["coordinator"], 2)
    BankAccount.objects.filter().update(status=BankAccount.Status.VERIFIED)
    Agreement.objects.update(ministry_signed_on=timezone.localdate())
    Tranche.objects.filter(status=TrancheState.APPROVED).update(status=TrancheState.RELEASED)
    client.force_login(people["finance"])
    html = client.get(QUEUE).content.decode()
    assert "0 cuentas por verificar" in html and "0 convenios por firmar" in html
    assert "0 ministraciones aprobadas por entregar" in html


def test_the_queue_and_the_panel_read_a_constant_number_of_queries(client, project_call, people):
    waiting_projects(project_call, people["coordinator"], 3)
    few_queue = queries(client, people["finance"], QUEUE)
    few_start = queries(client, people["finance"], START)
    waiting_projects(project_call, people["coordinator"], 27)
    assert queries(client, people["finance"], QUEUE) == few_queue <= 10
    assert queries(client, people["finance"], START) == few_start
    html = client.get(QUEUE).content.decode()
    assert "30 cuentas por verificar" in html and "30 ministraciones aprobadas por entregar" in html


def test_only_finance_coordination_and_audit_read_the_queue(client, project, people):
    elect(project, people["coordinator"])
    for user in (seat_user(project), people["coordinator"], people["auditor"]):
        client.force_login(user)
        assert client.get(QUEUE).status_code == (403 if user == seat_user(project) else 200)
