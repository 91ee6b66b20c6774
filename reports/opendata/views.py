"""Placeholder until this module is written (issue 13)."""

from django.http import Http404


def download(request, **kwargs):
    raise Http404
