"""Relations a client sets (an id in a form or an API payload), looked up only among what the actor may choose.

A foreign key accepted from anyone's queryset tells a prober which ids exist and, once saved, shows them what
is behind them. Every writable relation uses one of these fields instead: its queryset is built per request from
the actor (`choosable(actor, owner)`, where owner is the form or the serializer's instance), and a missing id and
a forbidden one get the same answer. Built without an actor, the choice is empty: closed by default.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from nicp.bounds import plausible_id

NOT_FOUND = _("No existe o no tienes acceso.")


class ChoosableRelatedField(serializers.PrimaryKeyRelatedField):
    """An API id field whose choices are `choosable(user, instance)` for the request's user."""

    default_error_messages = {"does_not_exist": NOT_FOUND, "incorrect_type": NOT_FOUND}

    def __init__(self, *, model, choosable, **kwargs):
        self.choosable = choosable
        # An empty queryset of the model: the schema knows the id's type; lookups go through get_queryset.
        super().__init__(queryset=model._default_manager.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.queryset
        instance = getattr(self.root, "instance", None)
        return self.choosable(user, instance)

    def to_internal_value(self, data):
        number = plausible_id(data)
        if number is None:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(number)


class ChoosableModelChoiceField(forms.ModelChoiceField):
    """A form select whose options are `choosable(actor, form)`; bound by ActorBoundForm."""

    default_error_messages = {"invalid_choice": NOT_FOUND}

    def __init__(self, *, model, choosable, **kwargs):
        from nicp.choices import EMPTY_LABEL

        self.choosable = choosable
        kwargs.setdefault("empty_label", EMPTY_LABEL)
        super().__init__(queryset=model._default_manager.none(), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if plausible_id(value) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ChoosableModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    default_error_messages = {"invalid_choice": NOT_FOUND, "invalid_pk_value": NOT_FOUND}

    def __init__(self, *, model, choosable, **kwargs):
        self.choosable = choosable
        super().__init__(queryset=model._default_manager.none(), **kwargs)

    def _check_values(self, value):
        if any(plausible_id(pk) is None for pk in value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super()._check_values(value)


CHOOSABLE_FORM_FIELDS = (ChoosableModelChoiceField, ChoosableModelMultipleChoiceField)


class ActorBoundForm:
    """Mixin for forms and model forms: takes `actor=` and binds every choosable field's options to it.

    Subclasses that need more context (the group, the call) set it as attributes before calling
    super().__init__, so `choosable(actor, form)` can read it.
    """

    def __init__(self, *args, actor, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, CHOOSABLE_FORM_FIELDS):
                field.queryset = field.choosable(actor, self) if actor is not None else field.queryset.none()
