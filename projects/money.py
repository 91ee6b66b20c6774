"""Pure money rules: splitting an approved amount into tranches, and amounts in Spanish words."""

import re
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def tranche_amounts(approved: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """Each tranche is its share of the approved amount, rounded to cents; the last takes the rounding
    remainder, so the tranches always add up to the approved amount exactly."""
    approved = to_cents(approved)
    if not shares:
        return []
    amounts = [to_cents(approved * Decimal(share) / 100) for share in shares[:-1]]
    amounts.append(approved - sum(amounts, Decimal("0")))
    return amounts


def amount_in_words(amount: Decimal) -> str:
    """The amount as Mexican documents write it: «un millón doscientos mil pesos 50/100 M.N.»."""
    from num2words import num2words

    amount = to_cents(amount)
    pesos = int(amount)
    cents = int((amount - pesos) * 100)
    words = num2words(pesos, lang="es")
    # «uno» shortens before a noun, also before «mil» and «millones»: «un peso», «veintiún mil»,
    # «doscientos un mil» (num2words writes «veintiuno mil»).
    words = re.sub(r"veintiuno(?= mil\b| millones\b|$)", "veintiún", words)
    words = re.sub(r"\buno(?= mil\b| millones\b|$)", "un", words)
    if words.endswith(("millón", "millones")):
        words += " de"  # «un millón de pesos»
    unit = "peso" if pesos == 1 else "pesos"
    return f"{words} {unit} {cents:02d}/100 M.N."
