"""`--reset`: delete the tagged data and nothing else, the big leaf tables first (so the cascades that follow
have little left to collect), then projects, proposals, calls, groups and people."""

from collections import Counter

from accounts.models import CommunityGroup, User
from nicp.scale.seed_tag import GROUP_PREFIX, scale_calls, scale_people_filter
from projects.models import CommitteeSeat, Expense, LogbookEntry, Project, ProjectCodeCounter, ProjectEvent
from proposals.models import Proposal, ProposalEvent


def reset(say) -> dict[str, int]:
    calls = list(scale_calls())
    years = [call.fiscal_year for call in calls]
    deleted: Counter = Counter()
    steps = [
        ("expenses", Expense.objects.filter(project__call__in=calls)),
        ("logbook", LogbookEntry.objects.filter(project__call__in=calls).order_by("-pk")),
        ("project events", ProjectEvent.objects.filter(project__call__in=calls)),
        ("committee seats", CommitteeSeat.objects.filter(project__call__in=calls)),  # their election is protected
        ("projects", Project.objects.filter(call__in=calls)),
        ("proposal events", ProposalEvent.objects.filter(proposal__call__in=calls)),
        ("proposals", Proposal.objects.filter(call__in=calls)),
        ("calls", scale_calls()),
        ("groups", CommunityGroup.objects.filter(name__startswith=GROUP_PREFIX)),
        ("people", User.objects.filter(scale_people_filter())),
    ]
    for label, rows in steps:
        _total, per_model = rows.delete()
        deleted.update(per_model)
        say(f"  {label}: deleted")
    if years:  # no real call holds these years (the generator refuses to run otherwise)
        ProjectCodeCounter.objects.filter(year__in=years).delete()
    return dict(deleted)
