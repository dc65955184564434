"""Child process for the concurrency test: imported by spawn, so no Django models at import time."""

from __future__ import annotations

import os
from pathlib import Path


def write_updates(index_dir: str, worker: int, q, count: int = 25) -> None:  # type: ignore[no-untyped-def]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    os.environ.setdefault("KB_DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings

    settings.KB_SEARCH_INDEX_DIR = Path(index_dir)
    from kb.search.backends import SearchDoc
    from kb.search.backends.whoosh import WhooshBackend

    backend = WhooshBackend()
    errors: list[str] = []
    for n in range(count):
        i = worker * 100 + n
        doc = SearchDoc(
            article_id=i,
            version=1,
            title=f"Article {i}",
            summary="",
            headings="",
            body=f"body word{i}",
            tags=[],
            category_codes=[],
            category_paths=[],
            category_names=[],
            kind="sop",
            visibility=["public"],
        )
        try:
            backend.upsert([doc], wait=120)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    q.put(errors)
