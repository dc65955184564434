"""Site-wide pages: home and the health check."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from accounts.models import User
from kb.articles import access, selectors


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Search box, category browser with counts, recently published, and an editor's overdue reviews."""
    from kb.articles.views import category_nodes

    user = cast(User, request.user)
    recent = (
        selectors.list_articles(user)
        .filter(published_version__isnull=False)
        .exclude(status="archived")
        .order_by("-published_at")[:8]
    )
    stale = selectors.stale_articles(user, owner=user)[:8] if access.is_editor(user) else []
    return render(request, "home.html", {"nodes": category_nodes(user), "recent": recent, "stale": stale})


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as exc:  # any driver error means "down"; the class name is safe to show
        return f"unavailable: {type(exc).__name__}"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: database, search index, and the outbox backlog. No secrets."""
    from kb.search.health import search_health

    database = _database_status()
    search, pending = search_health(database_ok=database == "ok")
    ok = database == "ok" and search == "ok"
    payload = {
        "status": "ok" if ok else "degraded",
        "database": database,
        "search": search,
        "outbox_pending": pending,
    }
    # CONTRACT §5: only a database that is down takes the node out of a load balancer; a degraded
    # search still answers (from the database) with 200.
    return JsonResponse(payload, status=200 if database == "ok" else 503)
