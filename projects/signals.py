"""Signals projects sends so that higher apps react without being imported (the start pages tell staff
what waits for them)."""

from django.dispatch import Signal

# Sent inside the transaction of every step on a project's timeline, after its event row is written.
# Arguments: project, action (the event's action: a ProjectAction, or a recorded step such as
# "account_registered" or "tranche_request"), actor.
project_step = Signal()
