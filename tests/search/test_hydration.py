"""Search hits are hydrated through the access rule: what a reader may not read never comes back."""

from __future__ import annotations

import pytest

from kb.articles import services as article_services
from kb.search.selectors import readable_hits

pytestmark = pytest.mark.django_db


def test_hits_keep_only_what_the_reader_may_read_with_the_fields_a_row_shows(
    make_article, specialist, outsider, lead
):
    public = make_article("Reset a creator's 2FA", categories=("ACCOUNT.LOGIN.2FA",))
    team = make_article("Escalate a minor safety report", teams=["SG Creator Support"])
    draft = make_article("Not yet", published=False)
    archived = make_article("Old payout rule")
    article_services.archive_article(actor=lead, article=archived)
    ids = [team.pk, public.pk, draft.pk, archived.pk, 987654]

    seen = readable_hits(specialist, ids)
    assert set(seen) == {public.pk, team.pk}
    hit = seen[public.pk]
    assert hit.slug == public.slug
    assert hit.published_version == 1
    assert hit.published_record.title == "Reset a creator's 2FA"
    assert hit.published_record.category_codes == ["ACCOUNT.LOGIN.2FA"]  # decoded JSON on every backend
    assert hit.get_absolute_url() == public.get_absolute_url()

    assert set(readable_hits(outsider, ids)) == {public.pk}
    assert readable_hits(None, ids) == {}
    assert readable_hits(specialist, []) == {}
