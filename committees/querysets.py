from django.db import models


class CommitteeMemberQuerySet(models.QuerySet):
    def needing_scoring_reminder(self, windows):
        """Members of a Committee still scoring (no session opened) whose call's session date falls in a
        window, annotated with `missing`: the proposals before the Committee they are not recused from and
        have not submitted a sheet for; only those with some missing. One query, whatever the rows."""
        from django.db.models.functions import Coalesce

        from committees.models import Recusal, ScoreSheet, Session
        from proposals.models import Proposal
        from proposals.workflow import ProposalState

        recused = Recusal.objects.filter(member_id=models.OuterRef(models.OuterRef("pk")),
                                         proposal_id=models.OuterRef("pk"))
        sheet_in = ScoreSheet.objects.filter(member_id=models.OuterRef(models.OuterRef("pk")),
                                             proposal_id=models.OuterRef("pk"), status=ScoreSheet.Status.SUBMITTED)
        missing = (Proposal.objects.filter(call_id=models.OuterRef("committee__call_id"),
                                           status=ProposalState.SHORTLISTED)
                   .exclude(models.Exists(recused)).exclude(models.Exists(sheet_in))
                   .order_by().values("call_id").annotate(n=models.Count("pk")).values("n"))
        in_window = models.Q(pk__in=[])
        for window in windows:
            in_window |= models.Q(committee__call_id__in=window.call_ids,
                                  committee__call__committee_date__range=(window.low, window.high))
        return (self.filter(in_window)
                .exclude(models.Exists(Session.objects.filter(committee_id=models.OuterRef("committee_id"))))
                .annotate(missing=Coalesce(models.Subquery(missing), 0)).filter(missing__gt=0))
