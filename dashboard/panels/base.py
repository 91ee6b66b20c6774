"""A start-page panel: who sees it, what it reads, which template shows it.

Each role's panel is a small module that builds one; `dashboard.panels.PANELS` lists them in the order
the page shows them. A later app (funded projects) adds its panels there.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

# Long lists on a start page help nobody: each list shows this many items and says how many more wait.
LIST_LIMIT = 8


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    # (user, roles) -> whether this person sees the panel
    applies: Callable[[object, frozenset], bool]
    # (user, today) -> the template's context; reads only through visible_to(user) querysets
    build: Callable[[object, date], dict]


def first(queryset, limit: int = LIST_LIMIT) -> tuple[list, int]:
    """The first `limit` rows and how many there are in all (counted only when there are more)."""
    items = list(queryset[:limit + 1])
    return items[:limit], (queryset.count() if len(items) > limit else len(items))
