"""People elected to a project's committees read the proposal behind it (registered with
proposals.visibility, which never imports projects). Staff never sit on a community committee, so the
subquery is added for residents only and staff reads keep their plans."""

from django.db.models import Q

from proposals.visibility import register_readers


@register_readers
def elected_committee_readers(user, roles) -> Q | None:
    if roles:
        return None
    from projects.models import Project

    return Q(pk__in=Project.objects.filter(seats__user=user, seats__ended_at__isnull=True).values("proposal_id"))
