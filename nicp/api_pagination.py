"""The API's one pagination: page numbers for people, a keyset cursor for clients that walk everything.

DRF's PageNumberPagination counted every visible row (COUNT(*) over 50,000 proposals) and let the database
join and sort every row before the OFFSET. Here, as in the HTML queues (nicp.pagination.KeysFirstPaginator),
a page reads its primary keys first over the list's order, which ends with the pk and is backed by an index,
then the joined rows (and any prefetch) for those keys alone. The count stops at COUNT_CAP: beyond it the
answer says "more than COUNT_CAP" (`count_exact` false) instead of counting the rest.

`?cursor=` (empty to start) walks the same order by keyset on (order fields…, pk): every page costs what the
first costs, no count, forward (`next`) and back (`previous`). A cursor is signed and names its list and
order: a forged, damaged or foreign one is refused with a 400.
"""

import datetime
import operator
from decimal import Decimal
from functools import reduce

from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000  # keeps page × size an offset the database can hold
COUNT_CAP = 1000
SALT = "nicp.api.cursor"

BAD_PAGE = _("Escribe un número de página entero, desde 1.")
BAD_PAGE_SIZE = _("Escribe un tamaño de página entero entre 1 y %(max)s.")
BAD_CURSOR = _("Este cursor no es válido: vuelve a pedir la primera página con «cursor» vacío.")
OTHER_LIST = _("Este cursor es de otra lista u otro orden: úsalo con la misma dirección y el mismo «ordering».")
NO_CURSOR = _("Este orden no admite cursor: usa el orden predeterminado o pagina con «page».")


def ordering_of(queryset) -> list[tuple[str, bool]] | None:
    """The queryset's order as (field, descending) pairs ending with the pk, or None when it is not made
    of plain field names (then only the keys' order is used, not a cursor)."""
    pk = queryset.model._meta.pk
    terms = []
    for item in queryset.query.order_by or queryset.model._meta.ordering:
        if not isinstance(item, str) or item == "?":
            return None
        name = item.lstrip("-")
        terms.append((pk.attname if name in ("pk", pk.name) else name, item.startswith("-")))
    if not terms or terms[-1][0] != pk.attname:
        terms.append((pk.attname, terms[-1][1] if terms else True))  # ties broken by pk: pages never shift
    return terms


def _order_by(order) -> list[str]:
    return [f"-{name}" if descending else name for name, descending in order]


def _field(model, path):
    """The field at the end of `path` (through foreign keys: `borough__name`); None when a step is missing,
    nullable or not a foreign key (NULLs sort differently across databases, and a to-many join repeats
    rows, so a keyset over them would skip or repeat rows)."""
    field = None
    for step in path.split("__"):
        if field is not None:
            if not field.many_to_one:
                return None
            model = field.related_model
        try:
            field = model._meta.get_field(step)
        except FieldDoesNotExist:
            return None
        if field.null or field.is_relation and not field.many_to_one:
            return None
    return field


def _cursor_fields(queryset, order):
    """The fields a cursor compares, or None when one of them cannot carry a keyset."""
    fields = [_field(queryset.model, name) for name, _descending in order]
    return None if None in fields else fields


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _beyond(order, values, forward: bool) -> Q:
    """Rows strictly after the position (values) in the order (`forward`), or strictly before it. The first
    field's non-strict bound leads so the database ranges over the index."""
    (first, first_desc), head = order[0], values[0]
    bound = Q(**{f"{first}__{'lte' if first_desc == forward else 'gte'}": head})
    alternatives, equal = [], Q()
    for (name, descending), value in zip(order, values, strict=True):
        alternatives.append(equal & Q(**{f"{name}__{'lt' if descending == forward else 'gt'}": value}))
        equal &= Q(**{name: value})
    return bound & reduce(operator.or_, alternatives)


class KeysFirstPagination(BasePagination):
    page_query_param = "page"
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.request, self.cursor_mode = request, self.cursor_query_param in request.query_params
        self.size = self._size(request.query_params.get(self.page_size_query_param))
        order = ordering_of(queryset)
        if order is not None:
            queryset = queryset.order_by(*_order_by(order))
        if self.cursor_mode:
            return self._cursor_page(queryset, order, request.query_params[self.cursor_query_param], view)
        return self._numbered_page(queryset, request.query_params.get(self.page_query_param))

    # --- page numbers ------------------------------------------------------------------------------------

    def _numbered_page(self, queryset, raw):
        self.number = self._number(raw)
        start = (self.number - 1) * self.size
        keys = list(queryset.values_list("pk", flat=True)[start:start + self.size + 1])
        if not keys and self.number > 1:
            raise NotFound  # answered like any missing thing (nicp.api_errors)
        self.has_next, self.has_previous = len(keys) > self.size, self.number > 1
        counted = queryset.order_by().values("pk")[:COUNT_CAP + 1].count()
        self.count, self.count_exact = min(counted, COUNT_CAP), counted <= COUNT_CAP
        return self._rows(queryset, keys[:self.size])

    def _number(self, raw) -> int:
        if raw in (None, ""):
            return 1
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
            raise ValidationError({self.page_query_param: [BAD_PAGE]})
        return int(raw)

    def _size(self, raw) -> int:
        if raw in (None, ""):
            return PAGE_SIZE
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise ValidationError({self.page_size_query_param: [BAD_PAGE_SIZE % {"max": MAX_PAGE_SIZE}]})
        return int(raw)

    @staticmethod
    def _rows(queryset, keys) -> list:
        """The page's rows, joined and prefetched for these keys only, in the keys' order."""
        if not keys:
            return []
        rows = {row.pk: row for row in queryset.filter(pk__in=keys).order_by()}
        return [rows[key] for key in keys if key in rows]  # a row deleted in between is just left out

    # --- cursor ------------------------------------------------------------------------------------------

    def _cursor_page(self, queryset, order, raw, view):
        fields = _cursor_fields(queryset, order) if order else None
        if fields is None:
            raise ValidationError({self.cursor_query_param: [NO_CURSOR]})
        self.list_name = getattr(view, "basename", None) or type(view).__name__
        names = [name for name, _descending in order]
        position = self._position(raw, order, fields) if raw else None
        forward = position is None or position["d"] == "n"
        if position:
            queryset = queryset.filter(_beyond(order, position["v"], forward))
        if not forward:
            queryset = queryset.order_by(*_order_by([(name, not desc) for name, desc in order]))
        keyed = list(queryset.values_list("pk", *names)[:self.size + 1])
        more, keyed = len(keyed) > self.size, keyed[:self.size]
        if not forward:
            keyed.reverse()
        self.has_next = more if forward else True
        self.has_previous = position is not None and (more if not forward else True)
        self.first = [_plain(v) for v in keyed[0][1:]] if keyed else None
        self.last = [_plain(v) for v in keyed[-1][1:]] if keyed else None
        self.order = order
        return self._rows(queryset, [row[0] for row in keyed])

    def _position(self, raw, order, fields) -> dict:
        try:
            payload = signing.loads(raw, salt=SALT)
        except signing.BadSignature:
            raise ValidationError({self.cursor_query_param: [BAD_CURSOR]}) from None
        if not isinstance(payload, dict) or payload.get("d") not in ("n", "p"):
            raise ValidationError({self.cursor_query_param: [BAD_CURSOR]})
        if payload.get("l") != self.list_name or payload.get("o") != _order_by(order):
            raise ValidationError({self.cursor_query_param: [OTHER_LIST]})
        if not isinstance(payload.get("v"), list) or len(payload["v"]) != len(order):
            raise ValidationError({self.cursor_query_param: [BAD_CURSOR]})
        try:
            payload["v"] = [field.to_python(value) for field, value in zip(fields, payload["v"], strict=True)]
        except DjangoValidationError:
            raise ValidationError({self.cursor_query_param: [BAD_CURSOR]}) from None
        return payload

    def _cursor_link(self, values, direction) -> str:
        token = signing.dumps({"l": self.list_name, "o": _order_by(self.order), "v": values, "d": direction},
                              salt=SALT, compress=True)
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, token)

    # --- the answer --------------------------------------------------------------------------------------

    def _page_link(self, number):
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_paginated_response(self, data):
        if self.cursor_mode:
            return Response({
                "next": self._cursor_link(self.last, "n") if self.has_next and self.last else None,
                "previous": self._cursor_link(self.first, "p") if self.has_previous and self.first else None,
                "results": data,
            })
        return Response({
            "count": self.count,
            "count_exact": self.count_exact,
            "next": self._page_link(self.number + 1) if self.has_next else None,
            "previous": self._page_link(self.number - 1) if self.has_previous else None,
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "count": {"type": "integer", "example": 123, "description": str(_(
                    "Con «page»: cuántas filas hay, hasta %(cap)s; si hay más, vale %(cap)s y «count_exact» es "
                    "false («más de %(cap)s»). Con «cursor» no viene.") % {"cap": COUNT_CAP})},
                "count_exact": {"type": "boolean", "description": str(_(
                    "Con «page»: false cuando hay más filas que «count». Con «cursor» no viene."))},
                "next": link,
                "previous": link,
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        def integer(name, description):
            return {"name": name, "required": False, "in": "query", "description": description,
                    "schema": {"type": "integer", "minimum": 1}}

        return [
            integer(self.page_query_param, str(_("Número de página, desde 1 (no se usa con «cursor»)."))),
            {**integer(self.page_size_query_param, str(_("Filas por página (50 si no lo indicas)."))),
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}},
            {"name": self.cursor_query_param, "required": False, "in": "query", "schema": {"type": "string"},
             "description": str(_("Para recorrer toda la lista: vacío para empezar, luego el de «next» o "
                                  "«previous». Sin conteo; cada página cuesta lo mismo."))},
        ]
