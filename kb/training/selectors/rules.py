"""THE reading rule: the state of one (person, article) item, and the item itself (docs/training.md)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from kb.articles.models import Article

TODO, DONE, OVERDUE, REACK = "todo", "done", "overdue", "reack"
STATE_LABELS = {TODO: "To do", DONE: "Done", OVERDUE: "Overdue", REACK: "Read again"}
# Order on "My reading": what needs attention first.
STATE_ORDER = {REACK: 0, OVERDUE: 1, TODO: 2, DONE: 3}
REMINDER_WINDOW_DAYS = 2


def training_today() -> date:
    """Today in ``settings.TIME_ZONE``: due dates are calendar days there."""
    return timezone.localdate()


def reack_threshold(published: int, material_versions: Iterable[int]) -> int:
    """The highest material version readers can see now (0 if none): acknowledging anything below
    it means the person must read again."""
    return max((m for m in material_versions if m <= published), default=0)


def needs_reack(acknowledged: int, published: int, material_versions: Iterable[int]) -> bool:
    """True when a material publication lies after the acknowledged version, up to the published one."""
    return acknowledged < reack_threshold(published, material_versions)


def state_for(
    acknowledged: int | None, threshold: int, due: date | None, today: date, quiz_pending: bool = False
) -> str:
    """THE rule (see the module docstring), given the article's ``reack_threshold``."""
    if acknowledged is not None:
        if acknowledged < threshold:
            return REACK
        if not quiz_pending:
            return DONE
    if due is not None and due < today:
        return OVERDUE
    return TODO


def item_state(
    *,
    acknowledged: int | None,
    published: int,
    material_versions: Iterable[int],
    due: date | None,
    today: date,
    quiz_pending: bool = False,
) -> str:
    """The state of one (person, article) item; see the module docstring."""
    return state_for(acknowledged, reack_threshold(published, material_versions), due, today, quiz_pending)


@dataclass(slots=True)
class ReadingItem:
    """One article one person must (re-)read, with its computed state."""

    user_id: int
    article: Article
    due: date | None
    state: str
    acknowledged_version: int | None = None
    acknowledged_at: datetime | None = None
    assignment_ids: Sequence[int] = ()
    notes: Sequence[str] = ()
    quiz_pending: bool = False
    changes: list[dict[str, Any]] | None = None  # the re-read diff, filled in by the My reading page

    @property
    def published_version(self) -> int:
        return int(self.article.published_version or 0)

    @property
    def needs_reack(self) -> bool:
        return self.state == REACK

    @property
    def is_done(self) -> bool:
        return self.state == DONE

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def diff_url(self) -> str | None:
        """What changed since the version this person acknowledged (only for re-reading)."""
        if self.state != REACK or self.acknowledged_version is None:
            return None
        return (
            reverse("articles:diff", args=[self.article.slug])
            + f"?from={self.acknowledged_version}&to={self.published_version}"
        )
