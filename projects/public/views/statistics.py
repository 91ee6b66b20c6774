"""Placeholder until this module is written (issue 13)."""

from django.http import Http404


def page(request, **kwargs):
    raise Http404


def table_csv(request, **kwargs):
    raise Http404
