"""Signals accounts sends, so that what depends on people and groups can react without accounts
importing it: the Committee recuses members in conflict of interest; API tokens are revoked."""

from django.dispatch import Signal

# Sent inside the transaction that changed a group's membership, so a receiver's writes commit or roll
# back with it. Arguments: group (CommunityGroup), user (the person who joined or took a role), action
# (a GroupAction code: "created", "joined", "handed_over").
membership_changed = Signal()

# Sent after a saved user's password changed (any path: allauth, the admin, set_password) or the
# account was deactivated. Arguments: user. accounts.tokens revokes the person's API tokens.
credentials_changed = Signal()
