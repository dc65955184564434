"""kb_training_reminders: one message per person with what is due within 2 days, overdue or to re-read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from kb.training import services
from kb.training.models import Assignment
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_one_message_per_person_with_the_right_items(
    trainer, specialist, lead, make_article, republish, today
):
    specialist.email, lead.email, trainer.email = "sam@example.com", "lee@example.com", "tia@example.com"
    for u in (specialist, lead, trainer):
        u.save(update_fields=["email"])
    soon, late, far, changed = (
        make_article("Due soon SOP"),
        make_article("Overdue SOP"),
        make_article("Far away SOP"),
        make_article("Changed SOP"),
    )
    services.create_assignment(actor=trainer, article=soon.pk, user="sam", due=today + dt.timedelta(days=2))
    late_assignment = services.create_assignment(
        actor=trainer, article=late.pk, team="SG Creator Support", due=today
    )
    services.create_assignment(actor=trainer, article=far.pk, user="sam", due=today + dt.timedelta(days=3))
    services.acknowledge_article(user=specialist, article_id=changed.pk, version=1)
    republish(changed, material=True)
    Assignment.objects.filter(pk=late_assignment.pk).update(due=today - dt.timedelta(days=1))
    # lee and tia acknowledged the overdue one: only sam is behind on it
    services.acknowledge_article(user=lead, article_id=late.pk, version=1)
    services.acknowledge_article(user=trainer, article_id=late.pk, version=1)
    make_user("nobody-due", "specialist")  # nothing assigned: no mail

    call_command("kb_training_reminders", "--date", today.isoformat())

    assert len(mail.outbox) == 1
    [message] = mail.outbox
    assert message.to == ["sam@example.com"]
    assert "1 overdue" in message.subject
    body = message.body
    assert "Due soon SOP" in body and "Overdue SOP" in body and "Changed SOP" in body
    assert "Far away SOP" not in body
    assert f"/articles/{changed.slug}/diff/?from=1&to=2" in body
    assert "you read v1, now v2" in body


def test_date_option_moves_the_window(trainer, specialist, make_article, today, capsys):
    specialist.email = "sam@example.com"
    specialist.save(update_fields=["email"])
    article = make_article()
    services.create_assignment(
        actor=trainer, article=article.pk, user="sam", due=today + dt.timedelta(days=10)
    )
    call_command("kb_training_reminders", "--date", today.isoformat())
    assert mail.outbox == []
    call_command("kb_training_reminders", "--date", (today + dt.timedelta(days=8)).isoformat())
    assert len(mail.outbox) == 1 and "Due soon" in mail.outbox[0].body
    call_command("kb_training_reminders", "--date", (today + dt.timedelta(days=11)).isoformat())
    assert len(mail.outbox) == 2 and "Overdue:" in mail.outbox[1].body
    assert "reminders: 1 sent, 0 skipped" in capsys.readouterr().out


def test_person_without_email_is_reported_not_mailed(trainer, specialist, make_article, today, capsys):
    article = make_article()
    services.create_assignment(actor=trainer, article=article.pk, user="sam", due=today)
    call_command("kb_training_reminders")
    assert mail.outbox == []
    out = capsys.readouterr()
    assert "skipped sam: no email address" in out.err and "0 sent, 1 skipped" in out.out


def test_bad_date_is_an_error():
    with pytest.raises(CommandError):
        call_command("kb_training_reminders", "--date", "22/11/2026")
