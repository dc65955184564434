"""The shapes of demo data (kept apart from the data so text modules can import them)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    teams: tuple[str, ...]
    password: str | None  # None: cannot sign in (fills teams for training and metrics only)
    note: str = ""

    @property
    def email(self) -> str:
        return f"{self.username}@demo.kb.example"


@dataclass(frozen=True)
class DemoCategory:
    code: str
    name: str
    description: str

    @property
    def parent(self) -> str | None:
        return self.code.rpartition(".")[0] or None


@dataclass(frozen=True)
class Revision:
    """One later version of an article.

    ``days_ago``: when it was saved, relative to the demo's "now".
    ``publish``: ``"material"`` or ``"minor"`` publishes it; ``None`` leaves it unpublished.
    """

    author: str
    note: str
    days_ago: float
    edits: tuple[tuple[str, str], ...] = ()
    append: str = ""
    title: str | None = None
    summary: str | None = None
    categories: tuple[str, ...] | None = None
    tags: tuple[str, ...] | None = None
    publish: str | None = "minor"
    publish_note: str = ""


@dataclass(frozen=True)
class DemoArticle:
    """An article as the demo wants it to end up.

    ``final``: ``published`` (the last published revision is live), ``draft`` (never published),
    ``in_review`` (the latest version is submitted for review), ``archived``.
    ``reviewed_days_ago``: when its owner last marked it reviewed; ``None`` lets the loader pick a
    recent date. An article is stale when that is longer ago than ``review_interval_days``.
    """

    key: str
    title: str
    kind: str
    summary: str
    body: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    owner: str
    teams: tuple[str, ...] = ()
    created_days_ago: float = 150
    publish_v1: bool = True
    revisions: tuple[Revision, ...] = field(default_factory=tuple)
    final: str = "published"
    review_interval_days: int = 90
    reviewed_days_ago: float | None = None


# ---------------------------------------------------------------------------------------------
# teams and people

SG = "SG Creator Support"
JKT = "Jakarta Live Safety"
MINORS = "Minor Safety Escalations"
LEGAL = "Legal Response"

TEAMS: tuple[str, ...] = (SG, JKT, MINORS, LEGAL)
