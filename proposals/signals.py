"""Signals proposals sends so that higher apps react to a proposal's changes without being imported
(a selected proposal that withdraws frees a Committee place)."""

from django.dispatch import Signal

# Sent inside the transaction of every workflow action, after the event is written. Arguments:
# proposal (already in its new state), action, source (the state it left), actor.
proposal_transitioned = Signal()
