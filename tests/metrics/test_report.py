"""kb_report: the daily report on stdout, Markdown and CSV, for a day counted in KB_TIME_ZONE."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kb.articles.models import Article
from kb.metrics import report, selectors
from kb.tickets import services
from kb.tickets.models import Resolution


def run(*args) -> str:
    out = io.StringIO()
    call_command("kb_report", *args, stdout=out)
    return out.getvalue()


def test_markdown_report_for_a_day(world):
    text = run("--date", "2026-08-02", "--format", "md")
    assert text.startswith("# kb daily report — 2026-08-02 (Asia/Jakarta)")
    assert "- Closed tickets: 2" in text  # T4, T5
    assert "- Linked tickets: 1" in text and "- Link rate: 50.0 %" in text
    assert "| B payout hold | 1 | 0 | 0.0 % |" in text  # the operator sees every published article
    assert "A reset 2FA v1: outdated" in text  # flag raised 08-02 06:00Z
    for section in (
        "## Top articles",
        "## New flags",
        "## Stale articles in heavy use",
        "## Failed searches",
    ):
        assert section in text


def test_report_as_an_outsider_hides_restricted_articles(world):
    text = run("--date", "2026-08-02", "--as", "jo")
    assert "B payout hold" not in text and "- Linked tickets: 0" in text


def test_csv_report_is_machine_readable(world):
    rows = list(csv.reader(io.StringIO(run("--date", "2026-08-02", "--format", "csv"))))
    assert rows[0] == ["section", "name", "value", "detail"]
    values = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert values[("tickets", "closed_tickets")] == "2"
    assert values[("tickets", "link_rate")] == "0.5"


def test_csv_defuses_formulas(world):
    Article.objects.filter(pk=world.a.pk).update(title="=HYPERLINK(1)")
    text = run("--date", "2026-08-02", "--format", "csv")
    assert "'=HYPERLINK(1)" in text


def test_stale_article_in_heavy_use_is_listed(world, specialist):
    today = selectors.today()
    for i in range(3):
        services.upsert_ticket(external_id=f"H-{i}", category="ACCOUNT.LOGIN.2FA")
        services.record_resolution(actor=specialist, ticket=f"H-{i}", article=world.c.pk, outcome="resolved")
    Resolution.objects.filter(ticket__external_id__startswith="H-").update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    data = report.build_report(selectors.SystemViewer(), today)
    assert [a["title"] for a in data["stale_in_heavy_use"]] == ["C new 2FA device"]  # reviewed 400 days ago


@pytest.mark.parametrize("args", [["--date", "2026-02-30"], ["--date", "yesterday"], ["--as", "nobody"]])
def test_bad_arguments_fail_clearly(world, args):
    with pytest.raises(CommandError):
        run(*args)
