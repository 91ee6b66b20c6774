"""Higher apps widen who reads a proposal without proposals importing them: each registers a function
(user, roles) -> Q of the proposals that role lets this person read (the Committee's members, a funded
project's elected committees). The default answer of every hook is "none"."""

from collections.abc import Callable

from django.db.models import Q

ReaderHook = Callable[[object, frozenset], Q | None]

_reader_hooks: list[ReaderHook] = []


def register_readers(hook: ReaderHook) -> ReaderHook:
    if hook not in _reader_hooks:
        _reader_hooks.append(hook)
    return hook


def extra_readers(user, roles: frozenset) -> Q:
    visible = Q(pk__in=[])
    for hook in _reader_hooks:
        granted = hook(user, roles)
        if granted is not None:
            visible |= granted
    return visible
