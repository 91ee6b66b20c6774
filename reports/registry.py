"""The kinds of report: each says who may ask for it, which parameters it takes and how it is written.

A builder module registers its kind at import (reports/builders/__init__.py imports them all):

    register(ReportKind(code="call_report", label=_("Reporte de la convocatoria"), extension="xlsx",
                        clean_params=..., may_request=..., title=..., build=...))

`build(report, out, progress)` writes the file into the binary file object `out`, calls
`progress(done, total)` as it goes and returns the number of rows written."""

from collections.abc import Callable
from dataclasses import dataclass

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "data": "application/octet-stream",  # an open-data snapshot: its dataset says what it holds
}


@dataclass(frozen=True)
class ReportKind:
    code: str
    label: object  # lazy text
    extension: str
    # cleaned parameters from what was asked (a dict of strings); raises ValidationError in Spanish.
    clean_params: Callable[[dict], dict]
    # may this person ask for (and download) this report with these cleaned parameters?
    may_request: Callable[[object, dict], bool]
    title: Callable[[dict], str]
    build: Callable[[object, object, Callable[[int, int | None], None]], int]

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]


_KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    if kind.extension not in CONTENT_TYPES:
        raise ValueError(f"Unknown report extension: {kind.extension}")
    _KINDS[kind.code] = kind
    return kind


def kinds() -> dict[str, ReportKind]:
    import reports.builders  # noqa: F401 (each builder registers itself)

    return dict(_KINDS)


def kind_of(code: str) -> ReportKind | None:
    return kinds().get(code)
