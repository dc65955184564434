"""Property-based fuzzing of the whole REST API from its own OpenAPI schema (issue 6 §2, CONTRACT §6).

schemathesis reads ``/api/schema/`` from the WSGI application in-process, generates valid and invalid
requests for every operation (path, query and body, positive and negative modes) and sends them as a
lead, the role that may call every write. The only check is ``not_a_server_error``: whatever a client
sends, kb answers 2xx/4xx, never 5xx ("Never 500 for any input").

The data set is small but real (categories, a published article, a draft, a ticket) and path
parameters named ``id`` / ``code`` / ``external_id`` are sometimes mapped to existing keys, so the
fuzzer reaches the code behind the 404 as well. Bounded: a few examples per operation, no deadline,
no shrinking database; the whole file takes well under three minutes on two cores.

Reproduce one operation: ``.venv/bin/python -m pytest tests/test_api_fuzz.py -k "POST /api/v1/articles/"``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from accounts.services import issue_token

pytestmark = pytest.mark.slow

# Few examples per operation keep the run bounded; KB_FUZZ_EXAMPLES raises it for a deeper local run.
MAX_EXAMPLES = int(os.environ.get("KB_FUZZ_EXAMPLES", "10"))

# Existing keys that the hook below substitutes into path parameters some of the time.
_KNOWN: dict[str, list[Any]] = {}


@schemathesis.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    """Some of the time point a path parameter at an object that exists, so handlers run past the lookup."""
    if not path_parameters:
        return st.just(path_parameters)
    choices = {
        name: st.sampled_from([value, *_KNOWN[name]]) if _KNOWN.get(name) else st.just(value)
        for name, value in path_parameters.items()
    }
    return st.fixed_dictionaries(choices)


@pytest.fixture(autouse=True)
def _seeded(db, lead, make_article, category_tree) -> Iterator[None]:
    """A little real data behind the API, and the app called in-process inside the test transaction.

    Django's handler closes "old" connections at request start and end; inside the test transaction
    that would drop the test's own connection, so (as Django's test client does) the two signal
    receivers are disconnected while the fuzzer calls the WSGI application directly.
    """
    from kb.tickets import services as ticket_services

    published = make_article(title="Verify a creator's identity before a payout")
    draft = make_article(title="Draft: escalate a minor-safety report", published=False)
    ticket_services.upsert_ticket(
        external_id="ZD-1001", category="ACCOUNT.LOGIN", subject="Cannot log in", status="open"
    )
    _KNOWN.clear()
    _KNOWN.update(
        id=[published.pk, draft.pk],
        code=list(category_tree),
        slug=[published.slug, draft.slug],
        external_id=["ZD-1001"],
        n=[1],
        version=[1],
    )
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        _KNOWN.clear()


@pytest.fixture
def lead_token(lead) -> str:
    return issue_token(user=lead)


def _load_schema() -> Any:
    """The schema exactly as the app serves it (generating it needs no database)."""
    from kb.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/", application)


schema = _load_schema()


@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_input_makes_the_api_answer_5xx(case, lead_token):
    case.call_and_validate(headers={"Authorization": f"Token {lead_token}"}, checks=[not_a_server_error])
