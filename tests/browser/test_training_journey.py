"""Journey in real Chromium: a trainer assigns a reading list to a team; a specialist of that team sees
it, reads and acknowledges; the trainer's grid shows it done."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from kb.training import services
from kb.training.models import Acknowledgment
from kb.training.selectors import training_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trainer_assigns_specialist_acknowledges_grid_shows_it(
    browser, live_server, login, trainer, specialist, make_article
):
    first = make_article("Recover a hijacked account", body="# Recover\n\n1. Verify the owner.\n")
    second = make_article("Reset two-factor authentication")
    reading_list = services.create_reading_list(
        actor=trainer, title="Week 1: Account security", articles=[first.pk, second.pk]
    )
    due = (training_today() + dt.timedelta(days=3)).isoformat()

    # The trainer assigns the list to the team through the form.
    trainer_page = browser.new_context().new_page()
    login(trainer_page, trainer)
    trainer_page.goto(f"{live_server.url}/training/assign/?reading_list={reading_list.pk}")
    expect(trainer_page.get_by_label("Reading list")).to_have_value(str(reading_list.pk))
    trainer_page.get_by_label("Team", exact=True).select_option("SG Creator Support")
    trainer_page.get_by_label("Due").fill(due)
    trainer_page.get_by_label("Note for the readers").fill("Start with these two.")
    trainer_page.get_by_role("button", name="Assign").click()
    trainer_page.wait_for_url(re.compile(r".*/training/assignments/\d+/$"))
    expect(trainer_page.get_by_text("0 of 6 items done")).to_be_visible()

    # The specialist sees it in My reading (and the banner), opens it and acknowledges it.
    page = browser.new_context().new_page()
    login(page, specialist)
    expect(page.get_by_text("Reading needs your attention")).to_be_visible()
    page.goto(f"{live_server.url}/me/reading/")
    expect(page.get_by_text("0 of 2 assigned articles done")).to_be_visible()
    expect(page.get_by_text("Note from your trainer: Start with these two.").first).to_be_visible()
    page.get_by_role("link", name="Recover a hijacked account").first.click()
    page.wait_for_url(f"**/articles/{first.slug}/")
    page.get_by_role("button", name="I have read and understood v1").click()
    expect(page.get_by_text("You acknowledged v1 on")).to_be_visible()
    assert Acknowledgment.objects.filter(user=specialist, article=first, version=1).exists()
    page.goto(f"{live_server.url}/me/reading/")
    expect(page.get_by_text("1 of 2 assigned articles done (50%)")).to_be_visible()

    # The trainer's grid for the team shows it done for sam.
    trainer_page.goto(f"{live_server.url}/training/grid/?team=SG+Creator+Support")
    row = trainer_page.get_by_role("row").filter(has_text="sam")
    expect(row).to_contain_text("1/2")
    expect(row).to_contain_text("Done · v1")
    expect(trainer_page.get_by_text("1 of 6 items done")).to_be_visible()
