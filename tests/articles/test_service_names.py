"""Names are held to one rule in the services too (issue 12 §3): imports and commands call the
services without a form or serializer in front, so the rule must hold there as well."""

from __future__ import annotations

import pytest

from accounts.services import ensure_teams
from kb.articles import services
from kb.articles.models import Tag
from kb.lib.errors import InvalidInput

BIDI = "Payout\u202ereversed"
INVISIBLE = "\u200b\u200d\u2060"


@pytest.mark.parametrize("name", [BIDI, INVISIBLE], ids=["bidi", "invisible-only"])
def test_a_tag_name_with_bidi_controls_or_only_invisible_characters_is_refused(db, lead, category_tree, name):
    with pytest.raises(InvalidInput) as refused:
        services.create_article(actor=lead, title="Payout holds", tags=["payouts", name], change_note="first")
    assert refused.value.field == "tags"
    assert not Tag.objects.filter(name__icontains="payout").exclude(name="payouts").exists()


@pytest.mark.parametrize("name", [BIDI, INVISIBLE], ids=["bidi", "invisible-only"])
def test_a_category_name_with_bidi_controls_or_only_invisible_characters_is_refused(db, lead, name):
    with pytest.raises(InvalidInput) as refused:
        services.create_category(actor=lead, code="PAYOUTS", name=name)
    assert refused.value.field == "name"


@pytest.mark.parametrize("name", [BIDI, INVISIBLE], ids=["bidi", "invisible-only"])
def test_a_team_name_with_bidi_controls_or_only_invisible_characters_is_refused(db, name):
    with pytest.raises(InvalidInput) as refused:
        ensure_teams(["Payout Ops", name])
    assert refused.value.field == "team"


def test_a_huge_tag_list_is_refused_before_any_tag_is_processed(db, lead, category_tree, monkeypatch):
    from kb.articles.services import content

    looked_at: list[str] = []
    real = content.unicodedata.normalize
    monkeypatch.setattr(
        content.unicodedata, "normalize", lambda form, s: looked_at.append(s) or real(form, s)
    )
    with pytest.raises(InvalidInput) as refused:
        services.create_article(
            actor=lead, title="Payout holds", tags=[f"t{i}" for i in range(100_000)], change_note="first"
        )
    assert refused.value.field == "tags"
    assert len(looked_at) <= 2 * content.TAGS_MAX
