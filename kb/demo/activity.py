"""Demo tickets and resolutions: filled in by the tickets/metrics engineer (issue 4, point 8).

``kb.demo.loader`` calls ``load_activity(ctx)`` after the knowledge base (users, teams,
categories, articles) exists. Replace the body with a few hundred tickets and resolutions over
the last 60 days, created through ``kb.tickets.services`` and drawn from ``ctx.rng`` so the
demo is repeatable.
"""

from __future__ import annotations

from kb.demo.context import DemoContext


def load_activity(ctx: DemoContext) -> None:
    """Add demo tickets and resolutions (tickets engineer). Does nothing until they fill it."""
    return None
