"""Who may do what with calls and proposals: the one place that says so."""

import rules

from accounts.permissions import has_oversight_role, is_group_member, is_group_representative
from accounts.roles import StaffRole, has_role, is_staff_member
from proposals.workflow import EDITABLE_STATES, GROUP_ACTIONS


@rules.predicate
def is_coordinator(user) -> bool:
    return has_role(user, StaffRole.COORDINATOR)


@rules.predicate
def is_programme_staff(user) -> bool:
    return is_staff_member(user)


@rules.predicate
def is_member_of_proposal_group(user, proposal) -> bool:
    return is_group_member(user, proposal.group)


@rules.predicate
def is_representative_of_proposal_group(user, proposal) -> bool:
    return is_group_representative(user, proposal.group)


@rules.predicate
def proposal_is_editable(user, proposal) -> bool:
    return proposal.status in EDITABLE_STATES


can_manage_calls = is_coordinator
can_view_proposal = is_member_of_proposal_group | is_programme_staff
can_edit_proposal = is_member_of_proposal_group & proposal_is_editable

rules.add_perm("proposals.manage_calls", can_manage_calls)
rules.add_perm("proposals.edit_proposal", can_edit_proposal)


def can_apply(user, proposal, action: str) -> bool:
    """The group's representative submits, resubmits and withdraws; coordinators apply staff actions.
    Outcomes (assembly, review, selection) are checked by the services that record them."""
    if action in GROUP_ACTIONS:
        return is_representative_of_proposal_group(user, proposal)
    return is_coordinator(user)


@rules.predicate
def is_technical_reviewer(user) -> bool:
    return has_role(user, StaffRole.TECHNICAL_REVIEWER)


can_review_queue = is_coordinator | has_oversight_role
can_comment_internally = is_programme_staff


# What of a technical review each reader sees; which reviews they see is TechnicalReview.objects.visible_to.
# The group reads the verdict meant for it. Staff who read the proposal (secretary, finance, the other
# reviewers, Committee members) read the submitted verdict with the adjusted cost and the site-visit
# photos the Committee scores on, but not the checklist notes or the internal notes. The author,
# coordination and audit read everything, drafts included.
REVIEW_VERDICT_FIELDS = frozenset({"result", "observations", "reasons", "submitted_at"})
REVIEW_STAFF_FIELDS = REVIEW_VERDICT_FIELDS | {"id", "reviewer", "status", "adjusted_cost", "site_visit_on", "photos"}
REVIEW_ALL_FIELDS = REVIEW_STAFF_FIELDS | {"checklist", "internal_notes", "version"}


def review_fields_for(user, review) -> frozenset[str]:
    if user is None or not user.is_authenticated:
        return frozenset()
    if review.reviewer_id == user.pk or has_oversight_role(user):
        return REVIEW_ALL_FIELDS
    if review.status != "submitted":
        return frozenset()
    return REVIEW_STAFF_FIELDS if is_staff_member(user) else REVIEW_VERDICT_FIELDS
