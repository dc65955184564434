"""A specialist presses "/", types a query with a typo, and opens the first result with the keyboard.

Real headless Chromium against Django's live server (strict CSP: the behaviour is static/js/search.js).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kb.search.models import SearchLog


@pytest.mark.django_db(transaction=True)
def test_specialist_finds_an_sop_with_a_typo_using_only_the_keyboard(
    page, live_server, login, specialist, make_article
):
    article = make_article(
        "Reset a creator's password",
        body="## Verify identity\n\nAsk for the registered email, then send the password reset link.\n",
        categories=("ACCOUNT.LOGIN",),
        tags=("password",),
    )
    make_article("Delayed creator payouts", body="Payouts are sent on Mondays.", categories=("PAYOUTS",))
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)

    login(page, specialist)
    page.keyboard.press("/")
    box = page.locator("#site-search")
    expect(box).to_be_focused()
    page.keyboard.type("pasword reest", delay=40)

    first = page.locator("#search-suggestions [role=option]").first
    expect(first).to_contain_text("Reset a creator's password")
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r"search-suggestion-1"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{article.get_absolute_url()}")
    expect(page.locator("#article-title")).to_contain_text("Reset a creator's password")

    # The full results page: the typed query with the typo still finds it, and opening is logged.
    page.goto(f"{live_server.url}/search/?q=pasword+reest")
    page.locator("#search-q").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{article.get_absolute_url()}")
    assert SearchLog.objects.filter(opened_article=article, opened_rank=1).exists()
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors
