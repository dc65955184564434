"""A small, hand-countable fixture for the metrics (expected values are worked out in the tests).

Period under test: 2026-08-01 .. 2026-08-03 in Asia/Jakarta (UTC+7).

Articles: A (2FA, open to all), B (PAYOUTS, restricted to SG Creator Support), C (2FA, open to all,
first published 2026-08-02 12:00 +07, i.e. after T2 opened).

Tickets (closed_at in +07):            Resolutions (created_at in UTC):
T1 2FA    closed 08-01 00:30 (in)       R1 T1–A helpful      07-31 18:00Z = 08-01 01:00 +07 (in)  by sam
T2 2FA    closed 08-03 23:59 (in)       R2 T2–C resolved     08-05 10:00Z (out; made after closing) by sam
T3 SAFETY closed 08-04 00:00 (out)      R3 T5–B not_helpful  08-02 03:00Z (in)                    by sam
T4 2FA    closed 08-02 10:00 (in)       R4 T6–A resolved     08-03 16:30Z = 08-03 23:30 +07 (in)  by lee
T5 PAYOUTS closed 08-02 09:00 (in)      R5 T3–A escalated    08-03 17:00Z = 08-04 00:00 +07 (out) by sam
T6 SAFETY still open
"""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kb.articles.models import Article, Publication
from kb.tickets import services
from kb.tickets.models import Feedback, Flag, Resolution
from tests.conftest import make_user

JKT = ZoneInfo("Asia/Jakarta")
UTC = ZoneInfo("UTC")


def jkt(*args) -> datetime:
    return datetime(*args, tzinfo=JKT)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def jakarta(settings):
    settings.TIME_ZONE = "Asia/Jakarta"
    return settings


@pytest.fixture
def world(jakarta, lead, specialist, trainer, make_article):
    a = make_article("A reset 2FA", categories=["ACCOUNT.LOGIN.2FA"])
    b = make_article("B payout hold", categories=["PAYOUTS"], teams=["SG Creator Support"])
    c = make_article("C new 2FA device", categories=["ACCOUNT.LOGIN.2FA"])
    Publication.objects.filter(article__in=[a, b]).update(created_at=utc(2026, 7, 1))
    Publication.objects.filter(article=c).update(created_at=jkt(2026, 8, 2, 12, 0))
    tickets = [
        ("T1", "ACCOUNT.LOGIN.2FA", jkt(2026, 7, 30, 9), jkt(2026, 8, 1, 0, 30)),
        ("T2", "ACCOUNT.LOGIN.2FA", jkt(2026, 8, 2, 0, 0), jkt(2026, 8, 3, 23, 59)),
        ("T3", "SAFETY", jkt(2026, 8, 1, 8), jkt(2026, 8, 4, 0, 0)),
        ("T4", "ACCOUNT.LOGIN.2FA", jkt(2026, 8, 1, 12), jkt(2026, 8, 2, 10, 0)),
        ("T5", "PAYOUTS", jkt(2026, 8, 1, 8), jkt(2026, 8, 2, 9, 0)),
        ("T6", "SAFETY", jkt(2026, 8, 2, 8), None),
    ]
    for ext, cat, opened, closed in tickets:
        services.upsert_ticket(
            external_id=ext,
            category=cat,
            opened_at=opened,
            closed_at=closed,
            status="closed" if closed else "open",
        )
    links = [
        ("T1", a, "helpful", utc(2026, 7, 31, 18), specialist),
        ("T2", c, "resolved", utc(2026, 8, 5, 10), specialist),
        ("T5", b, "not_helpful", utc(2026, 8, 2, 3), specialist),
        ("T6", a, "resolved", utc(2026, 8, 3, 16, 30), lead),
        ("T3", a, "escalated", utc(2026, 8, 3, 17), specialist),
    ]
    for ext, art, outcome, when, who in links:
        r, _ = services.record_resolution(actor=who, ticket=ext, article=art.pk, outcome=outcome)
        Resolution.objects.filter(pk=r.pk).update(created_at=when, updated_at=when)
    f1, _ = services.give_feedback(actor=specialist, article=a.pk, helpful=False)
    f2, _ = services.give_feedback(actor=specialist, article=b.pk, helpful=True)
    Feedback.objects.filter(pk__in=[f1.pk, f2.pk]).update(updated_at=utc(2026, 8, 2, 5))
    fa = services.raise_flag(actor=specialist, article=a.pk, reason="outdated")
    fb = services.raise_flag(actor=specialist, article=b.pk, reason="unclear")
    Flag.objects.filter(pk=fa.pk).update(created_at=utc(2026, 8, 2, 6))
    Flag.objects.filter(pk=fb.pk).update(created_at=utc(2026, 7, 15))
    now = timezone.now()
    Article.objects.filter(pk=a.pk).update(last_reviewed_at=now - timedelta(days=100))
    Article.objects.filter(pk=b.pk).update(last_reviewed_at=now - timedelta(days=10))
    Article.objects.filter(pk=c.pk).update(last_reviewed_at=now - timedelta(days=400))
    outside_lead = make_user("jo", "lead", ("Jakarta Live Safety",))
    return SimpleNamespace(a=a, b=b, c=c, lead=lead, specialist=specialist, trainer=trainer, jo=outside_lead)


PERIOD = "?since=2026-08-01&until=2026-08-03"
