"""The agreement writes the approved amount in words as Mexican documents do (projects.money)."""

from decimal import Decimal

import pytest

from projects.money import amount_in_words


@pytest.mark.parametrize(("amount", "words"), [
    ("1", "un peso 00/100 M.N."),
    ("21", "veintiún pesos 00/100 M.N."),
    ("31", "treinta y un pesos 00/100 M.N."),
    ("100", "cien pesos 00/100 M.N."),
    ("101", "ciento un pesos 00/100 M.N."),
    ("1000", "mil pesos 00/100 M.N."),
    ("21000", "veintiún mil pesos 00/100 M.N."),
    ("201000", "doscientos un mil pesos 00/100 M.N."),
    ("800000", "ochocientos mil pesos 00/100 M.N."),
    ("1000000", "un millón de pesos 00/100 M.N."),
    ("1021000", "un millón veintiún mil pesos 00/100 M.N."),
    ("1450000.50", "un millón cuatrocientos cincuenta mil pesos 50/100 M.N."),
    ("2000000", "dos millones de pesos 00/100 M.N."),
    ("21000000", "veintiún millones de pesos 00/100 M.N."),
    ("0.99", "cero pesos 99/100 M.N."),
    ("999999.995", "un millón de pesos 00/100 M.N."),  # rounded to cents first
])
def test_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_one_shortens_both_before_mil_and_before_pesos():
    # num2words writes «ciento veintiuno mil ciento veintiuno»: both become «veintiún».
    assert amount_in_words(Decimal("121121")) == "ciento veintiún mil ciento veintiún pesos 00/100 M.N."
