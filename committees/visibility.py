"""The Committee's members read their call's proposals before the Committee or decided, except those
they are recused from (registered with proposals.visibility, which never imports committees)."""

from django.db.models import Q

from accounts.roles import StaffRole
from proposals.visibility import register_readers


@register_readers
def committee_member_readers(user, roles) -> Q | None:
    if StaffRole.COMMITTEE_MEMBER not in roles:
        return None
    from committees.models import CommitteeMember, Recusal
    from proposals.workflow import COMMITTEE_STATES

    seats = CommitteeMember.objects.filter(user=user)
    return (Q(status__in=COMMITTEE_STATES) & Q(call_id__in=seats.values("committee__call_id"))
            & ~Q(pk__in=Recusal.objects.filter(member__in=seats).values("proposal_id")))
