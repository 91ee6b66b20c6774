"""Staff are told when a project waits for them: never the one who acted, never staff linked to it."""

from notifications.models import Notice
from projects import services
from tests.factories import PDF_BYTES, upload
from tests.projects.helpers import VALID_CLABE, elect, seat_user, start_execution


def subjects(user):
    return list(Notice.objects.filter(recipient=user).values_list("subject", flat=True))


def test_each_step_tells_the_role_that_acts_next(people, project):  # staff exist before the project
    assert "Proyectos financiados por iniciar" in subjects(people["coordinator"])
    elect(project, people["coordinator"])
    project.group.memberships.create(user=people["finance2"], role="member")  # recused from this project
    admin = seat_user(project)
    services.bank_account_register(actor=admin, project_id=project.pk, bank="B", holder="H", clabe=VALID_CLABE,
                                   proof=upload("c.pdf", PDF_BYTES))
    told = f"Cuenta bancaria por verificar: {project.code}"
    assert told in subjects(people["finance"]) and told not in subjects(people["finance2"])
    assert told not in subjects(people["coordinator"])


def test_tranche_requests_reach_coordination_and_approvals_reach_finance(project, people):
    elect(project, people["coordinator"])
    start_execution(project, people["coordinator"], people["finance"])
    tranche = project.tranches.get(number=1)
    services.tranche_transition(actor=seat_user(project), tranche_id=tranche.pk, action="request")
    assert f"Ministración por aprobar: {project.code}" in subjects(people["coordinator2"])
    services.tranche_transition(actor=people["coordinator"], tranche_id=tranche.pk, action="approve")
    assert f"Ministración por entregar: {project.code}" in subjects(people["finance2"])
    assert f"Ministración por aprobar: {project.code}" not in subjects(people["finance"])
