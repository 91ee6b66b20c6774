"""Placeholder until this module is written (issue 13)."""

from django.http import Http404


def public_projects(request, **kwargs):
    raise Http404


def public_project(request, **kwargs):
    raise Http404
