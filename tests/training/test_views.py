"""Training pages: My reading, the acknowledge panel, the banner, the dashboard, grids and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import RequestFactory

from kb.training import selectors, services
from kb.training.models import Acknowledgment, Assignment, ReadingList
from kb.training.views import reading_banner
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_my_reading_page_groups_items_with_progress_and_reack_diff(
    web, trainer, specialist, make_article, republish, today
):
    a = make_article("Lock a hacked account")
    b = make_article("Payout <b>holds</b>", body="Hold the payout.\n")
    c = make_article("Verify age")
    services.create_assignment(actor=trainer, article=a.pk, user="sam", due=today - dt.timedelta(days=0))
    services.create_assignment(actor=trainer, article=b.pk, user="sam", due=today + dt.timedelta(days=3))
    services.create_assignment(actor=trainer, article=c.pk, user="sam", due=today + dt.timedelta(days=3))
    services.acknowledge_article(user=specialist, article_id=b.pk, version=1)
    services.acknowledge_article(user=specialist, article_id=c.pk, version=1)
    republish(b, material=True, body="Hold the payout for 14 days.\n")
    html = web(specialist).get("/me/reading/").content.decode()
    assert "1 of 3 assigned articles done (33%)" in html
    assert '<progress id="reading-progress" max="3" value="1"' in html
    assert "Read again" in html and f"/articles/{b.slug}/diff/?from=1&amp;to=2" in html
    assert "<ins>for 14 days</ins>" in html or "<ins> for 14 days</ins>" in html
    assert "Payout &lt;b&gt;holds&lt;/b&gt;" in html  # escaped
    assert "I have read and understood v2" in html


def test_acknowledge_form_post_records_and_redirects(web, specialist, make_article):
    article = make_article()
    response = web(specialist).post(f"/training/ack/{article.pk}/", {"version": "1", "next": "/me/reading/"})
    assert response.status_code == 302 and response["Location"] == "/me/reading/"
    assert Acknowledgment.objects.filter(user=specialist, article=article, version=1).exists()


def test_acknowledge_never_redirects_off_site(web, specialist, make_article):
    article = make_article()
    response = web(specialist).post(
        f"/training/ack/{article.pk}/", {"version": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == article.get_absolute_url()


def test_acknowledge_htmx_returns_the_panel(web, specialist, make_article, republish):
    article = republish(make_article(), material=False)
    client = web(specialist)
    stale = client.post(f"/training/ack/{article.pk}/", {"version": "1"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409
    assert "not the published version" in stale.content.decode()
    ok = client.post(f"/training/ack/{article.pk}/", {"version": "2"}, HTTP_HX_REQUEST="true")
    html = ok.content.decode()
    assert ok.status_code == 200 and "You acknowledged v2 on" in html and "<html" not in html


def test_acknowledge_hidden_article_is_404(web, outsider, make_article):
    article = make_article("SG only", teams=["SG Creator Support"])
    assert web(outsider).post(f"/training/ack/{article.pk}/", {"version": "1"}).status_code == 404
    assert not Acknowledgment.objects.exists()


def test_article_page_shows_the_acknowledge_panel(web, specialist, make_article, republish):
    article = make_article()
    client = web(specialist)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "I have read and understood v1" in html
    services.acknowledge_article(user=specialist, article_id=article.pk, version=1)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "You acknowledged v1 on" in html
    republish(article, material=True)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "changed materially since you acknowledged v1" in html
    assert f"/articles/{article.slug}/diff/?from=1&amp;to=2" in html


def _banner(user):
    request = RequestFactory().get("/")
    request.user = user
    return reading_banner(request)


def test_banner_shows_counts_escaped_in_three_queries_and_two_when_nothing_is_due(
    django_assert_num_queries, trainer, specialist, make_article, republish, today
):
    a, b, c = make_article("A"), make_article("B"), make_article("C")
    rl = services.create_reading_list(actor=trainer, title="L", articles=[a.pk, b.pk])
    services.create_assignment(actor=trainer, reading_list=rl.pk, team="SG Creator Support", due=today)
    services.create_assignment(actor=trainer, article=b.pk, user="sam", due=today + dt.timedelta(days=9))
    services.acknowledge_article(user=specialist, article_id=c.pk, version=1)
    republish(c, material=True)
    assert selectors.attention_counts(specialist, today=today + dt.timedelta(days=1)) == {
        "pending": 2,
        "overdue": 2,
        "reack": 1,
    }
    # 1. what is assigned to sam, 2. what sam acknowledged and what changed materially since,
    # 3. which of them the visibility rule lets sam read
    with django_assert_num_queries(3):
        html = _banner(specialist)
    assert "2 articles to acknowledge" in html and "1 to read again" in html and "/me/reading/" in html
    services.acknowledge_article(user=specialist, article_id=a.pk, version=1)
    services.acknowledge_article(user=specialist, article_id=b.pk, version=1)
    services.acknowledge_article(user=specialist, article_id=c.pk, version=2)
    with django_assert_num_queries(2):  # the training facts: none, so no visibility question
        assert _banner(specialist) == ""


def test_banner_counts_agree_with_my_reading(trainer, specialist, outsider, make_article, republish, today):
    articles = [make_article(f"Article {n}") for n in range(5)]
    restricted = make_article("SG only", teams=["SG Creator Support"])
    rl = services.create_reading_list(
        actor=trainer, title="L", articles=[a.pk for a in articles[:3]] + [restricted.pk]
    )
    services.create_assignment(actor=trainer, reading_list=rl.pk, team="SG Creator Support", due=today)
    services.create_assignment(actor=trainer, reading_list=rl.pk, user="oz", due=today)
    services.acknowledge_article(user=specialist, article_id=articles[0].pk, version=1)
    services.acknowledge_article(user=specialist, article_id=articles[4].pk, version=1)
    republish(articles[0], material=True)
    republish(articles[4], material=True)
    later = today + dt.timedelta(days=2)
    for user in (specialist, outsider):
        items = selectors.my_reading(user, today=later)
        counts = selectors.attention_counts(user, today=later)
        assert counts["reack"] == sum(i.state == "reack" for i in items)
        assert counts["overdue"] == sum(i.state == "overdue" for i in items)
        assert counts["pending"] == sum(i.state in ("overdue", "todo") for i in items)
    assert selectors.attention_counts(outsider, today=later)["pending"] == 3  # never the restricted one


def test_banner_appears_on_pages(web, trainer, specialist, make_article, today):
    article = make_article()
    services.create_assignment(actor=trainer, article=article.pk, user="sam", due=today)
    assert "Reading needs your attention" in web(specialist).get("/").content.decode()


def test_nav_has_my_reading_for_all_and_training_for_trainers(web, specialist, trainer):
    html = web(specialist).get("/me/reading/").content.decode()
    assert 'href="/me/reading/"' in html and 'href="/training/"' not in html
    html = web(trainer).get("/me/reading/").content.decode()
    assert 'href="/training/"' in html


def test_trainer_pages_refuse_specialists(web, specialist, trainer, make_article, today):
    article = make_article()
    assignment = services.create_assignment(actor=trainer, article=article.pk, user="sam", due=today)
    client = web(specialist)
    for url in (
        "/training/",
        "/training/grid/?team=SG+Creator+Support",
        "/training/assign/",
        f"/training/assignments/{assignment.pk}/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/training/lists/new/", {"title": "x"}).status_code == 403
    assert not ReadingList.objects.exists()


def test_dashboard_create_list_add_articles_and_assign(web, trainer, specialist, make_article, today):
    a, b = make_article("A first"), make_article("B second")
    client = web(trainer)
    assert client.get("/training/").status_code == 200
    response = client.post("/training/lists/new/", {"title": "Week 1: Account security", "description": "d"})
    rl = ReadingList.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/training/lists/{rl.pk}/"
    client.post(f"/training/lists/{rl.pk}/items/", {"op": "add", "article": a.pk})
    client.post(f"/training/lists/{rl.pk}/items/", {"op": "add", "article": b.pk})
    client.post(f"/training/lists/{rl.pk}/items/", {"op": "up", "article": b.pk})
    assert list(rl.items.values_list("article_id", flat=True)) == [b.pk, a.pk]
    html = client.get(f"/training/lists/{rl.pk}/").content.decode()
    assert "Move down" in html and "B second" in html

    bad = client.post(
        "/training/assign/", {"reading_list": rl.pk, "team": "SG Creator Support", "due": "2001-01-01"}
    )
    assert bad.status_code == 400 and "is in the past" in bad.content.decode()
    assert not Assignment.objects.exists()
    ok = client.post(
        "/training/assign/",
        {"reading_list": rl.pk, "team": "SG Creator Support", "due": today.isoformat(), "note": "Start here"},
    )
    assignment = Assignment.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/training/assignments/{assignment.pk}/"
    html = client.get(ok["Location"]).content.decode()
    assert "0 of 6 items done" in html  # members lee, sam, tia × 2 articles


def test_grid_marks_overdue_in_words_and_exports_csv(web, trainer, specialist, make_article, today):
    a, b = make_article("=HYPERLINK(evil)"), make_article("Second")
    rl = services.create_reading_list(actor=trainer, title="Week 1", articles=[a.pk, b.pk])
    services.create_assignment(actor=trainer, reading_list=rl.pk, team="SG Creator Support", due=today)
    services.acknowledge_article(user=specialist, article_id=a.pk, version=1)
    Assignment.objects.update(due=today - dt.timedelta(days=1))  # time passes
    client = web(trainer)
    html = client.get("/training/grid/?team=SG+Creator+Support").content.decode()
    assert "1 of 6 items done" in html and "5 overdue" in html
    assert "⚠</span> Overdue" in html and "✓</span> Done" in html
    html = client.get(f"/training/grid/?reading_list={rl.pk}").content.decode()
    assert "1 of 6 items done" in html
    response = client.get("/training/grid/?team=SG+Creator+Support&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["person", "done", "total", "overdue", "'=HYPERLINK(evil)", "Second"]
    sam = next(r for r in rows if r[0] == "sam")
    assert sam[1:4] == ["1", "2", "1"]
    assert sam[4] == "done (v1)" and sam[5].startswith("OVERDUE due ")


def test_grid_query_count_does_not_grow_with_people(
    django_assert_max_num_queries, trainer, make_article, today
):
    from accounts.models import Team

    articles = [make_article(f"A{n}") for n in range(3)]
    rl = services.create_reading_list(actor=trainer, title="L", articles=[a.pk for a in articles])
    services.create_assignment(actor=trainer, reading_list=rl.pk, team="SG Creator Support", due=today)
    team = Team.objects.get(name="SG Creator Support")

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            grid = selectors.team_grid(viewer=trainer, team=team)
        return len(ctx.captured_queries), len(grid.rows)

    few, rows_few = count_queries()
    for n in range(15):
        user = make_user(f"new{n}", "specialist", ("SG Creator Support",))
        services.acknowledge_article(user=user, article_id=articles[n % 3].pk, version=1)
    many, rows_many = count_queries()
    assert rows_many == rows_few + 15
    assert few == many


def test_grid_pages_people_but_totals_count_everyone(web, trainer, make_article, today):
    from accounts.models import Team, User

    article = make_article()
    team = Team.objects.get(name="SG Creator Support")
    users = User.objects.bulk_create([User(username=f"u{n:03d}", role="specialist") for n in range(60)])
    User.teams.through.objects.bulk_create([User.teams.through(user_id=u.pk, team_id=team.pk) for u in users])
    services.create_assignment(actor=trainer, article=article.pk, team=team.name, due=today)
    client = web(trainer)
    first = client.get("/training/grid/?team=SG+Creator+Support").content.decode()
    assert "0 of 62 items done" in first  # 60 + lee + tia
    assert "People 1–50 of 62" in first and "{#" not in first and "{% comment" not in first
    assert 'href="?team=SG+Creator+Support&amp;page=2"' in first
    second = client.get("/training/grid/?team=SG+Creator+Support&page=2").content.decode()
    assert "People 51–62 of 62" in second and "u059" in second and "u000" not in second
    csv_rows = (
        client.get("/training/grid/?team=SG+Creator+Support&page=2&format=csv").content.decode().splitlines()
    )
    assert len(csv_rows) == 63  # header + everyone, whatever the page


def test_dashboard_list_count_leaves_out_articles_the_trainer_cannot_see(web, trainer, make_article):
    public = make_article("Public SOP")
    restricted = make_article("SG secret SOP", teams=["SG Creator Support"])
    services.create_reading_list(actor=trainer, title="Mixed list", articles=[public.pk, restricted.pk])
    jakarta_trainer = make_user("jo", "trainer", ("Jakarta Live Safety",))
    html = web(jakarta_trainer).get("/training/").content.decode()
    assert '1<span class="visually-hidden"> article</span>' in html
    assert "SG secret SOP" not in html
    assert "SG secret SOP" not in web(jakarta_trainer).get("/training/assign/").content.decode()


GRID_PAGE_QUERIES = 16


def test_grid_page_takes_the_same_queries_for_1_row_and_50_rows(
    web, trainer, make_article, today, django_assert_num_queries
):
    from accounts.models import Team, User

    team = Team.objects.create(name="Grid team")
    first = make_user("grid000", "specialist", (team.name,))
    articles = [make_article(f"Grid SOP {n}") for n in range(3)]
    rl = services.create_reading_list(actor=trainer, title="Grid list", articles=[a.pk for a in articles])
    services.create_assignment(actor=trainer, reading_list=rl.pk, team=team.name, due=today)
    services.acknowledge_article(user=first, article_id=articles[0].pk, version=1)
    client = web(trainer)
    url = "/training/grid/?team=Grid+team"
    client.get(url)  # warm caches (templates, synonyms) so both counts measure the same work
    # session, user, teams and lists for the form, the team, its members, their assignments, the
    # lists' items, the assigned teams' members, readable articles, their teams, people, acks,
    # material publications, the banner's training facts (person teams only for restricted columns)
    with django_assert_num_queries(GRID_PAGE_QUERIES):
        one = client.get(url).content.decode()
    assert "grid000" in one and "1 of 3 items done" in one
    users = User.objects.bulk_create([User(username=f"grid{n:03d}", role="specialist") for n in range(1, 50)])
    User.teams.through.objects.bulk_create([User.teams.through(user_id=u.pk, team_id=team.pk) for u in users])
    with django_assert_num_queries(GRID_PAGE_QUERIES):
        many = client.get(url).content.decode()
    assert "grid049" in many and "1 of 150 items done" in many


def test_grid_cells_of_a_row_are_the_grid_cell_of_each_item(
    trainer, specialist, lead, make_article, republish, today
):
    """The row tag (one call per row, from raw tuples) renders exactly what the per-cell tag renders."""
    from accounts.models import Team
    from kb.training.templatetags.training_tags import grid_cell, grid_cells

    done, reack, todo, quiz = (make_article(f"Cell {n}") for n in range(4))
    rl = services.create_reading_list(
        actor=trainer, title="Cells", articles=[done.pk, reack.pk, todo.pk, quiz.pk]
    )
    services.create_assignment(actor=trainer, reading_list=rl.pk, team="SG Creator Support", due=today)
    services.set_quiz(
        actor=trainer, article_id=quiz.pk, questions=[{"text": "Who?", "choices": ["a", "b"], "correct": 0}]
    )
    services.create_assignment(
        actor=trainer, article=quiz.pk, user=specialist.username, due=today, requires_quiz=True
    )
    for article in (done, reack, quiz):
        services.acknowledge_article(user=specialist, article_id=article.pk, version=1)
    republish(reack, material=True)
    team = Team.objects.get(name="SG Creator Support")
    for day in (today, today + dt.timedelta(days=1)):  # todo, then overdue
        grid = selectors.team_grid(viewer=trainer, team=team, today=day)
        row = next(r for r in grid.rows if r.person == specialist)
        assert {c.state for c in row.items} >= {"done", "reack"}
        assert any(c.quiz_pending for c in row.items)
        expected = "\n      ".join(f"<td>{grid_cell(item)}</td>" for item in row.cells)
        assert grid_cells(row) == expected
