"""The category tree: codes are permanent, and a parent agrees with its code prefix."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, ProtectedError

from accounts.audit import record_event
from accounts.models import User
from kb.articles import events
from kb.articles.access import visible_articles
from kb.articles.models import CATEGORY_CODE_RE, Article, Category, HistoricalArticle
from kb.articles.services.articles import edit_article
from kb.articles.services.content import (
    _clean_text,
    _require_editor,
    _save_state,
    _set_reader_links,
    latest_record,
)
from kb.lib.errors import Conflict, InvalidInput
from kb.lib.validation import clean_text

# ---------------------------------------------------------------------------------------------
# categories


def _clean_code(code: Any) -> str:
    if not isinstance(code, str) or not re.match(CATEGORY_CODE_RE, code) or len(code) > 120:
        raise InvalidInput(
            "A code is upper-case letters, digits and _ in dot-separated parts, e.g. ACCOUNT.LOGIN.2FA.",
            field="code",
        )
    return code


def parent_code_of(code: str) -> str | None:
    """The only parent a code can have: its prefix (``A.B.C`` → ``A.B``; a root has none)."""
    head, _, _tail = code.rpartition(".")
    return head or None


def _clean_parent(parent: Any, *, code: str, explicit: bool = False) -> Category | None:
    """The parent the code prefix names; ``parent``, when given (or ``explicit``, where null means
    "top level"), must agree with it: codes and parents cannot disagree, so every tree walk reads
    the same tree."""
    if parent not in (None, "") and not isinstance(parent, str):
        raise InvalidInput("A category code.", field="parent")
    wanted = parent_code_of(code)
    given = parent or None
    if (given is not None or explicit) and given != wanted:
        if wanted is None:
            raise InvalidInput(f"{code} is a top-level code: it has no parent.", field="parent")
        raise InvalidInput(f"The parent of {code} is {wanted}, as its code says.", field="parent")
    if wanted is None:
        return None
    found = Category.objects.filter(code=wanted).first()
    if found is None:
        raise InvalidInput(f"Unknown category code: {wanted} (create it first).", field="parent")
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
        name=clean_text(name, field="name", max_len=200, required=True, name=True).strip(),
        description=_clean_text(description, field="description", max_len=5_000),
        parent=_clean_parent(parent, code=code),
    )
    category.save()
    record_event("category_create", actor=actor, target=f"category:{code}", detail=_described(category))
    return category


def _described(category: Category) -> str:
    """A category as its audit events name it (the code is the target)."""
    parent = f"; parent {category.parent.code}" if category.parent else ""
    return f"name {category.name!r}{parent}"


@transaction.atomic
def update_category(*, actor: User, category: Category, **changes: Any) -> Category:
    _require_editor(actor)
    fields = []
    said = []
    if "code" in changes and changes["code"] != category.code:
        raise InvalidInput(
            "A category's code cannot change: the ticketing system relies on it.", field="code"
        )
    if "name" in changes:
        name = clean_text(changes["name"], field="name", max_len=200, required=True, name=True).strip()
        if name != category.name:
            said.append(f"name {category.name!r} -> {name!r}")
            category.name = name
            fields.append("name")
    if "description" in changes:
        description = _clean_text(changes["description"], field="description", max_len=5_000)
        if description != category.description:
            said.append("description changed")
            category.description = description
            fields.append("description")
    if "parent" in changes:
        parent = _clean_parent(changes["parent"], code=category.code, explicit=True)
        if parent != category.parent:
            old = category.parent.code if category.parent else "none"
            said.append(f"parent {old} -> {parent.code if parent else 'none'}")
            category.parent = parent
            fields.append("parent")
    if fields:
        category.save(update_fields=fields)
        record_event(
            "category_update", actor=actor, target=f"category:{category.code}", detail="; ".join(said)
        )
        ids = list(category.articles.values_list("id", flat=True))
        events.article_changed(ids, "category_changed")
    return category


def _filed_under(code: str) -> set[int]:
    """Articles that file ``code`` anywhere it counts: reader links, the shown row, the latest version."""
    ids = set(Article.objects.filter(categories__code=code).values_list("pk", flat=True))
    ids.update(
        aid for aid, codes in Article.objects.values_list("pk", "category_codes") if code in (codes or [])
    )
    latest = Article.objects.filter(pk=OuterRef("id"), version=OuterRef("version"))
    for aid, codes in HistoricalArticle.objects.filter(Exists(latest)).values_list("id", "category_codes"):
        if code in (codes or []):
            ids.add(aid)
    return ids


def _refile(*, actor: User, article_id: int, code: str, parent: Category | None) -> None:
    """Move one article's filing from ``code`` to ``parent`` (or none): a new version saying so,
    and the reader links and shown row of the published version; older versions keep ``code``."""

    def mapped(codes: Any) -> list[str]:
        out: list[str] = []
        for c in codes or []:
            c = parent.code if c == code and parent is not None else c
            if c != code and c not in out:
                out.append(c)
        return out

    article = Article.objects.select_for_update(of=("self",)).get(pk=article_id)
    note = f"Category {code} was deleted: filed under {parent.code if parent else 'no category'}"
    latest = latest_record(article)
    if code in (latest.category_codes or []):
        article = edit_article(
            actor=actor,
            article=article,
            base_version=article.version,
            change_note=note,
            changes={"categories": mapped(latest.category_codes)},
            allow_archived=True,
        )
    if code in (article.category_codes or []) or article.categories.filter(code=code).exists():
        article.category_codes = mapped(article.category_codes)
        _save_state(article, ["category_codes"])
        _set_reader_links(article, article.category_codes, article.tag_names)
    events.article_changed([article.pk], "category_changed")


@transaction.atomic
def delete_category(*, actor: User, category: Category) -> None:
    """Delete a category nobody files anything under that ``actor`` can see.

    The answer depends only on what the caller can see (docs/access.md): articles they see make it
    a 409; articles hidden from them are re-filed under the parent (a new version each, with a note),
    so nothing is lost and nothing tells the caller they exist. All of it in one transaction.
    """
    _require_editor(actor)
    locked = Category.objects.select_for_update().get(pk=category.pk)
    if locked.children.exists():
        raise Conflict("This category has child categories: move or delete them first.")
    filed = _filed_under(locked.code)
    if visible_articles(actor).filter(pk__in=filed).exists():
        raise Conflict("Articles are filed under this category: move them first.")
    for article_id in sorted(filed):
        _refile(actor=actor, article_id=article_id, code=locked.code, parent=locked.parent)
    try:
        with transaction.atomic():
            locked.delete()
    except ProtectedError:
        raise Conflict("Tickets or other records use this category: it cannot be deleted.") from None
    # Never how many articles were re-filed: some may be hidden from whoever reads the audit log.
    record_event("category_delete", actor=actor, target=f"category:{locked.code}", detail=_described(locked))
