"""What the load run's clients saw: every answer (kind, status, latency, when), and the figures made of them.

A status of 0 is a connection error (refused, reset, timed out): no HTTP answer at all. Clients in many
threads record into one Tally; figures are computed once, at the end.
"""

import math
import threading
from dataclasses import dataclass, field

CONNECTION_ERROR = 0


@dataclass(frozen=True)
class Outcome:
    kind: str
    status: int
    seconds: float
    at: float  # time.monotonic() when the answer (or the error) came

    @property
    def server_error(self) -> bool:
        return self.status >= 500

    @property
    def failed(self) -> bool:
        """No usable answer: a 5xx or no answer at all."""
        return self.server_error or self.status == CONNECTION_ERROR


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0 for no values): p95 of 20 values is the 19th smallest."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass
class KindFigures:
    kind: str
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    server_errors: int
    connection_errors: int
    refused: int  # 4xx: a client error the scenario did not expect (a stale version, a validation message)


@dataclass
class Tally:
    outcomes: list[Outcome] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, outcome: Outcome) -> None:
        with self._lock:
            self.outcomes.append(outcome)

    def between(self, start: float, end: float) -> "Tally":
        return Tally([o for o in self.outcomes if start <= o.at < end])

    @property
    def server_errors(self) -> int:
        return sum(o.server_error for o in self.outcomes)

    @property
    def connection_errors(self) -> int:
        return sum(o.status == CONNECTION_ERROR for o in self.outcomes)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.failed]

    def figures(self, seconds: float) -> list[KindFigures]:
        """Per kind and, last, for everything ("all"); rps over the run's wall time."""
        kinds = sorted({o.kind for o in self.outcomes})
        return [self._figures(kind, [o for o in self.outcomes if o.kind == kind], seconds) for kind in kinds] + [
            self._figures("all", self.outcomes, seconds)]

    @staticmethod
    def _figures(kind: str, outcomes: list[Outcome], seconds: float) -> KindFigures:
        answered = [o.seconds * 1000 for o in outcomes if o.status != CONNECTION_ERROR]
        return KindFigures(
            kind=kind, requests=len(outcomes), rps=len(outcomes) / seconds if seconds > 0 else 0.0,
            p50_ms=percentile(answered, 0.50), p95_ms=percentile(answered, 0.95), p99_ms=percentile(answered, 0.99),
            server_errors=sum(o.server_error for o in outcomes),
            connection_errors=sum(o.status == CONNECTION_ERROR for o in outcomes),
            refused=sum(400 <= o.status < 500 for o in outcomes))


def figures_table(rows: list[KindFigures]) -> str:
    head = (f"{'kind':<24}{'requests':>9}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
            f"{'5xx':>6}{'conn':>6}{'4xx':>6}")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r.kind:<24}{r.requests:>9}{r.rps:>8.1f}{r.p50_ms:>9.0f}{r.p95_ms:>9.0f}{r.p99_ms:>9.0f}"
                     f"{r.server_errors:>6}{r.connection_errors:>6}{r.refused:>6}")
    return "\n".join(lines)
