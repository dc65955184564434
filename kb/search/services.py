"""Use cases of the search app: synonyms, the search log's follow-ups, and index repair."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.audit import record_event
from kb.articles import access
from kb.articles.access import readable_published_articles
from kb.lib.errors import InvalidInput, NotAllowed, NotFound
from kb.search.backends import BackendUnavailable, get_backend
from kb.search.documents import documents_for, expected_state
from kb.search.models import SearchLog, Synonym
from kb.search.outbox import _apply, rebuild_index
from kb.search.text import words

MAX_SYNONYM_TERMS = 20
MAX_TERM_CHARS = 64
MAX_SYNONYM_CHARS = MAX_SYNONYM_TERMS * (MAX_TERM_CHARS + 2)  # a whole group, separators included


# ---------------------------------------------------------------------------------------------
# synonyms


def check_terms_size(terms: Any) -> None:
    """Refuse an oversized group before any term is split, normalised or compared: the count,
    each term's length and the total are checked on the raw input, so the work stays bounded."""
    if not isinstance(terms, list):
        raise InvalidInput("Give a list of at least two terms.", field="terms")
    if len(terms) > MAX_SYNONYM_TERMS:
        raise InvalidInput(f"At most {MAX_SYNONYM_TERMS} terms per group.", field="terms")
    total = 0
    for term in terms:
        if isinstance(term, str):
            if len(term) > MAX_SYNONYM_CHARS:
                break
            total += len(term)
    else:
        if total <= MAX_SYNONYM_CHARS:
            return
    raise InvalidInput(f"A group has at most {MAX_SYNONYM_CHARS} characters in all.", field="terms")


def check_terms_text_size(raw: str) -> None:
    """The same limits on the page's comma-separated text, before it is split."""
    if raw.count(",") + 1 > MAX_SYNONYM_TERMS:
        raise InvalidInput(f"At most {MAX_SYNONYM_TERMS} terms per group.", field="terms")
    if len(raw) > MAX_SYNONYM_CHARS:
        raise InvalidInput(f"A group has at most {MAX_SYNONYM_CHARS} characters in all.", field="terms")


def _clean_terms(terms: Any) -> list[str]:
    check_terms_size(terms)
    out: list[str] = []
    for term in terms:
        if not isinstance(term, str):
            raise InvalidInput("Each term must be text.", field="terms")
        term = " ".join(term.split())
        if not term:
            continue
        if len(term) > MAX_TERM_CHARS:
            raise InvalidInput(f"Each term has at most {MAX_TERM_CHARS} characters.", field="terms")
        if not words(term):
            raise InvalidInput(f"'{term}' has no letters or digits to search for.", field="terms")
        if term.lower() not in {t.lower() for t in out}:
            out.append(term.lower())
    if len(out) < 2:
        raise InvalidInput("Give at least two different terms.", field="terms")
    return out


def _require_editor(actor: Any) -> None:
    if not access.is_editor(actor):
        raise NotAllowed("Only leads and admins edit synonyms.")


@transaction.atomic
def create_synonym(*, actor: Any, terms: Any) -> Synonym:
    """A new synonym group; effective for the next search (expansion happens at query time)."""
    _require_editor(actor)
    syn = Synonym.objects.create(terms=_clean_terms(terms), created_by=actor)
    record_event("synonym_create", actor=actor, target=f"synonym:{syn.pk}", detail=" = ".join(syn.terms))
    return syn


@transaction.atomic
def update_synonym(*, actor: Any, synonym: Synonym, terms: Any) -> Synonym:
    _require_editor(actor)
    synonym.terms = _clean_terms(terms)
    synonym.updated_at = timezone.now()
    synonym.save(update_fields=["terms", "updated_at"])
    record_event(
        "synonym_update", actor=actor, target=f"synonym:{synonym.pk}", detail=" = ".join(synonym.terms)
    )
    return synonym


@transaction.atomic
def delete_synonym(*, actor: Any, synonym: Synonym) -> None:
    _require_editor(actor)
    record_event(
        "synonym_delete", actor=actor, target=f"synonym:{synonym.pk}", detail=" = ".join(synonym.terms)
    )
    synonym.delete()


# ---------------------------------------------------------------------------------------------
# search log follow-ups


def _own_log(user: Any, search_id: Any) -> SearchLog:
    try:
        return SearchLog.objects.select_for_update().get(pk=search_id, user=user)
    except (SearchLog.DoesNotExist, ValueError, TypeError, Exception):
        raise NotFound("No such search.") from None


@transaction.atomic
def record_opened(*, user: Any, search_id: Any, article_id: Any, rank: Any) -> SearchLog:
    """Remember which result of the user's own search was opened (first open wins the rank)."""
    entry = _own_log(user, search_id)
    try:
        article_pk = int(article_id)
    except (TypeError, ValueError):
        raise InvalidInput("Give the id of the article that was opened.", field="article") from None
    if not readable_published_articles(user).filter(pk=article_pk).exists():
        raise InvalidInput(f"Unknown article: {article_pk}", field="article")
    try:
        rank_n = int(rank)
    except (TypeError, ValueError):
        raise InvalidInput("Give the rank (1 = first result).", field="rank") from None
    if rank_n < 1 or rank_n > 10_000:
        raise InvalidInput("The rank is a number from 1.", field="rank")
    if entry.opened_article_id is None:
        entry.opened_article_id = article_pk
        entry.opened_rank = rank_n
        entry.opened_at = timezone.now()
        entry.save(update_fields=["opened_article", "opened_rank", "opened_at"])
    return entry


@transaction.atomic
def record_not_found(*, user: Any, search_id: Any, comment: Any = "") -> SearchLog:
    """The user says the search did not find what they needed: leads see it on the failed-searches page."""
    entry = _own_log(user, search_id)
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        raise InvalidInput("The comment is text.", field="comment")
    if len(comment) > 2000:
        raise InvalidInput("At most 2000 characters.", field="comment")
    entry.not_found = True
    entry.not_found_comment = comment.strip()
    entry.not_found_at = timezone.now()
    entry.save(update_fields=["not_found", "not_found_comment", "not_found_at"])
    return entry


# ---------------------------------------------------------------------------------------------
# drift


@dataclass
class DriftReport:
    found: int = 0
    repaired: int = 0
    lines: list[str] = field(default_factory=list)


def check_index(*, repair: bool = True) -> DriftReport:
    """Compare (article, version, visibility) between the database and the index; fix what differs."""
    report = DriftReport()
    backend = get_backend()
    expected = expected_state()
    try:
        actual = backend.indexed_state()
    except BackendUnavailable as exc:
        report.found = len(expected) or 1
        report.lines.append(f"index unavailable ({exc}): {len(expected)} articles need indexing")
        if repair:
            rebuild_index()
            report.repaired = report.found
        return report
    stale: list[int] = []
    for pk, (version, keys) in sorted(expected.items()):
        have = actual.get(pk)
        if have is None:
            report.lines.append(f"article {pk}: missing from the index (published v{version})")
        elif have[0] != version:
            report.lines.append(f"article {pk}: index has v{have[0]}, published is v{version}")
        elif tuple(have[1]) != keys:
            report.lines.append(
                f"article {pk}: index visibility {','.join(have[1])} should be {','.join(keys)}"
            )
        else:
            continue
        stale.append(pk)
    extra = sorted(set(actual) - set(expected))
    for pk in extra:
        report.lines.append(f"article {pk}: in the index but not published (v{actual[pk][0]})")
    report.found = len(stale) + len(extra)
    if repair and report.found:
        ids = stale + extra
        for i in range(0, len(ids), 200):
            docs, gone = documents_for(ids[i : i + 200])
            _apply(backend, docs, gone, None)
        report.repaired = report.found
    return report
