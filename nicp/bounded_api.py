"""Serializer fields that carry the programme's bounds (nicp.bounds): the API's side of the same limits."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from nicp import bounds


def money(*, min_value=Decimal("0"), max_value=bounds.PROPOSAL_AMOUNT_MAX, **kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, min_value=min_value, max_value=max_value,
                                    **kwargs)


def count(*, min_value=0, max_value=bounds.PEOPLE_MAX, **kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=min_value, max_value=max_value, **kwargs)


def version() -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=1, max_value=bounds.VERSION_MAX)


def record_id(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=bounds.ID_MAX, **kwargs)


def plausible_date(**kwargs) -> serializers.DateField:
    return serializers.DateField(validators=[bounds.plausible_date], **kwargs)


def plausible_datetime(**kwargs) -> serializers.DateTimeField:
    return serializers.DateTimeField(validators=[bounds.plausible_date], **kwargs)


def list_cap(limit: int) -> dict:
    """Keyword arguments that cap a nested list (`many=True`) with the cap in the message."""
    return {"max_length": limit, "error_messages": {"max_length": bounds.too_many_message(limit)}}


class BoundedDictField(serializers.DictField):
    """A JSON object with at most max_items keys, refused before its values are read."""

    def __init__(self, *, max_items: int, **kwargs):
        self.max_items = max_items
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, dict) and len(data) > self.max_items:
            raise serializers.ValidationError(bounds.too_many_message(self.max_items), code="too_many")
        return super().to_internal_value(data)


class BoundedListField(serializers.ListField):
    default_error_messages = {"max_length": _("Se admiten como máximo {max_length} elementos.")}
