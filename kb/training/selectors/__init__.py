"""Reads for training: who must read what, and in which state each (person, article) item is.

Nothing about progress is stored. An item's state is computed from four facts read in bulk:
the assignments (team assignments resolved against the team's members *now*), the person's latest
acknowledgment of the article, the article's material publications and the due date. The rules
(docs/training.md):

- ``done``: the person acknowledged the published version, or an earlier version and no *material*
  publication with a version above theirs (and up to the published one) happened since;
- ``reack``: they acknowledged an earlier version and a material publication came after it;
- ``overdue``: not acknowledged at all and the due date is before today (``settings.TIME_ZONE``);
- ``todo``: everything else.

Every grid here takes a constant number of queries whatever the number of people or articles.

Modules: ``rules`` (the state rule and the item), ``facts`` (bulk reads), ``reading`` (one person),
``grid`` (many people), ``lists`` (reading lists). Import from ``kb.training.selectors``.
"""

from kb.training.selectors.facts import assignments_covering, covering_assignments
from kb.training.selectors.grid import (
    Cell,
    Grid,
    GridRow,
    assignment_progress,
    build_grid,
    reading_list_grid,
    team_grid,
    visible_assignments,
)
from kb.training.selectors.lists import list_articles, lists_articles, reading_lists
from kb.training.selectors.reading import (
    PanelFacts,
    all_open_items,
    attention_counts,
    my_reading,
    panel_facts,
)
from kb.training.selectors.rules import (
    DONE,
    OVERDUE,
    REACK,
    REMINDER_WINDOW_DAYS,
    STATE_LABELS,
    STATE_ORDER,
    TODO,
    ReadingItem,
    item_state,
    needs_reack,
    reack_threshold,
    state_for,
    training_today,
)

__all__ = [
    "DONE",
    "OVERDUE",
    "REACK",
    "REMINDER_WINDOW_DAYS",
    "STATE_LABELS",
    "STATE_ORDER",
    "TODO",
    "Cell",
    "Grid",
    "GridRow",
    "PanelFacts",
    "ReadingItem",
    "all_open_items",
    "assignment_progress",
    "assignments_covering",
    "attention_counts",
    "build_grid",
    "covering_assignments",
    "item_state",
    "list_articles",
    "lists_articles",
    "my_reading",
    "needs_reack",
    "panel_facts",
    "reack_threshold",
    "reading_list_grid",
    "reading_lists",
    "state_for",
    "team_grid",
    "training_today",
    "visible_assignments",
]
