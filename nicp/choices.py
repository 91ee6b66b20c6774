"""One wording for the empty option of every select: "— Elige —" in forms, "— Todos —" in list filters."""

from django.utils.translation import gettext_lazy as _

EMPTY_LABEL = _("— Elige —")
ANY_LABEL = _("— Todos —")


def with_empty(choices) -> list:
    return [("", EMPTY_LABEL), *choices]
