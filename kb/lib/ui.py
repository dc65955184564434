"""Extension points for pages, so apps add to shared pages without editing each other's templates.

- ``register_nav``: a link in the site navigation, shown when ``visible(user)`` holds.
- ``register_banner``: a notice shown on every page (e.g. "2 SOPs need re-reading"); returns safe HTML or "".
- ``register_article_panel``: a block on the article page (ticket use, feedback, acknowledgment),
  rendered with the request, the article and the version record being shown; returns safe HTML or "".

Apps call these from ``AppConfig.ready()``; the order of registration is the order on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 50


_nav: dict[str, NavItem] = {}
_banners: list[Callable[[HttpRequest], str]] = []
_panels: list[tuple[str, Callable[[HttpRequest, Any, Any], str]]] = []


def register_nav(
    key: str, label: str, url_name: str, visible: Callable[[Any], bool] = lambda u: True, order: int = 50
) -> None:
    _nav[key] = NavItem(key, label, url_name, visible, order)


def register_banner(fn: Callable[[HttpRequest], str]) -> None:
    if fn not in _banners:
        _banners.append(fn)


def register_article_panel(key: str, fn: Callable[[HttpRequest, Any, Any], str]) -> None:
    if key not in {k for k, _ in _panels}:
        _panels.append((key, fn))


def nav_items(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    items = []
    for item in sorted(_nav.values(), key=lambda i: (i.order, i.label)):
        if not user.is_authenticated or not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "key": item.key,
                "label": item.label,
                "url": url,
                "active": request.path == url or (url != "/" and request.path.startswith(url)),
            }
        )
    return items


def banners(request: HttpRequest) -> list[SafeString]:
    if not request.user.is_authenticated:
        return []
    return [mark_safe(html) for fn in _banners if (html := fn(request))]


def article_panels(request: HttpRequest, article: Any, record: Any) -> list[SafeString]:
    return [mark_safe(html) for _, fn in _panels if (html := fn(request, article, record))]
