"""Hugo shortcodes (``{{< … >}}``, ``{{% … %}}``) → markdown; callouts become admonition markers."""

from __future__ import annotations

import re

from kb.articles.importing.common import ADM_CLOSE, ADM_OPEN, attrs

# Hugo shortcodes: {{< name args >}} and {{% name args %}}, paired ones closed by {{< /name >}}.
# No span over another ``{{`` (see ``liquid.LIQUID_TAG``); trailing spaces stay in the arguments.
_HUGO = re.compile(r"\{\{([<%])\s*(/?)\s*([\w./-]+)((?:(?!\{\{|[>%]\}\}).)*?)[>%]\}\}", re.S)


def _hugo_args(text: str) -> tuple[list[str], dict[str, str]]:
    named = attrs(text)
    rest = re.sub(r'[\w-]+\s*=\s*(["\']).*?\1', " ", text, flags=re.S)
    positional = [m.group(2) or m.group(3) for m in re.finditer(r'(["\'])(.*?)\1|(\S+)', rest)]
    return [p for p in positional if p], named


def expand_hugo(text: str) -> str:
    """Turn Hugo shortcodes into markdown; paired unknown shortcodes keep their inner content."""

    def replace(m: re.Match[str]) -> str:
        closing, name, args = m.group(2), m.group(3).lower(), m.group(4)
        if closing:
            return ADM_CLOSE if name in {"callout", "notice", "alert", "admonition", "hint"} else ""
        positional, named = _hugo_args(args)
        if name in {"callout", "notice", "alert", "admonition", "hint"}:
            kind = named.get("context") or named.get("type") or (positional[0] if positional else "note")
            return ADM_OPEN.format(kind, named.get("title", ""))
        if name in {"ref", "relref"}:
            return positional[0] if positional else named.get("path", "")
        if name == "sitevar":
            return named.get("nojs") or named.get("default") or named.get("name", "")
        if name == "figure":
            alt = named.get("alt") or named.get("caption") or ""
            caption = named.get("caption", "").replace('"', "'")
            src = named.get("src", "")
            return f'![{alt}]({src} "{caption}")' if caption else f"![{alt}]({src})"
        if name == "confkey":
            parts = [f"Type: {named['type']}" if named.get("type") else ""]
            if named.get("syntax"):
                parts.append(f"syntax: {named['syntax']}")
            if named.get("default"):
                parts.append(f"default: `{named['default']}`")
            if named.get("required"):
                parts.append(f"required: {named['required']}")
            if named.get("secret") == "yes":
                parts.append("secret")
            return "*" + " · ".join(p for p in parts if p) + "*"
        if name in {"link-card", "card"}:
            label = named.get("title") or named.get("description") or named.get("href", "")
            href = named.get("href", "")
            return f"- [{label}]({href})" if href else label
        if name in {"github-link", "github"}:
            path = named.get("path") or (positional[0] if positional else "")
            return f"`{path}`" if path else ""
        return ""

    return _HUGO.sub(replace, text)
