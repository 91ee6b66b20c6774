from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from nicp.pagination import KeysFirstPaginator
from notifications import reminder_pages
from notifications.forms import OPTED_OUT, UPCOMING, ReminderFilterForm
from notifications.models import Notice
from notifications.permissions import can_see_reminders
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


PAGE_SIZE = 50


@login_required
def reminders(request):
    """Coordination's view of the reminders: what exists, what the next sweeps will send, what was sent."""
    if not can_see_reminders(request.user):
        raise PermissionDenied
    form = ReminderFilterForm(request.GET, user=request.user)
    context = {"form": form, "catalogue": reminder_pages.catalogue_rows(), "days": reminder_pages.UPCOMING_DAYS}
    if not form.is_valid():
        return render(request, "notifications/reminders.html", context, status=400)
    kind, call_id, state = (form.cleaned_data[name] for name in ("kind", "call", "state"))
    if state in ("", UPCOMING, OPTED_OUT):
        planned = reminder_pages.upcoming_planned(timezone.localdate(), kind=kind, call_id=call_id,
                                                  opted_out_only=state == OPTED_OUT)
        # Alone, the upcoming list pages; beside the sent one it shows its first page and how many follow.
        shown = Paginator(planned, PAGE_SIZE).get_page(request.GET.get("page") if state == UPCOMING else 1)
        context.update(show_upcoming=True, upcoming=shown,
                       upcoming_rows=reminder_pages.upcoming_rows(list(shown.object_list)))
    if state != UPCOMING:
        logs = reminder_pages.sent_log(request.user, kind=kind, call_id=call_id, status=state)
        sent = KeysFirstPaginator(logs, PAGE_SIZE).get_page(request.GET.get("page"))
        reminder_pages.label_sent(sent.object_list)
        context.update(show_sent=True, sent=sent, opted_out=state == OPTED_OUT)
    return render(request, "notifications/reminders.html", context)
