"""Metrics pages: each shows its figures, a server-drawn SVG chart, a table and the definitions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kb.lib.errors import DomainError
from kb.metrics import charts, definitions, report, selectors
from kb.metrics.access import can_see_metrics, can_see_participation


def metrics_page(check: Callable[[Any], bool] = can_see_metrics):
    """Login, the role check (403), GET only, and the period parsed from ?since=&until=."""

    def deco(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @require_GET
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied("These figures are for leads, trainers and admins.")
            try:
                period = selectors.parse_period(request.GET.get("since"), request.GET.get("until"))
            except DomainError:
                period = selectors.parse_period()  # _render shows the error and answers 400
            return view(request, period, *args, **kwargs)

        return wrapped

    return deco


def _render(
    request: HttpRequest, template: str, period: selectors.Period, ctx: dict[str, Any]
) -> HttpResponse:
    error = ""
    try:
        selectors.parse_period(request.GET.get("since"), request.GET.get("until"))
    except DomainError as exc:
        error = exc.message
    base = {
        "period": period,
        "period_error": error,
        "period_query": urlencode({"since": period.since.isoformat(), "until": period.until.isoformat()}),
        "presets": _presets(),
        "can_see_participation": can_see_participation(request.user),
    }
    return render(request, template, {**base, **ctx}, status=400 if error else 200)


def _presets() -> list[tuple[str, str]]:
    today = selectors.today()
    out = []
    for label, days in (("Last 7 days", 7), ("Last 30 days", 30), ("Last 90 days", 90)):
        out.append(
            (label, urlencode({"since": (today - timedelta(days=days - 1)).isoformat(), "until": today}))
        )
    return out


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f} %"


@metrics_page()
def dashboard(request: HttpRequest, period: selectors.Period) -> HttpResponse:
    s = selectors.summary(request.user, period)
    days = selectors.daily_series(request.user, period)
    top = list(selectors.article_metrics(request.user, period, sort="resolved").filter(links__gt=0)[:10])
    gaps = [c for c in selectors.category_metrics(request.user, period) if c["coverage_gap"]][:8]
    misleading = list(
        selectors.article_metrics(request.user, period, sort="not_helpful_rate").filter(
            not_helpful_rate__gt=0, signals__gte=3
        )[:8]
    )
    o = s["outcomes"]
    stats = [
        ("Closed tickets", s["closed_tickets"], f"{s['opened_tickets']} opened in the period"),
        ("Linked tickets", s["linked_tickets"], "closed tickets with an article linked"),
        ("Link rate", _pct(s["link_rate"]), "linked ÷ closed"),
        (
            "Known vs new (KCS)",
            _pct(s["known_new_ratio"]),
            f"{s['known_tickets']} known, {s['new_tickets']} new",
        ),
        (
            "Links recorded",
            s["links"],
            f"{o['resolved']} resolved, {o['helpful']} helped, {o['not_helpful']} did not help, "
            f"{o['escalated']} escalated",
        ),
        ("Resolution rate", _pct(s["resolution_rate"]), "resolved ÷ links"),
        ("Not-helpful rate", _pct(s["not_helpful_rate"]), "negative ÷ all signals"),
        (
            "Open flags",
            s["open_flags"],
            f"{s['flags_raised']} raised, {s['flags_closed']} closed in the period",
        ),
    ]
    ctx = {
        "s": s,
        "stats": stats,
        "link_rate_chart": charts.day_chart(
            "Link rate per day (linked ÷ closed tickets)",
            [(d["day"], (d["link_rate"] or 0) * 100, _pct(d["link_rate"])) for d in days],
        ),
        "links_chart": charts.day_chart(
            "Links recorded per day", [(d["day"], d["links"], str(d["links"])) for d in days]
        ),
        "top_chart": charts.hbar_chart(
            "Articles that resolved the most tickets",
            [
                (
                    a.title,
                    a.resolved,
                    f"{a.resolved} resolved of {a.links} links",
                    f"/metrics/articles/{a.pk}/",
                )
                for a in top
            ],
        ),
        "top": top,
        "gaps": gaps,
        "misleading": misleading,
        "defs": definitions.pick(
            "period",
            "closed_tickets",
            "linked_tickets",
            "link_rate",
            "known_new_ratio",
            "links",
            "resolution_rate",
            "not_helpful_rate",
            "open_flags",
            "coverage_gap",
        ),
    }
    return _render(request, "metrics/dashboard.html", period, ctx)


@metrics_page()
def article_list(request: HttpRequest, period: selectors.Period) -> HttpResponse:
    sort = request.GET.get("sort", "links")
    if sort not in selectors.ARTICLE_SORTS:
        sort = "links"
    qs = selectors.article_metrics(request.user, period, sort=sort)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = selectors.with_rates(page.object_list)
    chart = charts.hbar_chart(
        "Links per article in the period (this page)",
        [
            (a.title, a.links, f"{a.links} links, {a.resolved} resolved", f"/metrics/articles/{a.pk}/")
            for a in rows[:15]
        ],
    )
    ctx = {
        "rows": rows,
        "page_obj": page,
        "sort": sort,
        "sorts": list(selectors.ARTICLE_SORTS),
        "chart": chart,
        "defs": definitions.pick(
            "links", "resolutions", "resolution_rate", "not_helpful_rate", "last_used", "open_flags"
        ),
    }
    return _render(request, "metrics/articles.html", period, ctx)


@metrics_page()
def article_detail(request: HttpRequest, period: selectors.Period, pk: int) -> HttpResponse:
    a = selectors.article_detail(request.user, pk, period)
    if a is None:
        raise Http404("No such article.")
    series = selectors.article_daily_links(request.user, a, period)
    outcomes = [
        ("Resolved", a.resolved),
        ("Helped", a.links - a.resolved - a.not_helpful_links - a.escalated),
        ("Did not help", a.not_helpful_links),
        ("Escalated", a.escalated),
    ]
    ctx = {
        "a": a,
        "chart": charts.day_chart(f"Links per day: {a.title}", [(d, n, str(n)) for d, n in series]),
        "outcome_chart": charts.hbar_chart(
            "Outcomes of the links in the period",
            [(label, n, str(n)) for label, n in outcomes],
            label_width=120,
        ),
        "recent": selectors.article_recent_resolutions(a),
        "flags": a.flags.filter(state="open").select_related("raised_by")[:20],
        "defs": definitions.pick(
            "links", "resolutions", "resolution_rate", "not_helpful_rate", "last_used", "open_flags"
        ),
    }
    return _render(request, "metrics/article_detail.html", period, ctx)


@metrics_page()
def category_list(request: HttpRequest, period: selectors.Period) -> HttpResponse:
    rows = selectors.category_metrics(request.user, period)
    failed = selectors.failed_searches(request.user, period, limit=200)
    failed_by_cat = {r["category"]: r["failed_searches"] for r in failed["by_category"]}
    for r in rows:
        r["failed_searches"] = failed_by_cat.get(r["code"], 0)
    busy = [r for r in rows if r["closed_tickets"]][:20]
    ctx = {
        "rows": rows,
        "gaps": [r for r in rows if r["coverage_gap"]],
        "chart": charts.hbar_chart(
            "Closed tickets per category, with link rate",
            [
                (
                    r["code"],
                    r["closed_tickets"],
                    f"{r['closed_tickets']} tickets, {_pct(r['link_rate'])} linked",
                )
                for r in busy
            ],
            label_width=220,
        ),
        "defs": definitions.pick(
            "closed_tickets", "linked_tickets", "link_rate", "top_articles", "coverage_gap", "failed_searches"
        ),
    }
    return _render(request, "metrics/categories.html", period, ctx)


@metrics_page(can_see_participation)
def participation(request: HttpRequest, period: selectors.Period) -> HttpResponse:
    data = selectors.participation(request.user, period)
    active = [p for p in data["people"] if p["links"] or p["feedback"] or p["flags"]]
    ctx = {
        "people": data["people"],
        "teams": data["teams"],
        "chart": charts.hbar_chart(
            "Links recorded per person",
            [
                (p["name"], p["links"], f"{p['links']} links, {p['resolutions']} resolved")
                for p in active[:20]
            ],
            label_width=200,
        ),
        "team_chart": charts.hbar_chart(
            "Links recorded per team",
            [
                (t["team"], t["links"], f"{t['links']} links by {t['active_people']} of {t['members']}")
                for t in data["teams"]
            ],
            label_width=200,
        ),
        "defs": definitions.pick("participation", "links", "resolutions"),
    }
    return _render(request, "metrics/participation.html", period, ctx)


@metrics_page()
def review_queue(request: HttpRequest, period: selectors.Period) -> HttpResponse:
    qs = selectors.review_queue(request.user, period)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [selectors.review_row(a) for a in page.object_list]
    ctx = {
        "rows": rows,
        "page_obj": page,
        "chart": charts.hbar_chart(
            "Risk score (highest first)",
            [
                (r["title"], r["risk"], f"{r['risk']:,.0f}", f"/metrics/articles/{r['id']}/")
                for r in rows[:15]
            ],
        ),
        "defs": definitions.pick("risk", "links", "not_helpful_rate", "open_flags"),
    }
    return _render(request, "metrics/review_queue.html", period, ctx)


@metrics_page()
def failed_searches(request: HttpRequest, period: selectors.Period) -> HttpResponse:
    data = selectors.failed_searches(request.user, period, limit=100)
    ctx = {
        "data": data,
        "chart": charts.hbar_chart(
            "Most frequent failed searches",
            [(r["query"], r["count"], str(r["count"])) for r in data["results"][:15]],
        ),
        "cat_chart": charts.hbar_chart(
            "Failed searches per category, beside its closed tickets",
            [
                (
                    c["category"],
                    c["failed_searches"],
                    f"{c['failed_searches']} failed, {c['closed_tickets']} tickets",
                )
                for c in data["by_category"][:15]
            ],
            label_width=220,
        ),
        "defs": definitions.pick("failed_searches"),
    }
    return _render(request, "metrics/failed_searches.html", period, ctx)


@metrics_page()
def daily_report(request: HttpRequest, period: selectors.Period) -> HttpResponse:
    raw = request.GET.get("date", "")
    error = ""
    day = selectors.today() - timedelta(days=1)
    if raw:
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            error = "Use a date as YYYY-MM-DD."
    data = report.build_report(request.user, day)
    fmt = request.GET.get("format")
    if fmt in ("md", "csv") and not error:
        body = report.to_markdown(data) if fmt == "md" else report.to_csv(data)
        response = HttpResponse(
            body, content_type="text/markdown; charset=utf-8" if fmt == "md" else "text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="kb-report-{day.isoformat()}.{fmt}"'
        return response
    ctx = {
        "r": data,
        "day": day,
        "prev_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "date_error": error,
        "defs": definitions.pick(
            "closed_tickets", "linked_tickets", "link_rate", "stale_heavy_use", "failed_searches"
        ),
    }
    response = _render(request, "metrics/report.html", period, ctx)
    if error:
        response.status_code = 400
    return response
