"""Personas and shared fixtures (STYLE §8): data is set up through services, as users would."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts.models import Role, User
from accounts.services import issue_token, upsert_user
from kb.articles import services as article_services
from kb.articles.models import Article, Category

# Playwright's sync API keeps an event loop running in the worker's main thread for the rest of the
# session once a browser test ran; Django would then refuse every later ORM call in that worker.
# Subprocesses that run Django for real (tests/security/test_deploy.py) drop this variable again.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus"


class _BackendFailures(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def _search_never_fails_silently(request) -> Iterator[None]:
    """A search backend error is answered from the database, so results still look right: fail the
    test instead, unless it is about faults (``@pytest.mark.search_errors_expected``)."""
    handler = _BackendFailures()
    logger = logging.getLogger("kb.search")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.records and not request.node.get_closest_marker("search_errors_expected"):
        first = handler.records[0]
        detail = logging.Formatter().formatException(first.exc_info) if first.exc_info else ""
        pytest.fail(f"search backend failed {len(handler.records)}×: {first.getMessage()}\n{detail}")


IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, settings) -> Iterator[None]:
    """Each test gets its own search index folder so xdist workers never share one."""
    settings.KB_SEARCH_INDEX_DIR = tmp_path / "index"
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from kb.search.selectors import forget_synonyms

    forget_synonyms()  # a rolled-back test's synonyms must not linger in the per-process copy
    yield
    shutil.rmtree(tmp_path / "index", ignore_errors=True)
    from kb.lib import caches

    caches.reset_all()


def make_user(username: str, role: str, teams: tuple[str, ...] = ()) -> User:
    user, _ = upsert_user(username=username, role=role, teams=list(teams), password="correct-horse-42")
    return user


@pytest.fixture
def specialist(db) -> User:
    return make_user("sam", Role.SPECIALIST, ("SG Creator Support",))


@pytest.fixture
def lead(db) -> User:
    return make_user("lee", Role.LEAD, ("SG Creator Support",))


@pytest.fixture
def other_lead(db) -> User:
    return make_user("lou", Role.LEAD, ("SG Creator Support",))


@pytest.fixture
def trainer(db) -> User:
    return make_user("tia", Role.TRAINER, ("SG Creator Support",))


@pytest.fixture
def admin_user(db) -> User:
    return make_user("ada", Role.ADMIN, ("SG Creator Support",))


@pytest.fixture
def outsider(db) -> User:
    """A specialist in another team: restricted articles of SG Creator Support do not exist for them."""
    return make_user("oz", Role.SPECIALIST, ("Jakarta Live Safety",))


def api_client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user=user)}")
    return client


@pytest.fixture
def api(db):
    """api(user) → an APIClient authenticated with the user's token (None: anonymous)."""
    return api_client_for


@pytest.fixture
def web(client):
    """web(user) → Django's test client logged in as the user."""

    def make(user: User | None):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def category_tree(lead) -> dict[str, Category]:
    codes = [
        ("ACCOUNT", "Account", None),
        ("ACCOUNT.LOGIN", "Login", "ACCOUNT"),
        ("ACCOUNT.LOGIN.2FA", "Two-factor authentication", "ACCOUNT.LOGIN"),
        ("PAYOUTS", "Creator payouts", None),
        ("SAFETY", "Safety", None),
        ("SAFETY.MINORS", "Minor safety", "SAFETY"),
    ]
    out = {}
    for code, name, parent in codes:
        out[code] = article_services.create_category(actor=lead, code=code, name=name, parent=parent)
    return out


def publish(lead: User, article: Article, material: bool = False) -> Article:
    return article_services.publish_article(actor=lead, article=article, material=material)


@pytest.fixture
def make_article(lead, category_tree):
    """make_article(title=…, publish=True, teams=[…], …) → an article made through the services."""

    def make(
        title: str = "Reset a creator's 2FA",
        *,
        published: bool = True,
        teams=None,
        body: str | None = None,
        categories=("ACCOUNT.LOGIN.2FA",),
        kind: str = "sop",
        summary: str = "",
        tags=("2fa",),
    ):
        article = article_services.create_article(
            actor=lead,
            title=title,
            kind=kind,
            summary=summary or f"How to handle: {title}",
            body=body if body is not None else f"# {title}\n\n1. Verify identity.\n2. Reset.\n",
            categories=list(categories),
            tags=list(tags),
            teams=teams,
            change_note="First draft",
        )
        if published:
            article = publish(lead, article)
        return article

    return make
