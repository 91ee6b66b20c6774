"""Bound errors explain the rule with the limit written as people write figures, in either language."""

from decimal import Decimal

from django import forms
from django.utils import translation

from nicp.bounded_forms import CountField, MoneyField


class Line(forms.Form):
    price = MoneyField(max_value=Decimal("100000000"))
    people = CountField(max_value=5000)


def test_money_and_count_bounds_say_the_limit_with_thousands_separators():
    form = Line({"price": "123456789012", "people": "9999"})
    assert not form.is_valid()
    assert form.errors["price"] == ["Escribe una cifra de hasta 100,000,000.00."]
    assert form.errors["people"] == ["Escribe una cifra de hasta 5,000."]


def test_negative_figures_are_refused_in_words():
    form = Line({"price": "-5", "people": "-1"})
    assert not form.is_valid()
    assert form.errors["price"] == ["No puede ser negativa."]
    assert form.errors["people"] == ["No puede ser negativa."]


def test_the_message_follows_the_language_of_the_request():
    with translation.override("en"):
        form = Line({"price": "123456789012", "people": "1"})
        assert not form.is_valid()
        assert "100,000,000.00" in form.errors["price"][0]
        assert "Escribe" not in form.errors["price"][0]
