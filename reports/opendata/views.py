"""/datos/<filename>: one open-data file, for anyone.

Without filters the newest nightly snapshot is served from storage (reports/opendata/snapshots.py); if
there is none yet the file is streamed live. With the listing's filters in the query string (only for a
`filterable` dataset) it is always streamed live over the filtered set. Either way the response carries an
ETag and Last-Modified, and a repeated download that still has the same file gets a 304 without a body."""

import hashlib

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from projects.public.filters import PublicProjectFilter
from projects.public.querysets import public_projects
from reports.opendata.datasets import dataset
from reports.opendata.snapshots import latest_snapshot

MAX_AGE = 300  # seconds a browser or proxy may reuse a download without asking again
FILTERS = tuple(PublicProjectFilter.base_filters)


@require_safe
def download(request, filename: str):
    data = dataset(filename)
    if data is None:
        raise Http404
    # An empty field (the listing's form sends every field) asks for nothing.
    asked = {key: request.GET[key] for key in FILTERS if request.GET.get(key, "").strip()}
    if asked and not data.filterable:
        return _bad_request([_("Este archivo no se puede filtrar: descárgalo sin parámetros.")])
    if asked:
        chosen = PublicProjectFilter(request.GET, queryset=public_projects())
        if not chosen.is_valid():
            return _bad_request([f"{chosen.form.fields[field].label}: {message}"
                                 for field, messages in chosen.errors.items() for message in messages])
        return _live(request, data, chosen.qs, query=sorted(asked.items()))
    snapshot = latest_snapshot(filename)
    if snapshot is not None:
        return _snapshot(request, data, snapshot)
    return _live(request, data, public_projects(), query=[])


def _bad_request(messages: list[str]) -> HttpResponse:
    text = _("Revisa los filtros de la descarga:") + "\n" + "\n".join(f"- {m}" for m in messages) + "\n"
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


def _snapshot(request, data, snapshot):
    size = snapshot.file.size
    etag = quote_etag(f"s{snapshot.pk}-{snapshot.finished_at.timestamp():.6f}-{size}")
    modified = int(snapshot.finished_at.timestamp())
    unchanged = get_conditional_response(request, etag=etag, last_modified=modified)
    if unchanged is not None:
        return _headers(unchanged, data, etag, modified)
    response = FileResponse(snapshot.file.open("rb"), content_type=data.content_type, as_attachment=True,
                            filename=data.filename)
    return _headers(response, data, etag, modified)


def _live(request, data, projects, *, query: list):
    changed = data.last_modified()
    modified = int(changed.timestamp()) if changed else None
    # The tag takes the exact moment (Last-Modified only has seconds) and the filters asked.
    stamp = changed.isoformat() if changed else ""
    etag = quote_etag("l" + hashlib.sha256(repr((data.filename, stamp, query)).encode()).hexdigest()[:32])
    unchanged = get_conditional_response(request, etag=etag, last_modified=modified)
    if unchanged is not None:
        return _headers(unchanged, data, etag, modified)
    response = StreamingHttpResponse(data.write(projects), content_type=data.content_type)
    return _headers(response, data, etag, modified)


def _headers(response, data, etag: str, modified: int | None):
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    if response.status_code == 200:
        response["Content-Disposition"] = f'attachment; filename="{data.filename}"'
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
