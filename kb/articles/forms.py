"""Forms for the article pages: they check the shape of input and hand clean data to the services.

Domain rules (unknown category, title too long after normalising, version conflicts) stay in
``kb.articles.services``; the views turn the ``DomainError`` those raise into errors on these forms.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings

from accounts.models import Team
from kb.articles.models import Category, Kind, Status
from kb.articles.services import NOTE_MAX, REVIEW_DAYS_MAX, SUMMARY_MAX, TITLE_MAX
from kb.lib.text_checks import TextChecksFormMixin


def _category_choices() -> list[tuple[str, str]]:
    return [(c.code, f"{c.code} — {c.name}") for c in Category.objects.only("code", "name").order_by("code")]


class ArticleForm(TextChecksFormMixin, forms.Form):
    """Create or edit one article; ``base_version`` is the version the editor started from."""

    name_fields = ("title",)
    name_list_fields = ("tags",)

    title = forms.CharField(max_length=TITLE_MAX, widget=forms.TextInput(attrs={"dir": "auto"}))
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.SOP)
    summary = forms.CharField(
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text="One or two sentences: when to use this article.",
    )
    body = forms.CharField(
        required=False,
        strip=False,
        max_length=settings.KB_MARKDOWN_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 24, "class": "code", "dir": "auto", "spellcheck": "true"}),
        help_text="Markdown: tables, fenced code, - [ ] checklists, !!! note admonitions.",
    )
    categories = forms.MultipleChoiceField(
        required=False, help_text="Ticket categories this article answers (Ctrl/⌘-click for several)."
    )
    tags = forms.CharField(required=False, max_length=2_000, help_text="Comma-separated, e.g. 2fa, recovery.")
    teams = forms.MultipleChoiceField(
        required=False, help_text="Leave empty for everyone; pick teams to restrict a sensitive procedure."
    )
    review_interval_days = forms.IntegerField(
        min_value=1, max_value=REVIEW_DAYS_MAX, initial=90, label="Review every (days)"
    )
    change_note = forms.CharField(
        max_length=NOTE_MAX,
        label="Change note",
        help_text="What changed and why; shown in the history.",
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    base_version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        cast(forms.ChoiceField, self.fields["categories"]).choices = _category_choices()
        cast(forms.ChoiceField, self.fields["teams"]).choices = [
            (t.name, t.name) for t in Team.objects.order_by("name")
        ]

    def clean_teams(self) -> list[str]:
        """Refuse a restriction that would hide the article from the person saving it."""
        names: list[str] = self.cleaned_data.get("teams") or []
        if names and self.user is not None:
            mine = set(self.user.teams.values_list("name", flat=True))
            if not mine.intersection(names):
                raise forms.ValidationError(
                    "You are in none of these teams: you would lose access to this article. "
                    "Include one of your teams."
                )
        return names

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "summary": data["summary"],
            "body": data["body"],
            "categories": list(data["categories"]),
            "tags": data["tags"],
            "teams": list(data["teams"]),
            "review_interval_days": data["review_interval_days"],
        }


MATERIAL_CHOICES = [
    ("minor", "Minor — wording or formatting; no re-read needed"),
    ("material", "Material — the procedure changed; readers must re-read"),
]


class PublishForm(TextChecksFormMixin, forms.Form):
    """Publishing asks, every time, whether the change is material (it drives re-read requests)."""

    version = forms.IntegerField(min_value=1, required=False)
    change = forms.ChoiceField(
        choices=MATERIAL_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether this change is material or minor."},
    )
    note = forms.CharField(required=False, max_length=NOTE_MAX)


class NoteForm(TextChecksFormMixin, forms.Form):
    note = forms.CharField(required=False, max_length=NOTE_MAX)


class RevertForm(TextChecksFormMixin, forms.Form):
    version = forms.IntegerField(min_value=1)
    change_note = forms.CharField(required=False, max_length=NOTE_MAX)


class ArticleFilterForm(forms.Form):
    """Filters of the article list; invalid values are ignored rather than failing the page."""

    q = forms.CharField(required=False, max_length=200, label="Title contains")
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *Kind.choices])
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Status.choices])
    category = forms.ChoiceField(required=False)
    tag = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, tags: list[str], show_status: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", "Any category"),
            *_category_choices(),
        ]
        cast(forms.ChoiceField, self.fields["tag"]).choices = [("", "Any tag"), *[(t, t) for t in tags]]
        if not show_status:
            del self.fields["status"]


class DiffForm(forms.Form):
    from_ = forms.IntegerField(min_value=1)
    to = forms.IntegerField(min_value=1)

    def __init__(self, data: Any, **kwargs: Any) -> None:
        # "from" is a Python keyword: map the query parameter onto from_.
        mapped = {"from_": data.get("from", ""), "to": data.get("to", "")}
        super().__init__(mapped, **kwargs)
