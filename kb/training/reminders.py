"""Reading reminders: one message per person with what is due within 2 days, overdue, or to re-read.

Used by ``kb_training_reminders``. The items come from ``selectors.my_reading`` for each person, so a
reminder lists exactly what that person's My reading page shows as needing attention.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string

from accounts.models import User
from kb.training import selectors


@dataclass
class ReminderResult:
    sent: int
    skipped_without_email: list[str]


def due_items(items: list[selectors.ReadingItem], *, today: dt.date) -> list[selectors.ReadingItem]:
    """What a reminder lists: re-reads, overdue items, and items due within the next 2 days."""
    horizon = today + dt.timedelta(days=selectors.REMINDER_WINDOW_DAYS)
    return [
        i
        for i in items
        if i.state in (selectors.REACK, selectors.OVERDUE)
        or (i.state == selectors.TODO and i.due is not None and i.due <= horizon)
    ]


def send_reminders(*, today: dt.date | None = None, base_url: str = "") -> ReminderResult:
    """Send one email per person who has something due; nobody else gets anything."""
    today = today or selectors.training_today()
    per_person = selectors.all_open_items(today=today)
    people = {u.pk: u for u in User.objects.filter(pk__in=per_person)}
    messages = []
    skipped = []
    for user_id, items in per_person.items():
        listed = due_items(items, today=today)
        if not listed:
            continue
        user = people[user_id]
        if not user.email:
            skipped.append(user.username)
            continue
        overdue = [i for i in listed if i.state == selectors.OVERDUE]
        context = {
            "user": user,
            "today": today,
            "reack": [i for i in listed if i.state == selectors.REACK],
            "overdue": overdue,
            "soon": [i for i in listed if i.state == selectors.TODO],
            "base_url": base_url.rstrip("/"),
        }
        subject = f"Reading due: {len(listed)} article{'s' if len(listed) != 1 else ''}"
        if overdue:
            subject += f" ({len(overdue)} overdue)"
        body = render_to_string("training/reminder_email.txt", context)
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    return ReminderResult(sent=len(messages), skipped_without_email=skipped)
