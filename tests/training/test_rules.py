"""The reading rules (docs/training.md): done, reack, overdue, todo; teams resolved at query time."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Team
from kb.articles import services as article_services
from kb.lib.errors import Conflict, NotFound
from kb.training import selectors, services
from kb.training.models import Acknowledgment
from kb.training.selectors import DONE, OVERDUE, REACK, TODO, item_state, my_reading
from kb.training.views import reack_changes
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def states(user, **kw):
    return {i.article.pk: i.state for i in my_reading(user, **kw)}


def test_item_state_table():
    today = dt.date(2026, 5, 10)
    yesterday, tomorrow = dt.date(2026, 5, 9), dt.date(2026, 5, 11)
    # acknowledged the published version
    assert (
        item_state(acknowledged=3, published=3, material_versions=[2, 3], due=yesterday, today=today) == DONE
    )
    # acknowledged v2, v3 minor published: still done
    assert item_state(acknowledged=2, published=3, material_versions=[2], due=yesterday, today=today) == DONE
    # acknowledged v2, v3 material: read again, whatever the due date
    assert item_state(acknowledged=2, published=3, material_versions=[3], due=yesterday, today=today) == REACK
    # a material v5 exists but readers see v4 (pinned back): not asked yet
    assert item_state(acknowledged=3, published=4, material_versions=[5], due=None, today=today) == DONE
    # never acknowledged
    assert (
        item_state(acknowledged=None, published=1, material_versions=[], due=yesterday, today=today)
        == OVERDUE
    )
    assert item_state(acknowledged=None, published=1, material_versions=[], due=today, today=today) == TODO
    assert item_state(acknowledged=None, published=1, material_versions=[], due=tomorrow, today=today) == TODO
    # acknowledged but the required quiz not passed: not done yet
    assert (
        item_state(
            acknowledged=1, published=1, material_versions=[], due=tomorrow, today=today, quiz_pending=True
        )
        == TODO
    )


def test_material_change_flow_end_to_end(trainer, specialist, lead, make_article, republish, today):
    """ack v2 → material v3 → asked again with the v2→v3 diff → ack v3 → done; minor v4 → not asked."""
    article = make_article("Verify a creator's identity", body="Ask for the ID.\n")
    article = republish(article, material=False, body="Ask for the ID and a selfie.\n")  # v2
    assert article.published_version == 2
    services.create_assignment(
        actor=trainer, article=article.pk, user=specialist.username, due=today + dt.timedelta(days=5)
    )
    assert states(specialist) == {article.pk: TODO}

    services.acknowledge_article(user=specialist, article_id=article.pk, version=2)
    assert states(specialist) == {article.pk: DONE}

    article = republish(
        article, material=True, body="Ask for the ID, a selfie and the account email.\n"
    )  # v3
    [item] = my_reading(specialist)
    assert item.state == REACK
    assert item.acknowledged_version == 2 and item.published_version == 3
    assert item.diff_url == f"/articles/{article.slug}/diff/?from=2&to=3"
    body = next(c for c in reack_changes(item) if c["field"] == "body")
    assert ["insert", " and the account email"] in body["ops"] or any(
        op == "insert" and "account email" in text for op, text in body["ops"]
    )
    assert selectors.attention_counts(specialist)["reack"] == 1

    services.acknowledge_article(user=specialist, article_id=article.pk, version=3)
    assert states(specialist) == {article.pk: DONE}

    article = republish(article, material=False)  # v4, minor
    [item] = my_reading(specialist)
    assert item.state == DONE and item.acknowledged_version == 3 and item.published_version == 4
    assert selectors.attention_counts(specialist) == {"pending": 0, "overdue": 0, "reack": 0}


def test_material_change_asks_readers_who_acknowledged_outside_any_assignment(
    specialist, make_article, republish
):
    article = make_article("Payout holds")
    services.acknowledge_article(user=specialist, article_id=article.pk, version=1)
    assert my_reading(specialist) == []  # read on their own, nothing to ask
    republish(article, material=False)
    assert my_reading(specialist) == []
    republish(article, material=True)
    [item] = my_reading(specialist)
    assert item.state == REACK and item.due is None and item.assignment_ids == []


def test_person_who_joins_the_team_later_is_covered_and_who_leaves_is_not(
    trainer, specialist, make_article, today
):
    article = make_article("Escalate a livestream")
    team = Team.objects.get(name="SG Creator Support")
    assignment = services.create_assignment(
        actor=trainer, article=article.pk, team=team.name, due=today + dt.timedelta(days=3)
    )
    newcomer = make_user("nia", "specialist")
    assert my_reading(newcomer) == []
    newcomer.teams.add(team)
    assert states(newcomer) == {article.pk: TODO}
    people = {
        r.person.username for r in selectors.assignment_progress(viewer=trainer, assignment=assignment).rows
    }
    assert "nia" in people and "sam" in people

    specialist.teams.remove(team)
    assert my_reading(specialist) == []
    people = {
        r.person.username for r in selectors.assignment_progress(viewer=trainer, assignment=assignment).rows
    }
    assert "sam" not in people and "nia" in people


def test_overdue_uses_the_due_day_in_the_site_time_zone(trainer, specialist, make_article, today):
    article = make_article()
    services.create_assignment(actor=trainer, article=article.pk, user=specialist.username, due=today)
    assert states(specialist) == {article.pk: TODO}
    assert states(specialist, today=today + dt.timedelta(days=1)) == {article.pk: OVERDUE}
    services.acknowledge_article(user=specialist, article_id=article.pk, version=1)
    assert states(specialist, today=today + dt.timedelta(days=1)) == {article.pk: DONE}


def test_acknowledging_a_version_that_is_not_published_is_a_conflict(
    specialist, lead, make_article, republish
):
    article = make_article()
    article = republish(article, material=True)  # v2 published
    article_services.update_article(
        actor=lead, article=article, base_version=2, change_note="draft", body="Draft v3"
    )
    for version in (1, 3, 99):
        with pytest.raises(Conflict):
            services.acknowledge_article(user=specialist, article_id=article.pk, version=version)
    ack, created = services.acknowledge_article(user=specialist, article_id=article.pk, version=2)
    assert created and ack.version == 2
    again, created = services.acknowledge_article(user=specialist, article_id=article.pk, version=2)
    assert not created and again.pk == ack.pk


def test_an_article_the_reader_cannot_read_cannot_be_acknowledged(outsider, make_article):
    restricted = make_article("SG only", teams=["SG Creator Support"])
    draft = make_article("Draft", published=False)
    for article in (restricted, draft):
        with pytest.raises(NotFound):
            services.acknowledge_article(user=outsider, article_id=article.pk, version=1)


def test_restricted_article_in_a_team_list_is_omitted_for_members_who_cannot_read_it(
    trainer, specialist, outsider, make_article, today
):
    public = make_article("Public SOP")
    restricted = make_article("SG only", teams=["SG Creator Support"])
    rl = services.create_reading_list(actor=trainer, title="Week 1", articles=[public.pk, restricted.pk])
    jakarta = Team.objects.get(name="Jakarta Live Safety")
    # a trainer who is also in Jakarta assigns the list to Jakarta
    trainer.teams.add(jakarta)
    services.create_assignment(actor=trainer, reading_list=rl.pk, team=jakarta.name, due=today)
    assert states(outsider) == {public.pk: TODO}
    grid = selectors.reading_list_grid(viewer=trainer, reading_list=rl)
    row = next(r for r in grid.rows if r.person == outsider)
    assert row.total == 1
    assert [c is None for c in row.cells] == [False, True]


def test_panel_facts_read_the_latest_acknowledgment_the_earliest_due_date_and_the_quiz(
    trainer, specialist, outsider, lead, make_article, today
):
    article = make_article("Payout holds")
    other = make_article("Unrelated")
    assert selectors.panel_facts(specialist, article) == selectors.PanelFacts(
        ack=None, due=None, has_quiz=False
    )

    rl = services.create_reading_list(actor=trainer, title="Week 1", articles=[article.pk])
    services.create_assignment(
        actor=trainer, reading_list=rl.pk, team="SG Creator Support", due=today + dt.timedelta(days=9)
    )
    services.create_assignment(
        actor=trainer, article=article.pk, user=specialist.username, due=today + dt.timedelta(days=3)
    )
    services.set_quiz(
        actor=trainer,
        article_id=article.pk,
        questions=[{"text": "Who?", "choices": ["a", "b"], "correct": 0}],
    )
    facts = selectors.panel_facts(specialist, article)
    assert facts.due == today + dt.timedelta(days=3) and facts.has_quiz and facts.ack is None
    assert selectors.panel_facts(outsider, article).due is None  # not in the team, not assigned
    assert selectors.panel_facts(specialist, other) == selectors.PanelFacts(
        ack=None, due=None, has_quiz=False
    )

    services.acknowledge_article(user=specialist, article_id=article.pk, version=1)
    article = article_services.update_article(
        actor=lead, article=article, base_version=article.version, change_note="v2", body="New steps."
    )
    article = article_services.publish_article(actor=lead, article=article, material=True)
    services.acknowledge_article(user=specialist, article_id=article.pk, version=2)
    ack = selectors.panel_facts(specialist, article).ack
    latest = Acknowledgment.objects.filter(user=specialist, article=article).order_by("-version").first()
    assert ack is not None and (ack.pk, ack.version, ack.created_at) == (latest.pk, 2, latest.created_at)
