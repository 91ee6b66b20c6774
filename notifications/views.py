from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notifications.models import Notice
from notifications.services import notice_mark_read


@login_required
def inbox(request):
    """The person's notices, newest first. What a page shows counts as read: the new ones stay
    highlighted on this page only."""
    page = Paginator(Notice.objects.filter(recipient=request.user), 30).get_page(request.GET.get("page"))
    new = [notice.pk for notice in page.object_list if notice.read_at is None]
    if new:
        notice_mark_read(user=request.user, notice_ids=new)
    return render(request, "notifications/inbox.html", {"page": page, "new_count": len(new)})


@login_required
@require_POST
def mark_all_read(request):
    notice_mark_read(user=request.user)
    return redirect("notifications:inbox")
