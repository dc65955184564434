"""Form shapes for the training pages; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from accounts.models import Team, User
from kb.lib.text_checks import TextChecksFormMixin


class ReadingListForm(TextChecksFormMixin, forms.Form):
    name_fields = ("title",)
    title = forms.CharField(max_length=200, label="Title")
    description = forms.CharField(
        required=False, max_length=5000, label="Description", widget=forms.Textarea(attrs={"rows": 3})
    )


class AddArticleForm(forms.Form):
    article = forms.TypedChoiceField(coerce=int, label="Add an article", choices=())

    def __init__(self, *args, articles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [("", "Choose an article…")] + [(a.pk, a.title) for a in articles]


class AssignForm(forms.Form):
    """Target: a reading list or an article; assignee: a person or a team (one of each)."""

    reading_list = forms.ChoiceField(required=False, label="Reading list", choices=())
    article = forms.ChoiceField(required=False, label="…or one article", choices=())
    team = forms.ChoiceField(required=False, label="Team", choices=())
    user = forms.ChoiceField(required=False, label="…or one person", choices=())
    due = forms.DateField(label="Due", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        required=False,
        max_length=2000,
        label="Note for the readers",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    requires_quiz = forms.BooleanField(required=False, label="Passing the article's quiz is required")

    def __init__(self, *args, lists=(), articles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reading_list"].choices = [("", "—")] + [(rl.pk, rl.title) for rl in lists]
        self.fields["article"].choices = [("", "—")] + [(a.pk, a.title) for a in articles]
        self.fields["team"].choices = [("", "—")] + [(t.name, t.name) for t in Team.objects.order_by("name")]
        self.fields["user"].choices = [("", "—")] + [
            (u.username, f"{u.display_name} ({u.username})")
            for u in User.objects.filter(is_active=True).order_by("username")
        ]


class GridFilterForm(forms.Form):
    team = forms.ChoiceField(required=False, label="Team", choices=())
    reading_list = forms.ChoiceField(required=False, label="Reading list", choices=())

    def __init__(self, *args, lists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "—")] + [(t.name, t.name) for t in Team.objects.order_by("name")]
        self.fields["reading_list"].choices = [("", "—")] + [(str(rl.pk), rl.title) for rl in lists]
