"""The OpenAPI schema and its docs page (CONTRACT §5, STYLE §5).

Generic on purpose: every endpoint any app adds is covered without touching this file. The schema
must generate without a single warning (an undocumented response or an unresolvable type is a
warning), validate against the OpenAPI 3 spec, and the docs page must work offline: every script,
stylesheet and image it references is served by kb itself.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings(tmp_path: Path):
    out = tmp_path / "schema.yaml"
    # --fail-on-warn raises (SchemaGenerationError) on any warning or error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    # every API route of the URL map is documented (none hidden by a failed introspection)
    assert "/api/v1/articles/{id}/" in paths
    assert "/api/v1/categories/{code}/" in paths
    for path, operations in paths.items():
        assert path.startswith("/api/v1/"), path
        for method, operation in operations.items():
            assert operation.get("responses"), f"{method.upper()} {path} documents no response"


def test_schema_is_served_as_openapi_3(client, lead):
    client.force_login(lead)
    res = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert res.status_code == 200
    assert res.json()["openapi"].startswith("3.")
    assert "/api/v1/articles/" in res.json()["paths"]


class _AssetCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)


def test_docs_page_works_offline(client, lead):
    client.force_login(lead)
    res = client.get("/api/docs/")
    assert res.status_code == 200
    html = res.content.decode()
    collector = _AssetCollector()
    collector.feed(html)
    assert collector.urls, "the docs page references no assets at all"
    for url in collector.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"external asset: {url}"
    # the sidecar's bundles ship with kb: every static asset resolves to a local file
    scripts = [u for u in collector.urls if u.endswith(".js")]
    assert any("swagger-ui" in u for u in scripts)
    for url in collector.urls:
        path = urlsplit(url).path
        if path.startswith(settings.STATIC_URL):
            assert finders.find(path.removeprefix(settings.STATIC_URL)), f"missing static file: {url}"
    # the schema URL the page loads is local too
    assert "/api/schema/" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
