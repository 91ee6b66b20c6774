"""Holding a task in the middle, reliably: another connection takes an ACCESS EXCLUSIVE lock on a table the
task writes or reads halfway through, so the task starts, does its first part, and waits there — its
backend shows in pg_stat_activity as waiting for the lock — until it is killed or the lock is let go."""

import time
from contextlib import contextmanager

import psycopg
from django.core.management.base import CommandError
from django.db import connection


@contextmanager
def table_locked(table: str):
    """The table locked in a transaction of a connection of its own; rolled back on leaving."""
    holder = psycopg.connect(**connection.get_connection_params())
    try:
        holder.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')  # noqa: S608 (our own table names)
        yield holder
    finally:
        holder.rollback()
        holder.close()


def waiting_on(table: str) -> list[int]:
    """Backends (other than ours) waiting for a lock while running a statement that contains `table` (a table's
    name, or a statement's start such as 'INSERT INTO "notifications_notice"')."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid() "
                       "AND query ILIKE %s", [f"%{table}%"])
        return [row[0] for row in cursor.fetchall()]


def wait_for_waiter(table: str, seconds: float = 60) -> list[int]:
    """Until a task waits on `table` (see waiting_on): that task is then in the middle."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pids := waiting_on(table):
            return pids
        time.sleep(0.1)
    raise CommandError(f"No task came to wait on {table} within {seconds:.0f} s: is the worker consuming the queue?")


def wait_gone(pids: list[int], seconds: float = 60) -> None:
    """Until the killed task's backends have ended (rolled back): what they wrote is then settled."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [pids])
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.1)
    raise CommandError(f"The killed task's database sessions {pids} did not end within {seconds:.0f} s.")
