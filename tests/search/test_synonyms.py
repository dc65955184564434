"""Synonym groups: sizes are refused before any term is looked at, on the page and in the API."""

from __future__ import annotations

import pytest

from kb.search import services
from kb.search.models import Synonym

pytestmark = pytest.mark.django_db

MANY = [f"term{i}" for i in range(20_000)]


@pytest.fixture
def analysed(monkeypatch):
    """Every term the service analyses (kb.search.text.words), in order."""
    seen: list[str] = []
    real = services.words

    def spy(text: str) -> list[str]:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(services, "words", spy)
    return seen


def test_service_refuses_twenty_thousand_terms_without_analysing_one(lead, analysed):
    with pytest.raises(services.InvalidInput) as caught:
        services.create_synonym(actor=lead, terms=MANY)
    assert "At most 20 terms" in caught.value.message
    assert analysed == []
    assert not Synonym.objects.exists()


def test_service_counts_terms_before_removing_duplicates(lead, analysed):
    with pytest.raises(services.InvalidInput):
        services.create_synonym(actor=lead, terms=["mfa"] * 21)
    assert analysed == []


def test_service_refuses_an_oversized_group_in_total(lead, analysed):
    with pytest.raises(services.InvalidInput) as caught:
        services.create_synonym(actor=lead, terms=["a" * 64] * 19 + ["x" * 10_000_000])
    assert analysed == []
    assert "characters" in caught.value.message


def test_page_refuses_twenty_thousand_terms_before_splitting_them(web, lead, analysed):
    response = web(lead).post("/search/synonyms/", {"terms": ", ".join(MANY)})
    assert response.status_code == 400
    assert "At most 20 terms" in response.content.decode()
    assert analysed == []
    assert not Synonym.objects.exists()


def test_api_refuses_twenty_thousand_terms_before_validating_each(api, lead, analysed, monkeypatch):
    from rest_framework import fields

    checked: list[object] = []
    real = fields.CharField.to_internal_value

    def spy(self, data):  # type: ignore[no-untyped-def]
        checked.append(data)
        return real(self, data)

    monkeypatch.setattr(fields.CharField, "to_internal_value", spy)
    response = api(lead).post("/api/v1/synonyms/", {"terms": MANY}, format="json")
    assert response.status_code == 400
    assert "20" in str(response.json()["terms"])
    assert checked == [] and analysed == []
    assert not Synonym.objects.exists()


def test_api_refuses_a_term_list_of_non_text_by_its_size_first(api, lead):
    response = api(lead).post("/api/v1/synonyms/", {"terms": [{"x": 1}] * 50}, format="json")
    assert response.status_code == 400
    assert "20" in str(response.json()["terms"])


def test_twenty_terms_are_still_accepted(api, lead):
    terms = [f"word{i}" for i in range(20)]
    response = api(lead).post("/api/v1/synonyms/", {"terms": terms}, format="json")
    assert response.status_code == 201, response.content
    assert Synonym.objects.get().terms == terms
