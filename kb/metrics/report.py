"""The daily report (``kb_report`` and /metrics/report/): one day's figures, as data, Markdown or CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from kb.metrics import selectors
from kb.tickets.models import Flag


def build_report(user: Any, day: date) -> dict[str, Any]:
    """Tickets linked, link rate, top articles, new flags, stale articles in heavy use, failed searches."""
    period = selectors.Period(day, day)
    summary = selectors.summary(user, period)
    top = [
        selectors.article_row(a)
        for a in selectors.article_metrics(user, period, sort="links").filter(links__gt=0)[:10]
    ]
    flags = list(
        Flag.objects.filter(
            created_at__gte=period.start,
            created_at__lt=period.end,
            article__in=selectors.readable(user).values("pk"),
        )
        .select_related("article", "raised_by")
        .order_by("created_at")
    )
    stale = [selectors.review_row(a) for a in selectors.stale_in_heavy_use(user, day)]
    failed = selectors.failed_searches(user, period, limit=10)
    return {
        "date": day.isoformat(),
        "time_zone": summary["time_zone"],
        "summary": summary,
        "top_articles": top,
        "new_flags": [
            {
                "id": f.pk,
                "article": f.article.title,
                "article_id": f.article_id,
                "version": f.version,
                "reason": f.reason,
                "comment": f.comment,
                "raised_by": f.raised_by.username if f.raised_by else None,
            }
            for f in flags
        ],
        "stale_in_heavy_use": stale,
        "failed_searches": failed["results"],
        "failed_searches_available": failed["available"],
    }


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f} %"


def _md(text: Any) -> str:
    """Table cells: no pipes or newlines from titles and comments."""
    return str(text).replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def to_markdown(r: dict[str, Any]) -> str:
    s = r["summary"]
    o = s["outcomes"]
    lines = [
        f"# kb daily report — {r['date']} ({r['time_zone']})",
        "",
        "## Tickets",
        "",
        f"- Closed tickets: {s['closed_tickets']}",
        f"- Linked tickets: {s['linked_tickets']}",
        f"- Link rate: {_pct(s['link_rate'])}",
        f"- Known vs new: {s['known_tickets']} known, {s['new_tickets']} new "
        f"({_pct(s['known_new_ratio'])} known)",
        f"- Links recorded: {s['links']} (resolved {o['resolved']}, helpful {o['helpful']}, "
        f"did not help {o['not_helpful']}, escalated {o['escalated']})",
        "",
        "## Top articles",
        "",
    ]
    if r["top_articles"]:
        lines += ["| Article | Links | Resolved | Resolution rate |", "|---|---:|---:|---:|"]
        lines += [
            f"| {_md(a['title'])} | {a['links']} | {a['resolutions']} | {_pct(a['resolution_rate'])} |"
            for a in r["top_articles"]
        ]
    else:
        lines.append("No article was linked to a ticket on this day.")
    lines += ["", "## New flags", ""]
    if r["new_flags"]:
        lines += [
            f"- {_md(f['article'])} v{f['version']}: {f['reason']}"
            + (f" — {_md(f['comment'])}" if f["comment"] else "")
            + (f" (by {f['raised_by']})" if f["raised_by"] else "")
            for f in r["new_flags"]
        ]
    else:
        lines.append("No new flags.")
    lines += ["", "## Stale articles in heavy use", ""]
    if r["stale_in_heavy_use"]:
        lines += [
            f"- {_md(a['title'])}: {a['links']} links in 30 days, last reviewed "
            f"{a['last_reviewed_at'].date().isoformat() if a['last_reviewed_at'] else 'never'}"
            for a in r["stale_in_heavy_use"]
        ]
    else:
        lines.append("None.")
    lines += ["", "## Failed searches", ""]
    if not r["failed_searches_available"]:
        lines.append("The search log is not available.")
    elif r["failed_searches"]:
        lines += [
            f"- “{_md(q['query'])}” ×{q['count']} "
            f"(no results {q['no_results']}, not opened {q['not_opened']})"
            for q in r["failed_searches"]
        ]
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"


class _SafeWriter:
    """csv.writer that defuses spreadsheet formulas in text cells (=, +, -, @ at the start)."""

    def __init__(self, out: io.StringIO):
        self.w = csv.writer(out, lineterminator="\n")

    def writerow(self, row: list[Any]) -> None:
        self.w.writerow(
            ["'" + c if isinstance(c, str) and c[:1] in ("=", "+", "-", "@", "\t", "\r") else c for c in row]
        )


def to_csv(r: dict[str, Any]) -> str:
    """One row per figure: section, name, value, detail (easy to load into a spreadsheet)."""
    out = io.StringIO()
    w = _SafeWriter(out)
    w.writerow(["section", "name", "value", "detail"])
    s = r["summary"]
    for key in (
        "closed_tickets",
        "linked_tickets",
        "link_rate",
        "known_tickets",
        "new_tickets",
        "known_new_ratio",
    ):
        w.writerow(["tickets", key, "" if s[key] is None else s[key], r["date"]])
    w.writerow(["tickets", "links", s["links"], r["date"]])
    for a in r["top_articles"]:
        w.writerow(["top_articles", a["title"], a["links"], f"resolved={a['resolutions']}"])
    for f in r["new_flags"]:
        w.writerow(["new_flags", f["article"], f["reason"], f["comment"]])
    for a in r["stale_in_heavy_use"]:
        w.writerow(
            ["stale_in_heavy_use", a["title"], a["links"], f"days_since_review={a['days_since_review']}"]
        )
    for q in r["failed_searches"]:
        w.writerow(["failed_searches", q["query"], q["count"], f"no_results={q['no_results']}"])
    return out.getvalue()
