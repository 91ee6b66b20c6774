"""Placeholder until this module is written (issue 13)."""

from django.http import Http404


def index(request, **kwargs):
    raise Http404


def dictionary(request, **kwargs):
    raise Http404
