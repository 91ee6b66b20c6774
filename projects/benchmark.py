"""What the benchmark measures for funded projects: the coordination's project list, finance's queue,
finance's expense verification queue (first and a deep page) and the expense tab of a project with many
expenses.

Each case is a page request when its route exists; before a page lands, the same reads the page makes
(the list's filter, counts per state and page; the queue's three sections), so the figures say early
whether the data's shape and indexes hold. The data comes from generate_benchmark_projects.
"""

from collections.abc import Callable, Iterator

from django.core.paginator import Paginator
from django.db.models import Count
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from accounts.roles import StaffRole
from accounts.services import role_grant
from projects.models import Agreement, BankAccount, Expense, Project, Tranche
from projects.workflow import ProjectState, TrancheState

PAGE_SIZE = 25  # the list page's
SECTION_LIMIT = 100  # rows per section of the finance queue
BOROUGH = "007"  # Iztapalapa: the borough with the most units, so the most projects


def staff(email: str, role: str) -> User:
    user, _created = User.objects.get_or_create(email=email)
    role_grant(user=user, role=role)
    return user


def route(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def list_reads(user, *, page=1, status="", borough="", mine=False) -> Callable[[], None]:
    """The project list's reads: visible rows, filters, counts per state of the filtered set, one page."""
    def run():
        rows = Project.objects.visible_to(user).for_list()
        if borough:
            rows = rows.filter(neighbourhood__borough__inegi_code=borough)
        if mine:
            rows = rows.needing_action_of(user)
        counts = dict(rows.order_by().values_list("status").annotate(n=Count("id")))
        if status:
            rows = rows.filter(status=status)
        list(Paginator(rows.order_by("-id"), PAGE_SIZE).get_page(page).object_list)
        return counts
    return run


def queue_reads(user) -> Callable[[], None]:
    """The finance queue's reads: accounts to verify, agreements to sign, tranches to release."""
    def run():
        visible = Project.objects.visible_to(user).values("pk")
        related = "project__neighbourhood__borough"
        sections = [
            BankAccount.objects.filter(project__in=visible, status=BankAccount.Status.PENDING)
            .select_related(related).order_by("registered_at", "id"),
            Agreement.objects.filter(project__in=visible, project__status=ProjectState.AGREEMENT_PENDING,
                                     ministry_signed_on__isnull=True).exclude(signed_file="")
            .select_related(related).order_by("signed_uploaded_at", "id"),
            Tranche.objects.filter(project__in=visible, status=TrancheState.APPROVED)
            .select_related(related, "approved_by").order_by("approved_at", "id"),
        ]
        for rows in sections:
            if len(list(rows[:SECTION_LIMIT + 1])) > SECTION_LIMIT:
                rows.count()
    return run


def page(client: Client, url: str) -> Callable[[], None]:
    def run():
        response = client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"{url} answered {response.status_code}")
    return run


def measure_projects() -> Iterator[tuple[str, Callable[[], None]]]:
    """(label, run) pairs: a page request where the route exists, otherwise the page's reads."""
    coordinator = staff("benchmark-coordinator@nicp.invalid", StaffRole.COORDINATOR)
    finance = staff("benchmark-finance@nicp.invalid", StaffRole.FINANCE_OFFICER)
    deep = max(1, Project.objects.count() // PAGE_SIZE * 4 // 5)
    cases = [
        ("first page", {}), (f"page {deep}", {"page": deep}),
        ("state filter", {"status": ProjectState.IN_EXECUTION}), ("borough filter", {"borough": BOROUGH}),
        ("borough + state", {"borough": BOROUGH, "status": ProjectState.IN_EXECUTION}),
        ("needs my action", {"mine": True}),
    ]
    list_url = route("projects:list")
    coordinator_client = Client()
    coordinator_client.force_login(coordinator)
    how = "page" if list_url else "reads"
    for label, filters in cases:
        if list_url:
            query = "&".join(f"{key}={'on' if value is True else value}" for key, value in filters.items())
            yield f"projects list ({how}), {label}", page(coordinator_client, f"{list_url}?{query}")
        else:
            yield f"projects list ({how}), {label}", list_reads(coordinator, **filters)
    queue_url = route("projects:finance_queue")
    finance_client = Client()
    finance_client.force_login(finance)
    if queue_url:
        yield "finance queue (page)", page(finance_client, queue_url)
    else:
        yield "finance queue (reads)", queue_reads(finance)
    if list_url:
        yield "projects list (page), finance's", page(finance_client, f"{list_url}?mine=on")
    else:
        yield "projects list (reads), finance's", list_reads(finance, mine=True)
    yield from measure_expenses()


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


def expense_tab_reads(user, project_id: int) -> Callable[[], None]:
    """A project's expense tab: its newest expenses, one page, and the spending per budget line."""
    from projects.services.expenses import budget_lines_spending

    def run():
        project = Project.objects.visible_to(user).get(pk=project_id)
        rows = Expense.objects.visible_to(user).filter(project=project).for_list().order_by("-spent_on", "-id")
        list(Paginator(rows, PAGE_SIZE).get_page(1).object_list)
        budget_lines_spending(project)
    return run


def busiest_project() -> int | None:
    """The project with the most expenses (the generator gives some 400)."""
    from django.db.models import Count

    row = (Expense.objects.order_by().values("project_id").annotate(n=Count("id")).order_by("-n").first())
    return row["project_id"] if row else None


def measure_expenses() -> Iterator[tuple[str, Callable[[], None]]]:
    """(label, run) pairs for the expense pages: the page where its route exists (projects:expense_queue,
    projects:expenses), otherwise the reads it makes, labelled with the route that is missing."""
    finance = staff("benchmark-finance@nicp.invalid", StaffRole.FINANCE_OFFICER)
    client = Client()
    client.force_login(finance)
    deep = max(1, Expense.objects.to_verify().count() // PAGE_SIZE * 4 // 5)
    queue_url = route("projects:expense_queue")
    for label, number in (("first page", 1), (f"page {deep}", deep)):
        if queue_url:
            yield f"expense queue (page), {label}", page(client, f"{queue_url}?page={number}")
        else:
            yield (f"expense queue (reads: no route projects:expense_queue yet), {label}",
                   expense_queue_reads(finance, page=number))
    # The same deep page read ids first: what the page would cost paged that way.
    yield f"expense queue (reads, ids first), page {deep}", expense_queue_reads(finance, page=deep, ids_first=True)
    busiest = busiest_project()
    if busiest is None:
        return
    many = Expense.objects.filter(project_id=busiest).count()
    tab_url = route("projects:expenses", busiest)
    if tab_url:
        yield f"expense tab (page), {many} expenses", page(client, tab_url)
    else:
        yield (f"expense tab (reads: no route projects:expenses yet), {many} expenses",
               expense_tab_reads(finance, busiest))
