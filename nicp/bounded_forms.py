"""Form fields and formsets that carry the programme's bounds (nicp.bounds), so every form inherits them."""

from decimal import Decimal

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from nicp import bounds


class FiniteDecimalField(forms.DecimalField):
    """A decimal that refuses NaN and infinities as it parses them: Django's own field lets a signalling
    NaN ("sNaN") through to_python, and comparing it (has_changed) raises instead of giving a form error."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not value.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


def limit_messages(min_value, max_value, places: int) -> dict:
    """Bound errors that say the rule in words, with the limit written as people write figures
    ("100,000,000.00"), rather than Django's "menor o igual a 100000000.00"."""
    def figure(value):
        return f"{value:,.{places}f}"
    messages = {"max_value": format_lazy(_("Escribe una cifra de hasta {limit}."), limit=figure(max_value))}
    if min_value == 0:
        messages["min_value"] = _("No puede ser negativa.")
    elif min_value is not None:
        messages["min_value"] = format_lazy(_("Escribe una cifra de {limit} o más."), limit=figure(min_value))
    return messages


class MoneyField(FiniteDecimalField):
    """Pesos with two decimals, from 0 up to a programme bound (a proposal's amount unless told)."""

    def __init__(self, *, min_value=Decimal("0"), max_value=bounds.PROPOSAL_AMOUNT_MAX, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs["error_messages"] = {**limit_messages(min_value, max_value, 2), **kwargs.get("error_messages", {})}
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


class CountField(forms.IntegerField):
    """A count of people or places: a whole number from 0 up to a programme bound."""

    def __init__(self, *, min_value=0, max_value=bounds.PEOPLE_MAX, **kwargs):
        kwargs["error_messages"] = {**limit_messages(min_value, max_value, 0), **kwargs.get("error_messages", {})}
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


class VersionField(forms.IntegerField):
    """The version the person loaded (hidden), so a stale save is refused instead of overwriting."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=bounds.VERSION_MAX, **kwargs)


class RecordIdField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=bounds.ID_MAX, **kwargs)


class PlausibleDateField(forms.DateField):
    default_validators = [bounds.plausible_date]


class PlausibleDateTimeField(forms.DateTimeField):
    default_validators = [bounds.plausible_date]


class BoundedMultipleChoiceField(forms.MultipleChoiceField):
    """A multiple choice that refuses repeated codes and more than max_choices of them."""

    def __init__(self, *, max_choices: int = bounds.MAX_CHOICES, **kwargs):
        self.max_choices = max_choices
        super().__init__(**kwargs)

    def validate(self, value):
        if len(value) > self.max_choices:
            raise forms.ValidationError(bounds.too_many_message(self.max_choices), code="too_many")
        if len(set(value)) != len(value):
            raise forms.ValidationError(_("Cada opción va una sola vez."), code="repeated")
        super().validate(value)


class BoundedIdListField(forms.Field):
    """Ids sent as a repeated field (checkboxes of a list): whole numbers, at most max_items of them."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, max_items: int, **kwargs):
        self.max_items = max_items
        super().__init__(**kwargs)

    def to_python(self, value):
        value = [value] if isinstance(value, str) else list(value or [])
        if len(value) > self.max_items:
            raise forms.ValidationError(bounds.too_many_message(self.max_items), code="too_many")
        ids = []
        for item in value:
            number = bounds.plausible_id(str(item))
            if number is None:
                raise forms.ValidationError(_("Identificador no válido: %(value)s") % {"value": str(item)[:20]},
                                            code="invalid")
            ids.append(number)
        return list(dict.fromkeys(ids))


class BoundedFormSet(forms.BaseFormSet):
    """A formset that refuses more rows than its max_num, with the cap in the message."""

    default_error_messages = {
        "too_many_forms": _("Se admiten como máximo %(num)d filas."),
        "too_few_forms": _("Se necesitan al menos %(num)d filas."),
        "missing_management_form": _("Faltan datos del formulario (ManagementForm); recarga la página."),
    }


def bounded_formset(form, *, cap: int, extra: int):
    """Rows of `form`, never more than `cap`: the same cap the API applies to the same list."""
    return forms.formset_factory(form, formset=BoundedFormSet, extra=extra, max_num=cap, absolute_max=cap,
                                 validate_max=True, can_delete=True)
