"""The definition of every metric, shown on the page where the figure appears (and in docs/metrics.md)."""

from __future__ import annotations

DEFINITIONS: dict[str, tuple[str, str]] = {
    "period": (
        "Period",
        "Whole days from 'since' to 'until', both included, counted in the KB_TIME_ZONE time zone. "
        "Default: the last 30 days up to today.",
    ),
    "closed_tickets": (
        "Closed tickets",
        "Tickets whose closing time (solved or closed in the helpdesk) falls inside the period. "
        "A reopened ticket is not closed until the helpdesk closes it again.",
    ),
    "linked_tickets": (
        "Linked tickets",
        "Closed tickets of the period with at least one article you can read linked to them, "
        "whenever the link was made (a link recorded after closing counts).",
    ),
    "link_rate": (
        "Link rate",
        "Linked tickets ÷ closed tickets. Empty (—) when no ticket closed in the period.",
    ),
    "known_new_ratio": (
        "Known vs new (KCS)",
        "Among linked tickets: 'known' when at least one linked article had been published before the "
        "ticket was opened (the answer already existed), 'new' otherwise (the article was written or "
        "first published for it). Ratio = known ÷ linked tickets.",
    ),
    "links": (
        "Links",
        "Resolutions recorded in the period: one per (ticket, article), counted on the day it was first "
        "recorded, whatever the outcome.",
    ),
    "resolutions": (
        "Resolutions",
        "Links of the period whose outcome is 'resolved' (the article resolved the ticket).",
    ),
    "resolution_rate": ("Resolution rate", "Resolutions ÷ links. Empty (—) when there were no links."),
    "not_helpful_rate": (
        "Not-helpful rate",
        "(Links with outcome 'did not help' + 'not helpful' votes) ÷ (links + all helpful/not-helpful votes) "
        "in the period. Empty (—) with no signals.",
    ),
    "last_used": ("Last used", "The most recent time the article was linked to any ticket (all time)."),
    "open_flags": ("Open flags", "Flags raised on the article and not closed yet (now, not per period)."),
    "coverage_gap": (
        "Coverage gap",
        "A category with at least 5 closed tickets in the period and either no readable article filed "
        "under it, a link rate below 25 %, or at least 50 % of its links saying the article did not help.",
    ),
    "top_articles": (
        "Top articles",
        "The 3 articles linked most often to the category's tickets closed in the period.",
    ),
    "participation": (
        "Participation",
        "Per person: links recorded in the period, how many were 'resolved', helpful/not-helpful votes and "
        "flags raised. Per team: the same over its members (a person in two teams counts for both).",
    ),
    "risk": (
        "Risk",
        "usage × days since review × (1 + open flags) × (1 + not-helpful rate), where usage = links in the "
        "period and days since review counts from the last review (else the first publication, else "
        "creation). An unused article has risk 0; ties are broken by the oldest review.",
    ),
    "failed_searches": (
        "Failed searches",
        "Searches in the period that found nothing, whose results nobody opened, or that the reader "
        "reported as 'could not find it', grouped by query; per category when the search had a "
        "category filter.",
    ),
    "stale_heavy_use": (
        "Stale articles in heavy use",
        "Articles whose review is due by the end of the day and that were linked at least 3 times in the "
        "30 days ending that day.",
    ),
}


def pick(*keys: str) -> list[tuple[str, str]]:
    return [DEFINITIONS[k] for k in keys]
