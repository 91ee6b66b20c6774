"""Placeholder until this module is written (issue 13)."""

from django.http import Http404


def project_page(request, **kwargs):
    raise Http404


def photo(request, **kwargs):
    raise Http404


def receipt(request, **kwargs):
    raise Http404


def document(request, **kwargs):
    raise Http404
