"""The start page's panels, in the order shown. A person with several roles sees each that applies."""

from dashboard.panels import committee, coordinator, finance, group, oversight, projects, reviewer
from dashboard.panels.base import Panel

PANELS: list[Panel] = [
    projects.COMMUNITY_PANEL,  # a committee's project before the group's proposals: it has money waiting
    group.PANEL,
    coordinator.PANEL,
    projects.COORDINATOR_PANEL,
    reviewer.PANEL,
    committee.SECRETARY_PANEL,
    committee.MEMBER_PANEL,
    oversight.FINANCE_PANEL,
    finance.PANEL,
    oversight.AUDITOR_PANEL,
]


def panels_for(user, roles, today) -> list[tuple[Panel, dict]]:
    return [(panel, panel.build(user, today)) for panel in PANELS if panel.applies(user, roles)]
