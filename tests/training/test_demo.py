"""The demo's training data: two lists, a team with mixed progress, one material change to re-read."""

from __future__ import annotations

import pytest

from kb.demo.loader import load_demo
from kb.training import selectors
from kb.training.models import Assignment, ReadingList

pytestmark = pytest.mark.django_db


def test_demo_has_lists_mixed_team_progress_and_a_pending_reack():
    ctx = load_demo()
    assert set(ReadingList.objects.values_list("title", flat=True)) == {
        "Week 1: Account security",
        "Week 1: Creator payouts",
    }
    security = Assignment.objects.get(reading_list__title="Week 1: Account security")
    grid = selectors.assignment_progress(viewer=ctx.users["trainer"], assignment=security)
    assert security.team.name == "SG Creator Support"
    assert 0 < grid.done < grid.total and grid.overdue > 0 and grid.reack >= 2
    rows = {r.person.username: r for r in grid.rows}
    assert rows["amira"].done > rows["budi"].done  # someone ahead, someone behind

    states = {i.state for i in selectors.my_reading(ctx.users["specialist"])}
    assert {"reack", "overdue", "todo", "done"} <= states
    [reack] = [i for i in selectors.my_reading(ctx.users["specialist"]) if i.state == "reack"]
    assert reack.acknowledged_version < reack.published_version
    assert selectors.attention_counts(ctx.users["specialist"])["reack"] == 1


def test_demo_training_pages_render(client):
    ctx = load_demo()
    client.force_login(ctx.users["trainer"])
    for url in (
        "/training/",
        "/training/grid/?team=SG+Creator+Support",
        "/training/grid/?team=SG+Creator+Support&format=csv",
        f"/training/grid/?reading_list={ReadingList.objects.order_by('pk').first().pk}",
        f"/training/assignments/{Assignment.objects.order_by('pk').first().pk}/",
        "/training/assign/",
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(ctx.users["specialist"])
    html = client.get("/me/reading/").content.decode()
    assert "Read again" in html and "Overdue" in html and "<ins>" in html
    assert "Reading needs your attention" in html
