"""Placeholder until this module is written (issue 13): sitemap.xml and robots.txt."""

from django.http import Http404


def sitemap(request, **kwargs):
    raise Http404


def robots_txt(request, **kwargs):
    raise Http404
