"""Fixtures for tickets tests: a ticket upserted the way the helpdesk does it."""

from __future__ import annotations

import pytest

from kb.tickets import services


@pytest.fixture
def make_ticket(category_tree):
    def make(external_id: str = "T-123", category: str = "ACCOUNT.LOGIN.2FA", **kw):
        ticket, _ = services.upsert_ticket(
            external_id=external_id, category=category, subject=kw.pop("subject", "Lost 2FA phone"), **kw
        )
        return ticket

    return make
