"""On a phone (390 px) a wide table scrolls inside its own box; the page itself never scrolls sideways.

A visually-hidden label inside a table cell is absolutely positioned: without a positioned scroller it
escaped the table's overflow box and widened the whole page (the history page was 572 px wide).
"""

from __future__ import annotations

import pytest

from kb.articles import services


@pytest.mark.django_db(transaction=True)
def test_history_page_scrolls_inside_its_table_not_sideways_on_a_phone(
    page, live_server, login, lead, make_article
):
    article = make_article("Reset a creator's 2FA")
    for n in range(2, 6):
        article = services.update_article(
            actor=lead,
            article=article,
            base_version=article.version,
            change_note=f"Draft {n}: passkeys count as a second factor for creators with a verified identity",
            body=f"## Steps\n\n{n}. Verify identity.\n",
        )
    page.set_viewport_size({"width": 390, "height": 800})
    login(page, lead)
    page.goto(f"{live_server.url}/articles/{article.slug}/history/")
    assert page.locator("table.data").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
