"""Participation per person and per team (leads, admins; docs/metrics.md § Participation)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q

from accounts.models import Team, User
from kb.metrics.counting import _in_period, _local, _visible, hidden_article_ids
from kb.metrics.period import Period
from kb.tickets.models import Feedback, Flag, Outcome, Resolution


def participation(user: Any, period: Period) -> dict[str, list[dict[str, Any]]]:
    """Per person and per team: links recorded, resolved outcomes, feedback, flags (grouped queries)."""
    hidden = hidden_article_ids(user)
    res = Resolution.objects.filter(_in_period(period), _visible(hidden))
    per_user = {
        r["user"]: r
        for r in res.values("user").annotate(
            n=Count("pk"), resolved=Count("pk", filter=Q(outcome=Outcome.RESOLVED)), last=Max("created_at")
        )
    }
    votes = dict(
        Feedback.objects.filter(_in_period(period, "updated_at"), _visible(hidden))
        .values("user")
        .annotate(n=Count("pk"))
        .values_list("user", "n")
    )
    flags = dict(
        Flag.objects.filter(_in_period(period), _visible(hidden))
        .values("raised_by")
        .annotate(n=Count("pk"))
        .values_list("raised_by", "n")
    )
    people = []
    for u in User.objects.filter(is_active=True).only("pk", "username", "first_name", "last_name", "role"):
        r: Any = per_user.get(u.pk, {})
        people.append(
            {
                "user": u.username,
                "name": f"{u.first_name} {u.last_name}".strip() or u.username,
                "role": u.role,
                "links": r.get("n", 0),
                "resolutions": r.get("resolved", 0),
                "feedback": votes.get(u.pk, 0),
                "flags": flags.get(u.pk, 0),
                "last_active": _local(r.get("last")),
            }
        )
    people.sort(key=lambda p: (-p["links"], -p["resolutions"], p["user"]))
    team_rows = {
        r["user__teams"]: r
        for r in res.filter(user__teams__isnull=False)
        .values("user__teams")
        .annotate(
            links=Count("pk"),
            resolved=Count("pk", filter=Q(outcome=Outcome.RESOLVED)),
            people=Count("user", distinct=True),
        )
    }
    members = {r["team"]: r["n"] for r in User.teams.through.objects.values("team").annotate(n=Count("user"))}
    team_out = []
    for team in Team.objects.only("pk", "name"):
        row: Any = team_rows.get(team.pk, {})
        n_members = members.get(team.pk, 0)
        team_out.append(
            {
                "team": team.name,
                "members": n_members,
                "active_people": row.get("people", 0),
                "links": row.get("links", 0),
                "resolutions": row.get("resolved", 0),
                "links_per_member": round(row.get("links", 0) / n_members, 2) if n_members else None,
            }
        )
    team_out.sort(key=lambda r: (-r["links"], r["team"]))
    return {"people": people, "teams": team_out}
