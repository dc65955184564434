"""A lead edits with live preview, saves, publishes, opens the diff; a specialist then reads the new version.

Runs in real headless Chromium against Django's live server, with the site's strict CSP in force.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kb.articles.models import Article


@pytest.mark.django_db(transaction=True)
def test_lead_edits_previews_publishes_and_specialist_sees_new_version(
    page, live_server, login, lead, specialist, make_article
):
    article = make_article(
        "Reset a creator's 2FA",
        body="## Steps\n\n1. Verify identity with the backup code.\n2. Reset.\n",
    )
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)

    # The lead edits; the preview follows the typing without a page load.
    login(page, lead)
    page.keyboard.press("/")  # the site-wide shortcut to the search box
    expect(page.locator("#site-search")).to_be_focused()
    page.goto(f"{live_server.url}/articles/{article.slug}/edit/")
    body = page.get_by_label("Body")
    body.fill("## Steps\n\n1. Verify identity with a **selfie video**.\n2. Reset.\n")
    body.press("End")  # a keyup, as a person typing would send
    expect(page.locator("#preview strong")).to_have_text("selfie video")
    page.get_by_label("Change note").fill("Selfie video replaces the backup code")
    page.get_by_role("button", name="Save new version").click()

    # Saved as version 2; readers still see version 1 until it is published.
    expect(page.get_by_text("A newer draft exists")).to_be_visible()
    page.get_by_label(re.compile("^Material")).check()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Published version 2")
    expect(page.locator("#article-body")).to_contain_text("selfie video")

    # The diff shows the word-level change.
    page.get_by_role("link", name="History of all versions").click()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="Changes from version 1 to version 2")).to_be_visible()
    expect(page.locator("ins", has_text="selfie")).to_be_visible()
    expect(page.locator("del", has_text="backup")).to_be_visible()

    # A specialist now reads version 2.
    page.context.clear_cookies()
    login(page, specialist)
    page.goto(f"{live_server.url}/articles/{article.slug}/")
    expect(page.locator("#version-badge")).to_contain_text("v2")
    expect(page.locator("#article-body")).to_contain_text("selfie video")
    expect(page.get_by_text("A newer draft exists")).to_have_count(0)

    assert Article.objects.get(pk=article.pk).published_version == 2
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors


@pytest.mark.django_db(transaction=True)
def test_specialist_copies_a_macro_reply(page, live_server, login, specialist, make_article):
    article = make_article(
        "Reply: payout under review", kind="macro", body="Hi there,\n\nYour payout is **under review**.\n"
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    login(page, specialist)
    page.goto(f"{live_server.url}/articles/{article.slug}/")
    page.get_by_role("button", name="Copy reply").click()
    expect(page.locator("#copy-status")).to_have_text("Copied to clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "Your payout is under review." in copied and "**" not in copied
