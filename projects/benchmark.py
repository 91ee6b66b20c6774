"""Finance's expense verification queue read two ways (a plain OFFSET, or the page's ids first): the
index tests of tests/projects/test_benchmark_works.py compare them. The pages themselves are measured by
the one benchmark (manage.py benchmark, nicp/scale/cases.py).
"""

from collections.abc import Callable

from django.core.paginator import Paginator

from accounts.models import User
from accounts.services import role_grant
from projects.models import Expense

PAGE_SIZE = 25  # the list page's


def staff(email: str, role: str) -> User:
    user, _created = User.objects.get_or_create(email=email)
    role_grant(user=user, role=role)
    return user


def expense_queue_reads(user, *, page=1, ids_first=False) -> Callable[[], None]:
    """Finance's verification queue: endorsed expenses of the projects it reads, oldest first, one page.
    `ids_first` pages the ids alone (an index-only scan of expense_to_verify) and then reads those rows
    with their joins: deep in a long queue the plain OFFSET makes PostgreSQL join and sort the whole queue."""
    def run():
        rows = Expense.objects.visible_to(user).to_verify()
        if ids_first:
            ids = list(Paginator(rows.values_list("id", flat=True), PAGE_SIZE).get_page(page).object_list)
            return list(Expense.objects.filter(pk__in=ids).for_list().order_by("updated_at", "id"))
        return list(Paginator(rows.for_list(), PAGE_SIZE).get_page(page).object_list)
    return run
