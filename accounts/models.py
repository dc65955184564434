"""Users with one role each, and teams that scope restricted articles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    SPECIALIST = "specialist", "Specialist"
    LEAD = "lead", "Lead"
    TRAINER = "trainer", "Trainer"
    ADMIN = "admin", "Admin"


class Team(models.Model):
    """A group of people; articles restricted to a team are invisible to everyone outside it."""

    name = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A kb user: the role decides what they may do, teams decide what they may see."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SPECIALIST)
    teams = models.ManyToManyField(Team, related_name="members", blank=True)

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.username

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    # Role capabilities (CONTRACT §3). Checks read these, never is_staff.
    @property
    def is_editor(self) -> bool:
        return self.role in (Role.LEAD, Role.ADMIN)

    @property
    def sees_drafts(self) -> bool:
        return self.role in (Role.LEAD, Role.TRAINER, Role.ADMIN)

    @property
    def is_trainer(self) -> bool:
        return self.role in (Role.TRAINER, Role.ADMIN)

    @property
    def sees_metrics(self) -> bool:
        return self.role in (Role.LEAD, Role.TRAINER, Role.ADMIN)

    @property
    def sees_participation(self) -> bool:
        return self.role in (Role.LEAD, Role.ADMIN)

    @property
    def is_kb_admin(self) -> bool:
        return self.role == Role.ADMIN


class AuditEvent(models.Model):
    """One security-relevant event (login, lockout, role change, token, publish, revert)."""

    event = models.CharField(max_length=40, db_index=True)
    actor = models.CharField(max_length=150, blank=True)
    target = models.CharField(max_length=200, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    ip = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.event} {self.actor} {self.target}"
