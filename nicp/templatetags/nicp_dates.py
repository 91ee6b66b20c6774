"""`{{ start|date_range:end }}`: a period in words, naming both years only when they differ."""

from django import template

from nicp import dates

register = template.Library()
register.filter("date_range", dates.date_range)
