"""Privacy by construction: personal data seeded everywhere a project keeps it never reaches a public page,
export or endpoint.

The world is a project in execution whose people, bank account, receipts, notes and private records carry
recognisable personal data (names, phones, e-mails, a CURP, a CLABE, a home address). Every public URL is
fetched, every dataset downloaded, the API walked; none of the secrets may appear. A positive control
proves the check can fail: once the call makes committee names public, those names do appear."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import CommitteeKind, Project
from projects.workflow import ProjectAction
from tests.factories import PDF_BYTES, UserFactory, upload
from tests.projects.conftest import two_tranche_call
from tests.projects.execution_helpers import LINES, WorksProject, add_budget_lines, photo, record_invoice, verify
from tests.projects.helpers import POSITIONS, elect, seat_user, selected_project, staff_people

CURP = "BERE800101MDFRRS09"
CLABE = "032180000118359719"
PRIVATE = {
    "representative name": "Hermenegilda Quintanilla Zárate",
    "representative e-mail": "hermenegilda.privada@correo.mx",
    "representative phone": "55 4321 9876",
    "committee member name": "Eustaquia Bernal Ruvalcaba",
    "committee member e-mail": "eustaquia.bernal@correo.mx",
    "account holder": "Cuenta de Eustaquio Privado",
    "CLABE": CLABE,
    "CURP": CURP,
    "home address": "Cerrada de los Girasoles 17 interior 4",
    "labourer paid by simple receipt": "Anacleto Ruvalcaba Soto",
    "individual invoicing": "FILOMENO GARCIA LUNA",
    "individual's RFC": "GALF800101AB1",
    "private logbook text": "Doña Refugio Cárdenas prestó su patio",
    "private photo caption": "Casa de la familia Olvera",
    "suspension note": "queja de Tiburcio Mendoza",
}
DATASETS = ["oc4ids.json", "proyectos.geojson", "proyectos.csv", "ministraciones.csv", "gastos.csv"]
STATISTICS_TABLES = ["alcaldias", "anios", "estados", "estratos"]


def _slate(prefix):
    slate = [{"committee": kind, "position": POSITIONS[i % 3], "full_name": f"{kind.label} {prefix} {i}",
               "email": f"{prefix}-{kind.value}-{i}@ejemplo.mx"} for kind in CommitteeKind for i in range(3)]
    slate[0]["full_name"] = PRIVATE["committee member name"]
    slate[0]["email"] = PRIVATE["committee member e-mail"]
    return slate


@pytest.fixture
def private_world(db):
    from accounts.models import User

    people = staff_people()
    representative = UserFactory()
    project = selected_project(two_tranche_call(year=2033), amount=Decimal("1000000.00"),
                               representative=representative)
    User.objects.filter(pk=representative.pk).update(
        full_name=PRIVATE["representative name"], email=PRIVATE["representative e-mail"],
        phone=PRIVATE["representative phone"])
    project.group.description = f"CURP {CURP}; domicilio {PRIVATE['home address']}"
    project.group.save()
    project.proposal.__class__.objects.filter(pk=project.proposal_id).update(address=PRIVATE["home address"])
    lines = add_budget_lines(project, LINES)
    elect(project, people["coordinator"], members=_slate(project.code.lower()))
    admin = seat_user(project)
    account = services.bank_account_register(actor=admin, project_id=project.pk, bank="Banco",
                                             holder=PRIVATE["account holder"], clabe=CLABE,
                                             proof=upload("cuenta.pdf", PDF_BYTES))
    services.bank_account_review(actor=people["finance"], account_id=account.pk, verified=True)
    start_execution_rest(project, people)
    works = WorksProject(project=project, admin=admin, supervision=seat_user(project, CommitteeKind.SUPERVISION),
                         development=seat_user(project, CommitteeKind.DEVELOPMENT), lines=lines)
    from tests.projects.execution_helpers import release_tranche

    release_tranche(project, 1, people)
    company = record_invoice(works, concept="Cemento gris")
    verify(works, company, people["finance"])
    individual = record_invoice(works, concept="Herrería", issuer_rfc=PRIVATE["individual's RFC"],
                                issuer_name=PRIVATE["individual invoicing"])
    verify(works, individual, people["finance"])
    services.expense_record_simple(actor=admin, project_id=project.pk, budget_line_id=lines[1].pk,
                                   spent_on=timezone.localdate(), supplier=PRIVATE["labourer paid by simple receipt"],
                                   concept="Mano de obra de la semana", amount=Decimal("3000.00"),
                                   receipt=upload("recibo.pdf", PDF_BYTES))
    services.logbook_write(actor=admin, project_id=project.pk, happened_on=timezone.localdate(),
                           text=PRIVATE["private logbook text"], photos=[photo()])
    project.photos.update(caption=PRIVATE["private photo caption"])
    services.project_transition(actor=people["coordinator"], project_id=project.pk, action=ProjectAction.SUSPEND,
                                note=PRIVATE["suspension note"])
    return Project.objects.get(pk=project.pk)


def start_execution_rest(project, staff):
    """The agreement generated and signed (the account is already verified)."""
    admin = seat_user(project)
    services.agreement_generate(actor=staff["coordinator"], project_id=project.pk)
    services.agreement_upload_signed(actor=admin, project_id=project.pk, upload=upload("firmado.pdf", PDF_BYTES))
    services.agreement_sign(actor=staff["finance"], project_id=project.pk, signed_on=timezone.localdate())


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def public_urls(project) -> list[str]:
    code = {"code": project.code}
    urls = [reverse("home"), reverse("public:project_list"), reverse("public:project_list") + "?q=Parque",
            reverse("public:project_map"), reverse("public:project_geojson"), reverse("public:project", kwargs=code),
            reverse("public:statistics"), reverse("opendata:index"), reverse("opendata:dictionary"),
            reverse("api:public-projects"), reverse("api:public-project", kwargs=code),
            reverse("sitemap"), reverse("robots_txt")]
    urls += [reverse("public:statistics_csv", kwargs={"table": table}) for table in STATISTICS_TABLES]
    urls += [reverse("opendata:download", kwargs={"filename": name}) for name in DATASETS]
    return urls


def leaks(client, project) -> dict[str, list[str]]:
    found = {}
    for url in public_urls(project):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = _body(response)
        for label, secret in PRIVATE.items():
            if secret.lower() in body.lower():
                found.setdefault(url, []).append(label)
    return found


def test_no_personal_data_reaches_any_public_output(client, private_world):
    assert leaks(client, private_world) == {}


def test_a_signed_in_person_gets_the_same_public_outputs(client, private_world):
    """Being signed in (even as the project's own committee) adds nothing personal to public outputs."""
    client.force_login(seat_user(private_world))
    assert leaks(client, private_world) == {}


def test_the_check_sees_names_once_the_call_makes_them_public(client, private_world):
    """Positive control: the crawl does find a name when the rules make it public."""
    call = private_world.call
    call.committee_names_public = True
    call.save()
    found = leaks(client, private_world)
    page = reverse("public:project", kwargs={"code": private_world.code})
    assert "committee member name" in found.get(page, [])
    assert all(labels == ["committee member name"] for labels in found.values()), found
