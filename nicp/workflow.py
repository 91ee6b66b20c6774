"""The one transition engine every stateful entity uses (DESIGN.md §4).

An app describes its machine as data (`Workflow`: the transition table, the event model, how actions and
states read) and calls `transition_apply` with the rows the actor may see and the checks of that action.
The engine does the steps in the same order for every entity:

1. lock the row, read through the actor's visible rows, so missing and forbidden look the same (404);
2. check the version the client sent (stale → 409, nothing written);
3. look the pair up in the table (not there → a clear refusal); the app's refusals (`refuse`);
   permission (`allowed`); the guards (`guard`, each failure a ValidationError saying what is missing);
4. write the new state and version + 1, append the event row;
5. let the app react (`after`: notices, signals) inside the same transaction, so a failure writes nothing.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from nicp import bounds
from nicp.errors import TransitionNotAllowed, check_version
from nicp.readonly import require_may_write


@dataclass(frozen=True)
class Workflow:
    transitions: Mapping[tuple[str, str], str]
    event_model: type[models.Model]
    event_field: str  # the event's foreign key to the entity
    action_label: Callable[[str], str]
    # Said when the pair is not in the table; receives %(state)s and %(action)s.
    refusal: str
    state_field: str = "status"

    def target(self, state: str, action: str) -> str | None:
        return self.transitions.get((state, action))

    def actions_from(self, state: str) -> list[str]:
        return [action for (source, action) in self.transitions if source == state]


def lock(rows: models.QuerySet, pk, version=None):
    """The row, locked, from the rows the actor may see; 404 when it is not among them."""
    obj = rows.select_for_update(of=("self",)).filter(pk=pk).first()
    if obj is None:
        raise Http404
    check_version(obj, version)
    return obj


def transition_apply(workflow: Workflow, *, actor, rows: models.QuerySet, pk, action: str, version=None,
                     note: str = "", refuse: Callable | None = None, allowed: Callable | None = None,
                     denied: str = "", guard: Callable | None = None, after: Callable | None = None,
                     event_fields: dict | None = None):
    """Apply one action to one row (call inside a transaction). `refuse(obj)` raises for pairs the app
    rules out beyond the table; `allowed(obj)` says whether the actor may; `guard(obj)` raises what is
    missing and may set fields the step records; `after(obj, source)` runs once the event is written."""
    require_may_write(actor)
    if len(note) > bounds.NOTE_MAX:
        raise ValidationError({"note": _("La nota admite como máximo %(n)s caracteres.")
                               % {"n": f"{bounds.NOTE_MAX:,}"}})
    obj = lock(rows, pk, version)
    source = getattr(obj, workflow.state_field)
    target = workflow.target(source, action)
    label = workflow.action_label(action)
    if target is None:
        raise TransitionNotAllowed(workflow.refusal % {"state": getattr(obj, f"get_{workflow.state_field}_display")(),
                                                       "action": label})
    if refuse is not None:
        refuse(obj)
    if allowed is not None and not allowed(obj):
        raise PermissionDenied(denied or _("No tienes permiso para «%(action)s».") % {"action": label})
    if guard is not None:
        guard(obj)
    setattr(obj, workflow.state_field, target)
    obj.version += 1
    obj.save()
    workflow.event_model.objects.create(**{workflow.event_field: obj}, actor=actor, action=action,
                                        from_state=source, to_state=target, note=note.strip(),
                                        **(event_fields or {}))
    if after is not None:
        after(obj, source)
    return obj
