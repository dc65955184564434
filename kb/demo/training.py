"""Demo reading lists, assignments and acknowledgments: filled in by the training engineer
(issue 5, point 9).

``kb.demo.loader`` calls ``load_training(ctx)`` after the knowledge base exists. Replace the body
with two reading lists, assignments to a team with mixed progress and one material change waiting
for re-acknowledgment, created through ``kb.training.services`` and drawn from ``ctx.rng``.
"""

from __future__ import annotations

from kb.demo.context import DemoContext


def load_training(ctx: DemoContext) -> None:
    """Add demo reading lists and assignments (training engineer). Does nothing until they fill it."""
    return None
