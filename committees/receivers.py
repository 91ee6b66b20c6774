"""What the Committee does when lower apps tell it something changed (they never import committees)."""

from django.dispatch import receiver

from accounts.signals import membership_changed
from committees import conflicts, publication
from proposals.signals import proposal_transitioned


@receiver(membership_changed, dispatch_uid="committees.recuse_on_membership_change")
def recuse_on_membership_change(sender, *, group, user, **kwargs):
    conflicts.recuse_on_membership_change(group=group, user=user)


@receiver(proposal_transitioned, dispatch_uid="committees.proposal_left_committee")
def proposal_left_committee(sender, *, proposal, action, source, actor, **kwargs):
    if publication.left_committee(source, proposal.status):
        publication.proposal_left_committee(actor=actor, proposal=proposal, source=source)
