"""The load test's three checks, run in turn against one gunicorn (see the loadtest command):

1. load: N clients of mixed reads and writes for S seconds, with a real worker on the broker; no 5xx, no
   lost write;
2. the worker killed mid-task (nicp/scale/faults.py): no reminder lost or doubled, no half report served;
3. PostgreSQL restarted under load (nicp/scale/faults_postgres.py): the application recovers by itself.
"""

import threading
import time
from dataclasses import dataclass

from nicp.scale.load_clients import run_clients
from nicp.scale.load_stats import KindFigures, Tally
from nicp.scale.load_world import World
from nicp.scale.load_writes import WriteLog


@dataclass
class LoadFigures:
    seconds: float
    rows: list[KindFigures]
    server_errors: int
    connection_errors: int
    writes: int


def load_run(*, port: int, world: World, clients: int, seconds: float, writes: WriteLog) -> LoadFigures:
    tally = Tally()
    stop = threading.Event()
    start = time.monotonic()
    threads = run_clients(port=port, world=world, clients=clients, stop=stop, tally=tally, writes=writes)
    try:
        time.sleep(seconds)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    elapsed = time.monotonic() - start
    return LoadFigures(seconds=elapsed, rows=tally.figures(elapsed), server_errors=tally.server_errors,
                       connection_errors=tally.connection_errors, writes=writes.total)
