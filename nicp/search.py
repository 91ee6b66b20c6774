"""Title search, the one path for every list that looks for words in a name: the review queue, the public
listing and the APIs. A search is a substring match that ignores case and accents («salon» finds «Salón» and
«SALÓN»), on both sides the same SQL: `lower(f_unaccent(column)) LIKE '%' || lower(f_unaccent(query)) || '%'`.

On PostgreSQL `f_unaccent` is an IMMUTABLE wrapper of the `unaccent` extension (created by the migrations,
nicp/search_sql.py) and a GIN trigram index on that same expression serves any query of three characters or
more. Where the database refused the extensions, the migrations make `f_unaccent` return its argument: the
search still runs and ignores case, not accents, and `manage.py check --database default` says so.
On SQLite (the embedded default) `f_unaccent` is a Python function registered on each connection."""

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, F, Func, Q, Value
from django.db.models.functions import Lower
from django.db.models.lookups import Contains

# The shortest query a trigram index serves: shorter ones read every row (still correct, only slower).
TRIGRAM = 3
# Longer queries add nothing a title could hold and only make the database work more.
MAX_QUERY_LENGTH = 100


class FUnaccent(Func):
    function = "f_unaccent"
    output_field = CharField()


def folded(expression):
    """The expression every search and every trigram index compare: lower case, no accents."""
    return Lower(FUnaccent(expression))


def text_matches(value: str, *fields: str) -> Q:
    """Rows where any of `fields` contains `value`, ignoring case and accents. `%`, `_` and `\\` are
    literal (the LIKE pattern is escaped by Django); an empty value matches everything. A NUL, which no title
    holds and PostgreSQL refuses in a string, is dropped."""
    value = (value or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    if not value:
        return Q()
    wanted = folded(Value(value, output_field=CharField()))
    found = Q()
    for field in fields:
        found |= Q(Contains(folded(F(field)), wanted))
    return found


def title_search(queryset, value: str, fields=("title",)):
    return queryset.filter(text_matches(value, *fields))


def strip_accents(text):
    """SQLite's `f_unaccent`: what PostgreSQL's unaccent does to Spanish text (á→a, ñ→n, ü→u)."""
    if text is None:
        return None
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def register_sqlite_unaccent(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("f_unaccent", 1, strip_accents, deterministic=True)


connection_created.connect(register_sqlite_unaccent, dispatch_uid="nicp.search.sqlite_unaccent")
