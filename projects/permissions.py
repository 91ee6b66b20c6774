"""Who may do what with a funded project: the one place that says so.

Community committee roles hold for one project only, and only while the seat lasts and once the elected
person accepted it. Staff act by role, except on a project they have a community link to (a member of
its proposing group, or elected to one of its committees): there they are recused and act on nothing."""

import rules

from accounts.roles import StaffRole, has_role
from projects.models import CommitteeKind, CommitteeSeat, Project


def seat_of(user, project: Project, *kinds: str) -> CommitteeSeat | None:
    if not (user and user.is_authenticated):
        return None
    seats = project.seats.filter(user=user, ended_at__isnull=True, accepted_at__isnull=False)
    if kinds:
        seats = seats.filter(committee__in=kinds)
    return seats.first()


def is_linked_to(user, project: Project) -> bool:
    """A community link that recuses staff from acting on the project."""
    if not (user and user.is_authenticated):
        return False
    return (project.group.memberships.filter(user=user).exists()
            or project.seats.filter(user=user, ended_at__isnull=True).exists())


@rules.predicate
def is_coordinator(user) -> bool:
    return has_role(user, StaffRole.COORDINATOR)


@rules.predicate
def is_finance(user) -> bool:
    return has_role(user, StaffRole.FINANCE_OFFICER)


@rules.predicate
def is_unlinked(user, project) -> bool:
    return not is_linked_to(user, project)


@rules.predicate
def is_administration(user, project) -> bool:
    return seat_of(user, project, CommitteeKind.ADMINISTRATION) is not None


@rules.predicate
def is_auditor(user) -> bool:
    return has_role(user, StaffRole.AUDITOR)


@rules.predicate
def watches_the_money(user, project) -> bool:
    return seat_of(user, project, CommitteeKind.ADMINISTRATION, CommitteeKind.SUPERVISION) is not None


@rules.predicate
def is_supervision(user, project) -> bool:
    return seat_of(user, project, CommitteeKind.SUPERVISION) is not None


@rules.predicate
def is_committee_member(user, project) -> bool:
    return seat_of(user, project) is not None


can_manage_project = is_coordinator & is_unlinked          # elections, members, suspension, tranche approval
can_handle_money = is_finance & is_unlinked                # accounts, ministry signature, releases
can_register_account = is_administration
can_request_tranche = is_administration
can_upload_signed_agreement = is_administration | can_manage_project
can_generate_agreement = can_manage_project | can_handle_money
# Execution: the administration committee spends and reports, supervision endorses, finance verifies.
can_record_expense = is_administration
can_endorse = is_supervision
can_verify_expense = can_handle_money
can_report_progress = is_administration
# The logbook is written by the committees and by the staff who follow the works.
can_write_logbook = is_committee_member | ((is_coordinator | is_finance) & is_unlinked)
can_record_visit = can_manage_project
can_answer_observation = is_administration | is_supervision
can_publish_photo = can_manage_project                    # staff choose what the public pages show
can_publish_logbook_entry = can_publish_photo
can_publish_receipt = can_publish_photo
can_publish_document = can_publish_photo
can_generate_handover = can_manage_project
can_upload_handover = is_administration | can_manage_project
can_record_accountability = is_administration | can_manage_project
can_record_refund = can_handle_money
can_edit_project_rules = is_coordinator                   # the call's rules for its funded projects
# The account's proof holds the full CLABE: the staff who check or audit it and the two committees that
# run and watch the money; not the group or the community development committee.
can_view_account_proof = is_finance | is_coordinator | is_auditor | watches_the_money


def can_see_full_clabe(user, project) -> bool:
    """The CLABE is masked for everyone but finance (who verifies it and sends the money)."""
    return bool(is_finance(user))
