"""Brute-force protection behind a proxy and the audit log of security events."""

from __future__ import annotations

import pytest
from django.test import override_settings

from accounts.models import AuditEvent
from accounts.services import issue_token, upsert_user
from kb.articles.models import Category


def _fail(client, ip: str, username: str = "sam"):
    return client.post(
        "/login/", {"username": username, "password": "wrong-password"}, HTTP_X_FORWARDED_FOR=ip
    )


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, PROXY_COUNT=1, AXES_FAILURE_LIMIT=3)
def test_lockout_counts_the_forwarded_client_not_the_proxy(client, specialist):
    for _ in range(3):
        _fail(client, "203.0.113.7")
    locked = client.post(
        "/login/", {"username": "sam", "password": "correct-horse-42"}, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert locked.status_code == 429
    # Another client behind the same proxy is not locked out.
    other = client.post(
        "/login/", {"username": "sam", "password": "correct-horse-42"}, HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    assert other.status_code == 302
    assert AuditEvent.objects.filter(event="lockout", target="sam", ip="203.0.113.7").exists()


@pytest.mark.django_db
def test_audit_log_records_logins_without_secrets(client, specialist):
    client.post("/login/", {"username": "sam", "password": "wrong-password"})
    client.post("/login/", {"username": "sam", "password": "correct-horse-42"})
    events = list(AuditEvent.objects.order_by("created_at").values_list("event", flat=True))
    assert events[-2:] == ["login_failed", "login_ok"]
    dump = " ".join(f"{e.actor} {e.target} {e.detail}" for e in AuditEvent.objects.all())
    assert "wrong-password" not in dump and "correct-horse-42" not in dump


@pytest.mark.django_db
def test_role_change_and_token_are_audited_without_the_key(specialist, admin_user):
    upsert_user(username="sam", role="lead", actor=admin_user)
    key = issue_token(user=specialist, actor=admin_user)
    role = AuditEvent.objects.get(event="role_change")
    assert (role.actor, role.target, role.detail) == ("ada", "sam", "specialist -> lead")
    token = AuditEvent.objects.get(event="token_created", target="sam")
    assert key not in f"{token.actor} {token.target} {token.detail}"


@pytest.mark.django_db
def test_publish_is_audited_without_the_body(make_article):
    article = make_article(body="secret procedure text")
    event = AuditEvent.objects.get(event="publish")
    assert event.target == f"article:{article.pk}"
    assert "secret procedure" not in event.detail


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ({"name": "Payouts"}, "name 'Creator payouts' -> 'Payouts'"),
        ({"description": "Money to creators."}, "description changed"),
        ({"name": "Creator payouts", "description": "", "parent": None}, None),
    ],
)
def test_category_update_is_audited_only_when_something_changed(lead, category_tree, changes, detail):
    from kb.articles.services import update_category

    update_category(actor=lead, category=category_tree["PAYOUTS"], **changes)
    events = [(e.actor, e.detail) for e in AuditEvent.objects.filter(event="category_update")]
    assert events == ([] if detail is None else [("lee", detail)])


@pytest.mark.django_db
def test_category_delete_audit_never_tells_of_hidden_articles_it_refiled(
    lead, category_tree, make_article, outsider
):
    from kb.articles.services import create_category, delete_category

    create_category(actor=lead, code="SAFETY.MINORS.REPORTS", name="Reports")
    make_article("Minor report triage", categories=("SAFETY.MINORS.REPORTS",), teams=["SG Creator Support"])
    outsider.role = "lead"
    outsider.save(update_fields=["role"])
    delete_category(actor=outsider, category=Category.objects.get(code="SAFETY.MINORS.REPORTS"))
    event = AuditEvent.objects.get(event="category_delete")
    assert (event.actor, event.target, event.detail) == (
        "oz",
        "category:SAFETY.MINORS.REPORTS",
        "name 'Reports'; parent SAFETY.MINORS",
    )
    assert "triage" not in " ".join(AuditEvent.objects.filter(actor="oz").values_list("detail", flat=True))
