"""A specialist opens an article, records that it resolved a ticket, and the count on the page goes up.

Real headless Chromium against Django's live server, strict CSP in force (htmx, no inline script).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kb.tickets import services
from kb.tickets.models import Resolution


@pytest.mark.django_db(transaction=True)
def test_specialist_records_a_resolution_and_the_count_goes_up(
    page, live_server, login, specialist, make_article
):
    article = make_article("Reset a creator's 2FA")
    services.upsert_ticket(external_id="ZD-48213", category="ACCOUNT.LOGIN.2FA", subject="Lost phone")
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)

    login(page, specialist)
    page.goto(f"{live_server.url}/articles/{article.slug}/")
    count = page.get_by_test_id("resolved-count")
    expect(count).to_contain_text("Resolved 0 tickets in the last 30 days")

    # Two steps: type the ticket id, press the outcome.
    page.get_by_label("Ticket id").fill("ZD-48213")
    page.get_by_role("button", name="Resolved it").click()

    expect(page.get_by_role("status").filter(has_text="Recorded")).to_contain_text(
        "Recorded on ticket ZD-48213: version 1 resolved the ticket."
    )
    expect(page.get_by_test_id("resolved-count")).to_contain_text("Resolved 1 ticket in the last 30 days")
    assert page.url.endswith(f"/articles/{article.slug}/")  # updated in place, no page load
    record = Resolution.objects.get()
    assert (record.ticket.external_id, record.version, record.outcome) == ("ZD-48213", 1, "resolved")

    # The ticket page answers "which version was followed?".
    page.goto(f"{live_server.url}/tickets/ZD-48213/")
    expect(page.get_by_role("link", name="Version 1")).to_have_attribute(
        "href", f"/articles/{article.slug}/v/1/"
    )
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors
