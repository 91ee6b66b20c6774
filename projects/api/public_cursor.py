"""Keyset (cursor) pages for the public project list: every sort walks on (its field, id), both descending.

DRF's CursorPagination positions on the first ordering field alone and skips ties by an offset, which grows
with the ties (many projects share an amount or a 0 % progress). Here the cursor carries the last row's
(value, id), so page 200 costs what page 1 costs, under every sort, and a walk never repeats nor skips a
project. A cursor names the sort it was made for: reused with another sort it is refused (400), not
silently misread."""

import base64
import binascii
import json
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

from nicp import bounds

# sort → the field walked before id (None: id alone). Both descending, as `filters.SORTS` orders them.
KEYS = {"recientes": None, "monto": "approved_amount", "avance": "physical_progress"}
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
BAD_CURSOR = _("Este cursor no es válido: vuelve a pedir la primera página (sin «cursor»).")
OTHER_SORT = _("Este cursor es de otro orden: usa el mismo «sort» con el que lo recibiste.")
BAD_PAGE_SIZE = _("Escribe un número entero entre 1 y %(max)s.")


def page_size_from(params) -> int:
    raw = params.get("page_size")
    if raw in (None, ""):
        return PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise ValidationError({"page_size": [BAD_PAGE_SIZE % {"max": MAX_PAGE_SIZE}]})
    return int(raw)


def encode(sort: str, row: dict, direction: str) -> str:
    field = KEYS[sort]
    payload = {"s": sort, "id": row["id"], "d": direction}
    if field:
        payload["v"] = str(row[field])
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(raw: str, sort: str) -> dict:
    try:
        payload = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        if not isinstance(payload, dict) or payload.get("d") not in ("next", "prev"):
            raise ValueError
        if payload.get("s") != sort:
            raise ValidationError({"cursor": [OTHER_SORT]})
        pk = payload.get("id")
        if not isinstance(pk, int) or isinstance(pk, bool) or not 1 <= pk <= bounds.ID_MAX:
            raise ValueError
        if KEYS[sort]:
            payload["v"] = Decimal(str(payload["v"]))
            if not payload["v"].is_finite() or not 0 <= payload["v"] <= bounds.PROPOSAL_AMOUNT_MAX:
                raise ValueError  # amounts and percentages alike: what a database column can compare
        return payload
    except (ValueError, TypeError, KeyError, InvalidOperation, binascii.Error, UnicodeDecodeError):
        raise ValidationError({"cursor": [BAD_CURSOR]}) from None


def _after(field, value, pk, forward: bool) -> Q:
    """Rows strictly after (value, pk) in descending order (`forward`), or strictly before it."""
    op = "lt" if forward else "gt"
    if field is None:
        return Q(**{f"id__{op}": pk})
    return Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"id__{op}": pk})


def page(queryset, *, sort: str, cursor: str | None, size: int, url: str, values: tuple) -> dict:
    """The rows (dicts of `values`) of one page and the links to its neighbours."""
    field = KEYS[sort]
    order = (field, "id") if field else ("id",)
    position = decode(cursor, sort) if cursor else None
    forward = position is None or position["d"] == "next"
    if position:
        queryset = queryset.filter(_after(field, position.get("v"), position["id"], forward))
    queryset = queryset.order_by(*(f"-{f}" for f in order) if forward else order)
    rows = list(queryset.values(*values)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    has_next = more if forward else True
    has_previous = position is not None and (more if not forward else True)
    base = remove_query_param(url, "cursor")
    return {
        "next": replace_query_param(base, "cursor", encode(sort, rows[-1], "next")) if rows and has_next else None,
        "previous": replace_query_param(base, "cursor", encode(sort, rows[0], "prev"))
        if rows and has_previous else None,
        "rows": rows,
    }
