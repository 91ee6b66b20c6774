"""The dataset's named accounts, one per role the benchmark measures, at fixed addresses. Their passwords
are unusable unless `--password` gives one (then their address is verified too, so they can sign in)."""

from allauth.account.models import EmailAddress

from accounts.models import User
from accounts.roles import StaffRole
from accounts.services import role_grant
from nicp.scale.seed_tag import email

# role -> (address, staff role or None for a community account, name)
ROLES = {
    "coordinator": ("coordinacion", StaffRole.COORDINATOR, "Coordinación de escala"),
    "technical_reviewer": ("revision", StaffRole.TECHNICAL_REVIEWER, "Revisión técnica de escala"),
    "committee_member": ("comite", StaffRole.COMMITTEE_MEMBER, "Integrante del Comité de escala"),
    "committee_secretary": ("secretaria", StaffRole.COMMITTEE_SECRETARY, "Secretaría del Comité de escala"),
    "finance_officer": ("finanzas", StaffRole.FINANCE_OFFICER, "Finanzas de escala"),
    "auditor": ("auditoria", StaffRole.AUDITOR, "Auditoría de escala"),
    # Community: represents groups (some funded), sits on several projects' committees, or only belongs.
    "representative": ("representante", None, "Representante de escala"),
    "project_committee": ("comite-proyecto", None, "Persona de comités de escala"),
    "group_member": ("integrante", None, "Integrante de grupo de escala"),
}
EXTRA_REVIEWERS = 4  # the review work is shared, so one reviewer's queue is a fifth of it
EXTRA_MEMBERS = 4  # the Committee has five members


def extra(kind: str, count: int) -> list[tuple[str, str, str]]:
    role = {"revision": StaffRole.TECHNICAL_REVIEWER, "comite": StaffRole.COMMITTEE_MEMBER}[kind]
    return [(f"{kind}{i}", role, f"Persona de {kind} {i}") for i in range(2, count + 2)]


def _ensure(local: str, role: str | None, name: str, password: str | None) -> User:
    user, created = User.objects.get_or_create(email=email(local), defaults={"full_name": name})
    if created or password:
        user.set_password(password) if password else user.set_unusable_password()
        user.save(update_fields=["password"])
    if password:
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    if role:
        role_grant(user=user, role=role)
    return user


def accounts_ensure(password: str | None = None) -> dict[str, User]:
    named = {key: _ensure(local, role, name, password) for key, (local, role, name) in ROLES.items()}
    for local, role, name in extra("revision", EXTRA_REVIEWERS) + extra("comite", EXTRA_MEMBERS):
        _ensure(local, role, name, password)
    return named


def accounts_by_role() -> dict[str, User]:
    users = {user.email: user for user in User.objects.filter(email__in=[email(v[0]) for v in ROLES.values()])}
    return {key: users[email(local)] for key, (local, _role, _name) in ROLES.items() if email(local) in users}


def reviewers() -> list[User]:
    locals_ = [ROLES["technical_reviewer"][0]] + [local for local, _r, _n in extra("revision", EXTRA_REVIEWERS)]
    return _in_order(locals_)


def committee_members() -> list[User]:
    locals_ = [ROLES["committee_member"][0]] + [local for local, _r, _n in extra("comite", EXTRA_MEMBERS)]
    return _in_order(locals_)


def _in_order(locals_: list[str]) -> list[User]:
    users = {user.email: user for user in User.objects.filter(email__in=[email(x) for x in locals_])}
    return [users[email(x)] for x in locals_]
