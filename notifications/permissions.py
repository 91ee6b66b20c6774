"""Who may see what of the reminders: the one place that says so."""

import rules

from accounts.permissions import has_oversight_role

# Coordination follows every reminder (a missing one is visible before anyone complains); audit reads it.
can_see_reminders = has_oversight_role

rules.add_perm("notifications.see_reminders", can_see_reminders)
