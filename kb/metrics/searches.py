"""Failed searches from the search log, and per category beside its tickets (docs/metrics.md)."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Count

from kb.metrics.counting import _local, closed_tickets
from kb.metrics.period import Period

log = logging.getLogger(__name__)


def failed_searches(user: Any, period: Period, *, limit: int = 50) -> dict[str, Any]:
    """Failed searches of the period, and per category how often searches failed beside its tickets."""
    try:
        from kb.search.selectors import failed_searches as search_failed  # lazy: optional dependency

        rows = list(search_failed(user=user, since=period.since, until=period.until, limit=limit))
        available = True
    except Exception:
        log.warning("metrics: the search log is unavailable", exc_info=True)
        rows, available = [], False
    results = []
    per_cat: dict[str, int] = {}
    for r in rows:
        cats = dict(r.get("categories") or {})
        for code, n in cats.items():
            per_cat[code] = per_cat.get(code, 0) + int(n)
        results.append(
            {
                "query": r.get("query", ""),
                "count": int(r.get("count", 0)),
                "no_results": int(r.get("no_results", 0)),
                "not_opened": int(r.get("not_opened", 0)),
                "reported": int(r.get("reported", 0)),
                "last_seen": _local(r.get("last_seen")),
                "categories": cats,
            }
        )
    by_category = []
    if per_cat:
        tickets = dict(
            closed_tickets(period)
            .filter(category__code__in=list(per_cat))
            .values("category__code")
            .annotate(n=Count("pk"))
            .values_list("category__code", "n")
        )
        for code, n in sorted(per_cat.items(), key=lambda kv: (-kv[1], kv[0])):
            by_category.append(
                {"category": code, "failed_searches": n, "closed_tickets": tickets.get(code, 0)}
            )
    return {"available": available, "results": results, "by_category": by_category}
