"""Placeholder until this module is written (issue 13)."""

from django.http import Http404


def project_list(request, **kwargs):
    raise Http404


def project_map(request, **kwargs):
    raise Http404


def project_geojson(request, **kwargs):
    raise Http404
