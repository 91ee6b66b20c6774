"""The cycle's apps depend downward only: a lower app never imports a higher one (it sends a signal or
calls a hook the higher app registers). The kernel's modules import no domain app but the roles they
check; URLs (and the sitemap, which indexes them), settings and the demo and benchmark commands sit above
everything by nature."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

RANK = {"accounts": 0, "neighbourhoods": 0, "notifications": 0, "proposals": 1, "committees": 2, "projects": 3,
        "reports": 4, "dashboard": 5}
ROOT = Path(settings.BASE_DIR)
KERNEL_EXEMPT = {"urls.py", "api_urls.py", "public_index.py", "seed_demo.py", "seed_scale.py", "benchmark.py"}
# The large dataset and the benchmark reach every app (nicp/scale/): above everything, like the demo.
KERNEL_EXEMPT_DIRS = {"scale"}
# nicp/readonly.py checks the read-only role; the header shows the unread notices.
KERNEL_ALLOWED = {"accounts", "notifications"}
# Modules of an app that sit above everything (none since the one benchmark moved to nicp/scale/).
ABOVE_EVERYTHING: set[str] = set()


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
    return names & set(RANK)


def sources(app: str):
    return [p for p in (ROOT / app).rglob("*.py")
            if "migrations" not in p.parts and p.relative_to(ROOT).as_posix() not in ABOVE_EVERYTHING]


@pytest.mark.parametrize("app", sorted(RANK))
def test_an_app_never_imports_a_higher_one(app):
    wrong = [f"{path.relative_to(ROOT)} imports {other}" for path in sources(app)
             for other in imported_apps(path) if RANK[other] > RANK[app]]
    assert not wrong, wrong


def test_the_kernel_imports_no_domain_app():
    wrong = [f"{path.relative_to(ROOT)} imports {other}" for path in sources("nicp")
             if path.name not in KERNEL_EXEMPT and not KERNEL_EXEMPT_DIRS & set(path.parts)
             for other in imported_apps(path) - KERNEL_ALLOWED]
    assert not wrong, wrong
