"""The CLABE (Clave Bancaria Estandarizada): 18 digits, the last a check digit over the first 17 with
weights 3, 7, 1 repeated (Banco de México's rule)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (3, 7, 1) * 6


def clabe_check_digit(first17: str) -> int:
    total = sum((int(digit) * weight) % 10 for digit, weight in zip(first17, WEIGHTS, strict=False))
    return (10 - total % 10) % 10


def normalise_clabe(value: str) -> str:
    """People copy a CLABE with spaces or dashes; the digits are what count."""
    return "".join(ch for ch in str(value) if ch not in " -\u00a0")


def validate_clabe(value: str) -> None:
    clabe = normalise_clabe(value)
    if not clabe:
        raise ValidationError(_("Escribe la CLABE: 18 dígitos."), code="clabe_missing")
    if not (clabe.isascii() and clabe.isdigit()):
        raise ValidationError(_("La CLABE lleva solo números (18 dígitos), sin letras."), code="clabe_digits")
    if len(clabe) != 18:
        raise ValidationError(_("La CLABE tiene 18 dígitos; escribiste %(n)d.") % {"n": len(clabe)},
                              code="clabe_length")
    if clabe_check_digit(clabe[:17]) != int(clabe[17]):
        raise ValidationError(_("La CLABE no es válida: su dígito verificador no coincide. Revísala en tu "
                                "estado de cuenta."), code="clabe_check_digit")
