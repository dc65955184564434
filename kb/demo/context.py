"""What the demo loader hands to the apps that add their own demo data (tickets, training).

The loader builds the knowledge base first (users, teams, categories, articles through the
services), then passes one ``DemoContext`` to ``kb.demo.activity.load_activity`` and
``kb.demo.training.load_training`` so they can reference the same objects without looking
them up again, and draw from one seeded random generator so every demo load is identical.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from accounts.models import Team, User
from kb.articles.models import Article, Category


@dataclass
class DemoContext:
    """Objects created by the demo, keyed by stable names.

    - ``users``: by username (``specialist``, ``lead``, ``trainer``, ``admin`` and the extra
      specialists and lead listed in ``kb.demo.content.USERS``).
    - ``teams``: by team name (``SG Creator Support``, ``Jakarta Live Safety``,
      ``Minor Safety Escalations``, ``Legal Response``).
    - ``categories``: by ticket-category code (``ACCOUNT.LOGIN.2FA`` …).
    - ``articles``: by the article's stable demo key (``kb.demo.content.ARTICLES[i].key``,
      e.g. ``hijack-recovery``); the key never changes even if a title does.
    - ``now``: the moment the demo treats as "now" (timestamps are spread before it).
    - ``rng``: a seeded generator; use it (never ``random`` directly) so loads are repeatable.
    """

    users: dict[str, User] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    now: datetime = field(default_factory=timezone.now)
    rng: random.Random = field(default_factory=lambda: random.Random(2026))

    def specialists(self) -> list[User]:
        """Every demo specialist, in a stable order (handy for spreading tickets and reading)."""
        return sorted((u for u in self.users.values() if u.role == "specialist"), key=lambda u: u.username)

    def team_members(self, team_name: str) -> list[User]:
        """Demo users of one team, in a stable order."""
        team = self.teams[team_name]
        return sorted((u for u in self.users.values() if team in u.teams.all()), key=lambda u: u.username)
