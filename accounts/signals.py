"""Signals sent by accounts, so that what depends on a person's credentials can react."""

from django.dispatch import Signal

# Sent after a saved user's password changed (any path: allauth, the admin, set_password) or the
# account was deactivated. Arguments: user. accounts.tokens revokes the person's API tokens.
credentials_changed = Signal()
