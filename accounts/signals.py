"""Signals accounts sends so that higher apps can react to who belongs to a community group
(the Committee recuses members in conflict of interest) without accounts importing them."""

from django.dispatch import Signal

# Sent inside the transaction that changed a group's membership, so a receiver's writes commit or roll
# back with it. Arguments: group (CommunityGroup), user (the person who joined or took a role), action
# (a GroupAction code: "created", "joined", "handed_over").
membership_changed = Signal()
