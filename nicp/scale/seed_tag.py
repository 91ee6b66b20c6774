"""How the generated dataset is told apart from every other row: its calls' title and its people's domain.
Everything else it writes hangs from one of those (proposals and projects from the calls, groups from the
proposals, seats and memberships from the people)."""

from django.db.models import Q

from proposals.models import Call

SCALE_TITLE = "Convocatoria de escala (seed_scale)"
DOMAIN = "scale.nicp.mx"
GROUP_PREFIX = "Grupo de escala"
FILES = "scale"  # the storage folder of the few shared files every generated row points to
LAST_YEAR = 2099  # the newest generated call; older ones count down from it


def scale_calls():
    return Call.objects.filter(title=SCALE_TITLE)


def scale_people_filter(prefix: str = "") -> Q:
    return Q(**{f"{prefix}email__iendswith": f"@{DOMAIN}"})


def email(local: str) -> str:
    return f"{local}@{DOMAIN}"
