"""The money invariants: tranches always add up to the approved amount, the sum released never exceeds
it (service and database), amounts in words, and the CLABE's check digit."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from projects.clabe import clabe_check_digit, validate_clabe
from projects.models import Project
from projects.money import amount_in_words, tranche_amounts

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000000"), places=2)


@st.composite
def share_plans(draw):
    """1–6 shares in hundredths of a percent that add up to 100 %."""
    count = draw(st.integers(min_value=1, max_value=6))
    cuts = sorted(draw(st.lists(st.integers(min_value=1, max_value=9999), min_size=count - 1,
                                max_size=count - 1, unique=True)))
    bounds = [0, *cuts, 10000]
    return [Decimal(b - a) / 100 for a, b in zip(bounds, bounds[1:], strict=False)]


@given(amounts, share_plans())
def test_tranches_add_up_to_the_approved_amount_exactly(approved, shares):
    parts = tranche_amounts(approved, shares)
    assert sum(parts) == approved
    assert all(part == part.quantize(Decimal("0.01")) for part in parts)
    for part, share in zip(parts[:-1], shares[:-1], strict=True):
        assert abs(part - approved * share / 100) <= Decimal("0.005")
    # The last takes only the rounding remainder of the others.
    assert abs(parts[-1] - approved * shares[-1] / 100) <= Decimal("0.005") * len(shares)


def test_the_usual_plan():
    assert tranche_amounts(Decimal("1000000.01"), [Decimal(70), Decimal(30)]) == [Decimal("700000.01"),
                                                                                  Decimal("300000.00")]
    assert tranche_amounts(Decimal("100.00"), [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]) == [
        Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


def test_the_database_refuses_releasing_more_than_approved(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(released_total=project.approved_amount + Decimal("0.01"))


@pytest.mark.parametrize(("amount", "words"), [
    ("1", "un peso 00/100 M.N."),
    ("21.05", "veintiún pesos 05/100 M.N."),
    ("1000000", "un millón de pesos 00/100 M.N."),
    ("1450000.50", "un millón cuatrocientos cincuenta mil pesos 50/100 M.N."),
    ("800000", "ochocientos mil pesos 00/100 M.N."),
])
def test_amount_in_spanish_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


VALID = ["032180000118359719", "002010077777777771", "012180001234567899"]


@pytest.mark.parametrize("clabe", VALID)
def test_valid_clabes(clabe):
    assert clabe_check_digit(clabe[:17]) == int(clabe[17])
    validate_clabe(clabe)
    validate_clabe(f"{clabe[:3]} {clabe[3:6]} {clabe[6:]}")  # spaces as people copy it


@pytest.mark.parametrize(("clabe", "says"), [
    ("032180000118359718", "dígito verificador"),
    ("03218000011835971A", "sin letras"),
    ("0321800001183597", "18 dígitos; escribiste 16"),
    ("", "Escribe la CLABE"),
    ("０３２180000118359719", "sin letras"),  # full-width digits are not ASCII digits
])
def test_invalid_clabes_say_why(clabe, says):
    with pytest.raises(ValidationError) as error:
        validate_clabe(clabe)
    assert says in error.value.messages[0]
