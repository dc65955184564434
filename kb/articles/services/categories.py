"""The category tree: codes are permanent, and a parent agrees with its code prefix."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from accounts.models import User
from kb.articles import events
from kb.articles.models import (
    CATEGORY_CODE_RE,
    Article,
    Category,
)
from kb.articles.services.content import _clean_text, _require_editor
from kb.lib.errors import Conflict, InvalidInput

# ---------------------------------------------------------------------------------------------
# categories


def _clean_code(code: Any) -> str:
    if not isinstance(code, str) or not re.match(CATEGORY_CODE_RE, code) or len(code) > 120:
        raise InvalidInput(
            "A code is upper-case letters, digits and _ in dot-separated parts, e.g. ACCOUNT.LOGIN.2FA.",
            field="code",
        )
    return code


def _clean_parent(parent: Any, *, category: Category | None = None) -> Category | None:
    if parent in (None, ""):
        return None
    if not isinstance(parent, str):
        raise InvalidInput("A category code.", field="parent")
    found = Category.objects.filter(code=parent).first()
    if found is None:
        raise InvalidInput(f"Unknown category code: {parent}.", field="parent")
    if category is not None:
        node: Category | None = found
        while node is not None:
            if node.pk == category.pk:
                raise InvalidInput("A category cannot be placed below itself.", field="parent")
            node = node.parent
    return found


@transaction.atomic
def create_category(
    *, actor: User, code: Any, name: Any, description: Any = "", parent: Any = None
) -> Category:
    _require_editor(actor)
    code = _clean_code(code)
    if Category.objects.filter(code=code).exists():
        raise InvalidInput(f"A category with code {code} already exists.", field="code")
    category = Category(
        code=code,
        name=_clean_text(name, field="name", max_len=200, required=True).strip(),
        description=_clean_text(description, field="description", max_len=5_000),
        parent=_clean_parent(parent),
    )
    category.save()
    return category


@transaction.atomic
def update_category(*, actor: User, category: Category, **changes: Any) -> Category:
    _require_editor(actor)
    fields = []
    if "code" in changes and changes["code"] != category.code:
        raise InvalidInput(
            "A category's code cannot change: the ticketing system relies on it.", field="code"
        )
    if "name" in changes:
        category.name = _clean_text(changes["name"], field="name", max_len=200, required=True).strip()
        fields.append("name")
    if "description" in changes:
        category.description = _clean_text(changes["description"], field="description", max_len=5_000)
        fields.append("description")
    if "parent" in changes:
        category.parent = _clean_parent(changes["parent"], category=category)
        fields.append("parent")
    if fields:
        category.save(update_fields=fields)
        ids = list(category.articles.values_list("id", flat=True))
        events.article_changed(ids, "category_changed")
    return category


@transaction.atomic
def delete_category(*, actor: User, category: Category) -> None:
    _require_editor(actor)
    locked = Category.objects.select_for_update().get(pk=category.pk)
    if locked.children.exists():
        raise Conflict("This category has child categories: move or delete them first.")
    in_drafts = any(
        locked.code in (codes or []) for codes in Article.objects.values_list("category_codes", flat=True)
    )
    if locked.articles.exists() or in_drafts:
        raise Conflict("Articles are filed under this category: move them first.")
    try:
        with transaction.atomic():
            locked.delete()
    except ProtectedError:
        raise Conflict("Tickets or other records use this category: it cannot be deleted.") from None
