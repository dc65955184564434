"""Ticket, resolution, feedback and flag services: outcomes, pinning, bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from kb.articles import services as article_services
from kb.lib.errors import Conflict, InvalidInput, NotAllowed, NotFound
from kb.tickets import services
from kb.tickets.models import Feedback, Flag, Resolution, Ticket


def test_upsert_creates_then_updates(category_tree):
    t, created = services.upsert_ticket(
        external_id="ZD-1", category="PAYOUTS", subject="Late payout", opened_at="2026-07-30T08:00:00+07:00"
    )
    assert created and t.status == "open" and t.closed_at is None
    closed = datetime(2026, 8, 1, 9, 30, tzinfo=UTC)
    t2, created2 = services.upsert_ticket(
        external_id="ZD-1", category="ACCOUNT", subject="Late payout", status="solved", closed_at=closed
    )
    assert not created2 and t2.pk == t.pk
    assert t2.category.code == "ACCOUNT" and t2.closed_at == closed
    assert Ticket.objects.count() == 1


def test_closed_ticket_without_time_gets_now_and_reopening_clears_it(category_tree):
    t, _ = services.upsert_ticket(external_id="ZD-2", category="PAYOUTS", status="closed")
    assert t.closed_at is not None and abs(timezone.now() - t.closed_at) < timedelta(minutes=1)
    t, _ = services.upsert_ticket(external_id="ZD-2", category="PAYOUTS", status="open")
    assert t.closed_at is None


@pytest.mark.parametrize(
    "external_id, message",
    [
        ("x" * 10_000, "at most 64 characters"),
        ("has space", "may only contain"),
        ("", "required"),
        ("T/1", "may only contain"),
    ],
)
def test_bad_ticket_ids_are_refused_with_the_reason(category_tree, external_id, message):
    with pytest.raises(InvalidInput) as exc:
        services.upsert_ticket(external_id=external_id, category="PAYOUTS")
    assert message in exc.value.message
    assert exc.value.field == "external_id"
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize("code", ["NOPE", "ACCOUNT LOGIN", "account.login"])
def test_unknown_category_is_named_and_never_created(category_tree, code):
    with pytest.raises(InvalidInput) as exc:
        services.upsert_ticket(external_id="T-9", category=code)
    assert code in exc.value.message and exc.value.field == "category"
    assert Ticket.objects.count() == 0


def test_ticket_cannot_close_before_it_opened(category_tree):
    with pytest.raises(InvalidInput):
        services.upsert_ticket(
            external_id="T-10",
            category="PAYOUTS",
            status="closed",
            opened_at="2026-08-02T00:00:00Z",
            closed_at="2026-08-01T00:00:00Z",
        )


def test_resolution_is_idempotent_per_ticket_and_article(specialist, lead, make_article, make_ticket):
    article = make_article()
    ticket = make_ticket()
    r1, created1 = services.record_resolution(
        actor=specialist, ticket="T-123", article=article.pk, outcome="helpful"
    )
    r2, created2 = services.record_resolution(
        actor=specialist, ticket="T-123", article=article.pk, outcome="resolved"
    )
    assert created1 and not created2 and r1.pk == r2.pk
    assert Resolution.objects.get().outcome == "resolved"
    assert r2.version == article.published_version == 1
    assert ticket.resolutions.count() == 1


def test_version_pinning_survives_later_edit_and_publish(specialist, lead, make_article, make_ticket):
    article = make_article()
    make_ticket()
    record, _ = services.record_resolution(
        actor=specialist, ticket="T-123", article=article.pk, outcome="resolved"
    )
    article = article_services.update_article(
        actor=lead, article=article, base_version=1, change_note="New step", body="# New\n\n1. Call.\n"
    )
    article_services.publish_article(actor=lead, article=article, material=True)
    record.refresh_from_db()
    assert record.version == 1
    # a new resolution on another ticket reads the new published version
    make_ticket("T-124")
    later, _ = services.record_resolution(
        actor=specialist, ticket="T-124", article=article.pk, outcome="helpful"
    )
    assert later.version == 2


def test_resolution_bad_input(specialist, make_article, make_ticket, outsider):
    article = make_article()
    hidden = make_article("Minor safety escalation", teams=["SG Creator Support"])
    draft = make_article("Draft only", published=False)
    make_ticket()
    with pytest.raises(InvalidInput, match="Unknown ticket: T-404"):
        services.record_resolution(actor=specialist, ticket="T-404", article=article.pk, outcome="resolved")
    with pytest.raises(InvalidInput, match="Unknown article: 999999"):
        services.record_resolution(actor=specialist, ticket="T-123", article=999999, outcome="resolved")
    with pytest.raises(InvalidInput, match="Unknown article"):
        services.record_resolution(actor=outsider, ticket="T-123", article=hidden.pk, outcome="resolved")
    with pytest.raises(InvalidInput, match="Unknown article"):
        services.record_resolution(actor=specialist, ticket="T-123", article=draft.pk, outcome="resolved")
    with pytest.raises(InvalidInput, match="not one of"):
        services.record_resolution(actor=specialist, ticket="T-123", article=article.pk, outcome="fixed")
    with pytest.raises(InvalidInput, match="never published"):
        services.record_resolution(
            actor=specialist, ticket="T-123", article=article.pk, outcome="resolved", version=7
        )
    assert Resolution.objects.count() == 0


def test_unpublished_draft_version_cannot_be_pinned(specialist, lead, make_article, make_ticket):
    article = make_article()
    article_services.update_article(actor=lead, article=article, base_version=1, change_note="wip", body="x")
    make_ticket()
    with pytest.raises(InvalidInput, match="never published"):
        services.record_resolution(
            actor=specialist, ticket="T-123", article=article.pk, outcome="resolved", version=2
        )


def test_feedback_one_per_person_and_version(specialist, make_article):
    article = make_article()
    services.give_feedback(actor=specialist, article=article.pk, helpful=True, comment="great")
    _fb, created = services.give_feedback(
        actor=specialist, article=article.pk, helpful=False, comment="wrong"
    )
    assert not created
    assert Feedback.objects.count() == 1 and Feedback.objects.get().helpful is False
    with pytest.raises(InvalidInput):
        services.give_feedback(actor=specialist, article=article.pk, helpful="yes")


def test_feedback_on_hidden_article_is_not_found(outsider, make_article):
    hidden = make_article("Restricted", teams=["SG Creator Support"])
    with pytest.raises(NotFound):
        services.give_feedback(actor=outsider, article=hidden.pk, helpful=True)


def test_flag_lifecycle(specialist, lead, make_article):
    article = make_article()
    flag = services.raise_flag(actor=specialist, article=article.pk, reason="outdated", comment="Old form")
    assert flag.state == "open" and flag.version == 1
    with pytest.raises(InvalidInput):
        services.raise_flag(actor=specialist, article=article.pk, reason="boring")
    with pytest.raises(NotAllowed):
        services.close_flag(actor=specialist, flag=flag.pk, resolution="no")
    with pytest.raises(InvalidInput):
        services.close_flag(actor=lead, flag=flag.pk, resolution="  ")
    closed = services.close_flag(actor=lead, flag=flag.pk, resolution="Updated the form link in v2")
    assert closed.state == "closed" and closed.closed_by == lead and closed.closed_at is not None
    with pytest.raises(Conflict):
        services.close_flag(actor=lead, flag=flag.pk, resolution="again")
    assert Flag.objects.get().resolution == "Updated the form link in v2"
