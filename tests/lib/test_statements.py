"""kb.lib.statements: a compiled queryset answers exactly what the ORM answers, or refuses to exist."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Team, User
from kb.articles.access import readable_published_articles
from kb.lib.statements import Statement, StatementShapeError

pytestmark = pytest.mark.django_db


def _readable_ids(*, user_id: int) -> object:
    return readable_published_articles(User(pk=user_id)).order_by("pk").values_list("pk")


def test_compiled_statement_returns_what_the_orm_returns_for_each_user(
    specialist, outsider, lead, make_article
):
    make_article("Open to all")
    make_article("Team only", teams=["SG Creator Support"])
    make_article("Still a draft", published=False)
    statement = Statement(_readable_ids, user_id=int)
    for user in (specialist, outsider, lead):
        expected = list(readable_published_articles(user).order_by("pk").values_list("pk"))
        assert [tuple(r) for r in statement.rows(user_id=user.pk)] == [tuple(r) for r in expected]
    # The restricted article is the difference between its team member and the outsider.
    assert statement.rows(user_id=specialist.pk) != statement.rows(user_id=outsider.pk)


def test_date_values_are_substituted_on_every_backend(specialist):
    Team.objects.create(name="Night shift")

    def created_before(*, day: dt.date) -> object:
        return Team.objects.filter(created_at__date__lt=day).order_by("name").values_list("name")

    statement = Statement(created_before, day=dt.date)
    assert statement.rows(day=dt.date(2000, 1, 1)) == []
    assert ("Night shift",) in [tuple(r) for r in statement.rows(day=dt.date.today() + dt.timedelta(days=2))]


def test_a_value_that_shapes_the_sql_is_refused():
    def by_name(*, user_id: int) -> object:
        return User.objects.filter(username="x").values_list("pk")  # ignores user_id

    with pytest.raises(StatementShapeError):
        Statement(by_name, user_id=int).rows(user_id=1)


def test_rows_needs_exactly_the_declared_values(specialist):
    statement = Statement(_readable_ids, user_id=int)
    with pytest.raises(TypeError):
        statement.rows(user=specialist.pk)
