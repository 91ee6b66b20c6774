"""No lost write: every write the server answered with a success carries a unique marker, and at the end
each marker is looked for in the database. A write that got no answer (a connection error, a 5xx) may or
may not have happened and is not counted either way."""

import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from projects.models import LogbookEntry
from proposals.models import Proposal

PREFIX = "carga"  # every marker starts so: the load test's rows are easy to find (and to tell from real ones)

# Where each kind of write leaves its marker: the model and the field that holds exactly the marker.
WHERE = {
    "draft": (Proposal, "title"),
    "edit": (Proposal, "description"),
    "logbook": (LogbookEntry, "text"),
}


def new_marker(kind: str) -> str:
    return f"{PREFIX} {kind} {uuid.uuid4().hex}"


@dataclass
class WriteLog:
    """The markers of the writes that got a success answer, by kind."""

    confirmed: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def confirm(self, kind: str, marker: str) -> None:
        if kind not in WHERE:
            raise ValueError(f"unknown write kind {kind!r}")
        with self._lock:
            self.confirmed[kind].add(marker)

    @property
    def total(self) -> int:
        return sum(len(markers) for markers in self.confirmed.values())


def lost_writes(log: WriteLog, chunk: int = 1000) -> dict[str, set[str]]:
    """The confirmed markers missing from the database, by kind (empty sets when nothing was lost)."""
    lost = {}
    for kind, markers in log.confirmed.items():
        model, column = WHERE[kind]
        wanted = sorted(markers)
        found = set()
        for start in range(0, len(wanted), chunk):
            part = wanted[start:start + chunk]
            found.update(model.objects.filter(**{f"{column}__in": part}).values_list(column, flat=True))
        lost[kind] = markers - found
    return lost
