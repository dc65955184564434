"""Training pages: My reading, the acknowledge panel, the trainer dashboard, grids and CSV.

Views are thin: look up through access/selectors, call one service, render. Domain errors become
form errors on the same page; 404 for anything the caller may not read.

Modules: ``reading`` (a reader's pages), ``manage`` (the trainer's), ``grid`` (progress and CSV).
"""

from kb.training.views.grid import grid
from kb.training.views.manage import (
    assign,
    assignment_delete,
    assignment_detail,
    dashboard,
    list_create,
    list_delete,
    list_detail,
    list_items,
)
from kb.training.views.reading import (
    acknowledge,
    acknowledge_panel,
    my_reading,
    quiz,
    reack_changes,
    reading_banner,
)

__all__ = [
    "acknowledge",
    "acknowledge_panel",
    "assign",
    "assignment_delete",
    "assignment_detail",
    "dashboard",
    "grid",
    "list_create",
    "list_delete",
    "list_detail",
    "list_items",
    "my_reading",
    "quiz",
    "reack_changes",
    "reading_banner",
]
