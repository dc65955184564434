"""Article and category use cases: one function each, shared by pages, the API, commands and tests.

Each service owns its transaction, the history attribution (author, change note) and the change
notification to dependent apps (search outbox, …) inside that transaction. The package is split by
what it holds; ``from kb.articles import services; services.create_article(...)`` is the way in.

- ``content``: input checks and one version's content (shared by the others)
- ``slugs``: slugs that never depend on hidden articles
- ``articles``: create and edit (a new version on top of the one an edit started from), teams
- ``workflow``: submit, approve, publish, revert, archive, restore, mark reviewed
- ``categories``: the category tree
"""

from kb.articles.services.articles import create_article, set_article_teams, update_article
from kb.articles.services.categories import create_category, delete_category, update_category
from kb.articles.services.content import (
    CONTENT_FIELDS,
    NOTE_MAX,
    REVIEW_DAYS_MAX,
    SHOWN_FIELDS,
    SUMMARY_MAX,
    TAG_MAX,
    TAGS_MAX,
    TITLE_MAX,
    VERSIONED_FIELDS,
    clean_tags,
    latest_record,
    resolve_categories,
    resolve_teams,
    version_record,
)
from kb.articles.services.slugs import slugify_title
from kb.articles.services.workflow import (
    approve_article,
    archive_article,
    mark_reviewed,
    publish_article,
    restore_article,
    revert_article,
    submit_article,
)

__all__ = [
    "CONTENT_FIELDS",
    "NOTE_MAX",
    "REVIEW_DAYS_MAX",
    "SHOWN_FIELDS",
    "SUMMARY_MAX",
    "TAGS_MAX",
    "TAG_MAX",
    "TITLE_MAX",
    "VERSIONED_FIELDS",
    "approve_article",
    "archive_article",
    "clean_tags",
    "create_article",
    "create_category",
    "delete_category",
    "latest_record",
    "mark_reviewed",
    "publish_article",
    "resolve_categories",
    "resolve_teams",
    "restore_article",
    "revert_article",
    "set_article_teams",
    "slugify_title",
    "submit_article",
    "update_article",
    "update_category",
    "version_record",
]
