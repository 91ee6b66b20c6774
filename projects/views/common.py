"""What every project page shares: reading a project the person may see, and putting service errors back
next to the fields that caused them."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from projects.models import Project


def project_for(user, pk) -> Project:
    """The project, if this person may see it; 404 otherwise (missing and forbidden look the same)."""
    return get_object_or_404(Project.objects.visible_to(user).for_list(), pk=pk)


def apply_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
