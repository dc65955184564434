"""Reading markdown files from other help centres (and kb's own export) into kb articles.

Two halves:

* ``parse_document`` is pure: bytes + path → an ``ImportDocument`` (title, summary, body in kb's markdown
  dialect, kind, status, tags, categories, teams…). It understands YAML (``---``) and TOML (``+++``)
  front matter, Liquid (Jekyll / GitHub Docs), Hugo shortcodes, Docusaurus ``:::`` and MkDocs ``!!!``
  admonitions, MDX bits, and turns them into readable kb markdown. Files written by ``kb_export``
  (front matter with a kb ``kind``) are taken verbatim so that export → import is lossless.
* ``import_tree`` walks a folder and saves each file through ``kb.articles.services``, one transaction
  per file, so a failing file leaves nothing half-saved and the others still import.

Re-importing is idempotent: each article remembers ``source_path`` and ``source_hash`` (sha256 of the
file bytes *and* the options that shape the result), so an unchanged file is skipped without a write.
See docs/import-export.md for the mapping rules.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from accounts.models import Role, Team, User
from kb.articles import events, services
from kb.articles.models import CATEGORY_CODE_RE, Article, Category, Kind, Status
from kb.lib.errors import DomainError

SUFFIXES = (".md", ".markdown")
SUMMARY_FALLBACK_CHARS = 200
MAX_REUSABLE_DEPTH = 3
ADMONITION_TYPES = {
    "note": "note",
    "info": "info",
    "information": "info",
    "tip": "tip",
    "hint": "hint",
    "success": "success",
    "warning": "warning",
    "warn": "warning",
    "caution": "caution",
    "danger": "danger",
    "error": "error",
    "important": "important",
    "question": "question",
    "example": "example",
    "quote": "quote",
    "bug": "bug",
    "abstract": "abstract",
    "seealso": "seealso",
}
# GitHub Docs "data variables" that appear in help-centre pages, as GitHub.com readers saw them.
GITHUB_VARIABLES = {
    "product_name": "GitHub",
    "prodname_dotcom": "GitHub",
    "company_short": "GitHub",
    "product_location": "GitHub.com",
    "prodname_dotcom_the_website": "GitHub.com",
    "product_url": "github.com",
    "prodname_sponsors": "GitHub Sponsors",
    "prodname_matching_fund": "GitHub Sponsors Matching Fund",
    "prodname_marketplace": "GitHub Marketplace",
    "prodname_actions": "GitHub Actions",
    "prodname_ghe_cloud": "GitHub Enterprise Cloud",
    "prodname_ghe_server": "GitHub Enterprise Server",
    "prodname_ghe_managed": "GitHub AE",
    "prodname_enterprise": "GitHub Enterprise",
    "prodname_dependabot": "Dependabot",
    "prodname_dependabot_alerts": "Dependabot alerts",
    "prodname_dependabot_security_updates": "Dependabot security updates",
    "prodname_oauth_app": "OAuth App",
    "prodname_oauth_apps": "OAuth Apps",
    "prodname_github_app": "GitHub App",
    "prodname_github_apps": "GitHub Apps",
    "prodname_mobile": "GitHub Mobile",
    "prodname_ios": "GitHub for iOS",
    "prodname_android": "GitHub for Android",
    "prodname_desktop": "GitHub Desktop",
    "prodname_cli": "GitHub CLI",
    "prodname_pages": "GitHub Pages",
    "prodname_codespaces": "Codespaces",
    "prodname_registry": "GitHub Packages",
    "prodname_archive": "GitHub Archive Program",
    "prodname_arctic_vault": "GitHub Arctic Code Vault",
    "prodname_advisory_database": "GitHub Advisory Database",
    "prodname_GH_advanced_security": "GitHub Advanced Security",
    "prodname_free_user": "GitHub Free",
    "prodname_free_team": "GitHub Free",
    "prodname_pro": "GitHub Pro",
    "prodname_team": "GitHub Team",
    "prodname_education": "GitHub Education",
    "prodname_student_pack": "GitHub Student Developer Pack",
    "prodname_blog": "the GitHub Blog",
    "prodname_emu_enterprise": "enterprise with managed users",
    "prodname_emus": "Enterprise Managed Users",
    "prodname_managed_user": "managed user account",
    "prodname_gcf": "GitHub Community Forum",
    "prodname_support_forum_with_url": "[GitHub Support Community](https://github.community/)",
    "product_name_long": "Git Large File Storage",
    "signin_link": "[Sign in](https://github.com/login)",
    "pricing_url": "[pricing page](https://github.com/pricing)",
    "support_ticket_priority_urgent": "Urgent",
    "support_ticket_priority_high": "High",
    "support_ticket_priority_normal": "Normal",
    "support_ticket_priority_low": "Low",
    "contact_support": "GitHub Support",
    "github_support": "GitHub Support",
    "premium_support": "GitHub Premium Support",
    "enterprise_support": "GitHub Enterprise Support",
    "community_support": "GitHub Community Support",
    "community_support_forum": "GitHub Community Support",
    "report_abuse": "Report abuse",
    "report_content": "Report content",
    "contact_privacy": "[Privacy contact form](https://github.com/contact/privacy)",
    "contact_dmca": "[Copyright claims form](https://github.com/contact/dmca)",
    "support_portal": "GitHub Support portal",
    "contact_support_portal": "GitHub Support portal",
    "enterprise_portal": "GitHub Enterprise Support portal",
    "contact_enterprise_portal": "GitHub Enterprise Support portal",
    "contact_enterprise_sales": "GitHub's Sales team",
    "cc_address": "CC",
    "explore_github": "Explore GitHub",
    "codeblock": "Terminal",
    "backticks": "Terminal",
}
# ifversion names that GitHub.com readers see; other branches (GitHub Enterprise Server, AE) are dropped.
CURRENT_VERSIONS = {"fpt", "ghec", "free-pro-team@latest", "dotcom"}
POLICY_PATH = re.compile(r"(polic|terms|code[-_]of[-_]conduct|guidelines|privacy|statement)", re.I)


class ImportFailure(Exception):
    """A file that cannot become an article; the message names the reason."""


@dataclass
class ImportDocument:
    title: str
    body: str
    summary: str = ""
    kind: str = Kind.TROUBLESHOOTING
    status: str | None = None
    slug: str | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    owner: str | None = None
    review_interval_days: int | None = None
    native: bool = False
    present: set[str] = field(default_factory=set)  # front-matter keys the file actually had


# ---------------------------------------------------------------------------------------------
# front matter


_YAML_FM = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_YAML_FM_EMPTY = re.compile(r"\A---[ \t]*\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
_TOML_FM = re.compile(r"\A\+\+\+[ \t]*\n(.*?)\n\+\+\+[ \t]*(?:\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(metadata, body). A front matter block that does not parse is an ``ImportFailure``."""
    match = _YAML_FM_EMPTY.match(text)
    if match:
        return {}, text[match.end() :]
    match = _YAML_FM.match(text)
    if match:
        try:
            data = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            raise ImportFailure(f"front matter is not valid YAML ({_first_line(exc)})") from None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ImportFailure("front matter is not a YAML mapping")
        return data, text[match.end() :]
    match = _TOML_FM.match(text)
    if match:
        try:
            data = tomllib.loads(match.group(1))
        except tomllib.TOMLDecodeError as exc:
            raise ImportFailure(f"front matter is not valid TOML ({_first_line(exc)})") from None
        return data, text[match.end() :]
    return {}, text


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__


# ---------------------------------------------------------------------------------------------
# template tags → kb markdown


def _readable_name(name: str) -> str:
    """``prodname_dependabot_alerts`` → ``Dependabot alerts``; a last resort for unknown variables."""
    name = re.sub(r"^(prodname|product|contact)_", "", name)
    words = re.sub(r"[_\-]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else ""


def variable_text(path: str) -> str:
    """The words a reader saw for a GitHub Docs data variable (``variables.product.prodname_dotcom``)."""
    last = path.strip().split(".")[-1]
    return GITHUB_VARIABLES.get(last, _readable_name(last))


def _version_condition(expr: str) -> bool:
    """``fpt or ghes > 3.1`` → True when a GitHub.com reader would see the branch."""
    expr = expr.strip()
    if not expr:
        return True
    for term in re.split(r"\s+or\s+", expr):
        parts = term.split()
        if not parts:
            continue
        negate = parts[0] == "not"
        name = parts[1] if negate and len(parts) > 1 else parts[0]
        seen = name in CURRENT_VERSIONS
        if seen != negate:
            return True
    return False


def _generic_condition(expr: str) -> bool:
    """Plain Liquid ``if``: the first branch is what most readers saw; version tests are evaluated."""
    m = re.search(r"currentVersion\s*(==|!=)\s*[\"']([^\"']+)[\"']", expr)
    if m:
        hit = m.group(2) in CURRENT_VERSIONS
        return hit if m.group(1) == "==" else not hit
    enterprise_only = re.search(r"enterpriseServerVersions|\bghes\b|\bghae\b", expr) and "not" not in expr
    return not enterprise_only


_LIQUID_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.S)
_LIQUID_ADMONITIONS = {"note", "warning", "tip", "danger", "caution", "important"}
_ADM_OPEN = "\x02ADM:{}:{}\x02"
_ADM_CLOSE = "\x02/ADM\x02"
_RAW_OPEN = "\x03("
_RAW_CLOSE = "\x03)"


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1): m.group(3) for m in re.finditer(r'([\w-]+)\s*=\s*(["\'])(.*?)\2', text, re.S)}


def expand_liquid(
    text: str,
    reusable: Callable[[str], str | None] | None = None,
    depth: int = 0,
    *,
    all_branches: bool = False,
) -> str:
    """Evaluate the Liquid tags of GitHub Docs / Jekyll pages into plain markdown.

    Conditionals keep the branch a GitHub.com reader saw; ``{% raw %}`` keeps its content literally;
    ``{% note %}``-style blocks become admonition markers (finished by ``_finish_admonitions``);
    ``{% data variables.… %}`` become words; ``{% data reusables.… %}`` are inlined when the reusable
    file is in the imported folder, else a short readable placeholder. ``all_branches`` keeps every
    branch (used when the GitHub.com view of a page is empty, e.g. an Enterprise-only fragment).
    """
    out: list[str] = []
    # stack of (emitting_before, branch_taken, emitting_now)
    stack: list[tuple[bool, bool]] = []
    emitting = True
    pos = 0
    raw = False
    for m in _LIQUID_TAG.finditer(text):
        name, arg = m.group(1), m.group(2).strip()
        if raw:
            if name == "endraw":
                # shield the literal text from the later passes that remove {{ … }}
                out.append(text[pos : m.start()].replace("{", _RAW_OPEN).replace("}", _RAW_CLOSE))
                pos = m.end()
                raw = False
            continue
        if emitting:
            out.append(text[pos : m.start()])
        pos = m.end()
        if name == "raw":
            raw = emitting
            if not emitting:
                # skip to endraw without emitting
                end = re.compile(r"\{%-?\s*endraw\s*-?%\}").search(text, m.end())
                pos = end.end() if end else len(text)
            continue
        if name in {"if", "ifversion", "elsif", "elsifversion", "unless", "else", "endif", "endunless"}:
            if name in {"if", "ifversion", "unless"}:
                cond = _version_condition(arg) if name == "ifversion" else _generic_condition(arg)
                if name == "unless":
                    cond = not cond
                cond = cond or all_branches
                stack.append((emitting, cond))
                emitting = emitting and cond
            elif name in {"elsif", "elsifversion"} and stack:
                parent, taken = stack[-1]
                cond = (
                    _version_condition(arg)
                    if name == "elsifversion" or "version" not in arg
                    else _generic_condition(arg)
                )
                cond = all_branches or (cond and not taken)
                stack[-1] = (parent, taken or cond)
                emitting = parent and cond
            elif name == "else" and stack:
                parent, taken = stack[-1]
                stack[-1] = (parent, True)
                emitting = parent and (all_branches or not taken)
            elif name in {"endif", "endunless"} and stack:
                parent, _ = stack.pop()
                emitting = parent
            continue
        if not emitting:
            continue
        if name in _LIQUID_ADMONITIONS:
            out.append(_ADM_OPEN.format(name, ""))
        elif name.startswith("end") and name[3:] in _LIQUID_ADMONITIONS:
            out.append(_ADM_CLOSE)
        elif name == "data":
            out.append(_data_tag(arg, reusable, depth, all_branches))
        elif name == "octicon":
            label = _attrs(arg).get("aria-label")
            icon = re.match(r'["\']?([\w-]+)', arg)
            out.append(label or (f"{icon.group(1).replace('-', ' ')} icon" if icon else ""))
        elif name in {"link", "link_in_list", "link_with_intro", "link_as_article_card"}:
            target = arg.split()[0] if arg.split() else ""
            out.append(f"[{target.rsplit('/', 1)[-1].replace('-', ' ')}]({target})" if target else "")
        # everything else ({% windows %}, {% include %}, {% assign %}, {% comment %} tags…): removed
    if raw or emitting:
        out.append(text[pos:])
    return "".join(out)


def _data_tag(arg: str, reusable: Callable[[str], str | None] | None, depth: int, all_branches: bool) -> str:
    path = arg.split()[0] if arg.split() else ""
    if path.startswith("variables."):
        return variable_text(path)
    if path.startswith("reusables."):
        if reusable is not None and depth < MAX_REUSABLE_DEPTH:
            content = reusable(path[len("reusables.") :])
            if content is not None:
                _, content = split_front_matter(content.replace("\r\n", "\n"))
                return expand_liquid(content.strip("\n"), reusable, depth + 1, all_branches=all_branches)
        words = " › ".join(_readable_name(p) for p in path.split(".")[1:])
        return f"*(shared text: {words})*"
    return _readable_name(path.rsplit(".", 1)[-1])


# Hugo shortcodes: {{< name args >}} and {{% name args %}}, paired ones closed by {{< /name >}}.
_HUGO = re.compile(r"\{\{([<%])\s*(/?)\s*([\w./-]+)(.*?)\s*[>%]\}\}", re.S)


def _hugo_args(text: str) -> tuple[list[str], dict[str, str]]:
    named = _attrs(text)
    rest = re.sub(r'[\w-]+\s*=\s*(["\']).*?\1', " ", text, flags=re.S)
    positional = [m.group(2) or m.group(3) for m in re.finditer(r'(["\'])(.*?)\1|(\S+)', rest)]
    return [p for p in positional if p], named


def expand_hugo(text: str) -> str:
    """Turn Hugo shortcodes into markdown; paired unknown shortcodes keep their inner content."""

    def replace(m: re.Match[str]) -> str:
        closing, name, args = m.group(2), m.group(3).lower(), m.group(4)
        if closing:
            return _ADM_CLOSE if name in {"callout", "notice", "alert", "admonition", "hint"} else ""
        positional, named = _hugo_args(args)
        if name in {"callout", "notice", "alert", "admonition", "hint"}:
            kind = named.get("context") or named.get("type") or (positional[0] if positional else "note")
            return _ADM_OPEN.format(kind, named.get("title", ""))
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


_DOCUSAURUS = re.compile(r"^(?P<indent>[ \t]*):::(?P<kind>[a-zA-Z]+)(?:\[(?P<t1>[^\]]*)\])?[ \t]*(?P<t2>.*)$")
_DOCUSAURUS_END = re.compile(r"^[ \t]*:::[ \t]*$")


def _docusaurus_admonitions(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        m = _DOCUSAURUS.match(line)
        if m:
            out.append(_ADM_OPEN.format(m.group("kind"), (m.group("t1") or m.group("t2") or "").strip()))
        elif _DOCUSAURUS_END.match(line):
            out.append(_ADM_CLOSE)
        else:
            out.append(line)
    return out


def _admonition_header(kind: str, title: str) -> str:
    kind = ADMONITION_TYPES.get(kind.strip().lower(), "note")
    title = " ".join(title.split()).replace('"', "'")
    return f'!!! {kind} "{title}"' if title else f"!!! {kind}"


def _finish_admonitions(text: str) -> str:
    """Markers → Python-Markdown admonitions (``!!! kind "Title"`` + a 4-space indented body)."""
    pattern = re.compile(r"\x02ADM:([^:\x02]*):([^\x02]*)\x02((?:(?!\x02ADM:).)*?)\x02/ADM\x02", re.S)
    for _ in range(10):  # innermost first; nested admonitions indent again
        new = pattern.sub(_render_admonition, text)
        if new == text:
            break
        text = new
    # unmatched markers: drop them, keep the content
    return re.sub(r"\x02ADM:[^\x02]*\x02|\x02/ADM\x02", "", text)


def _render_admonition(m: re.Match[str]) -> str:
    body = m.group(3).strip("\n")
    lines = body.split("\n")
    # a common leading indentation (from nested list context) would make it a code block
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(indents) if indents else 0
    inner = "\n".join(("    " + line[cut:]) if line.strip() else "" for line in lines)
    return f"\n\n{_admonition_header(m.group(1), m.group(2))}\n{inner}\n\n"


_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:.+?)\1", re.S)
_LIQUID_VAR = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
_COMMENT = re.compile(r"<!--.*?(?:-->|--!>|\Z)", re.S)
_MDX_IMPORT = re.compile(r"^(import\s+[\w{}\s,*]+\s+from\s+['\"][^'\"]+['\"];?|export\s+.*)$")
_JSX_LINE = re.compile(r"^\s*</?([A-Z][A-Za-z0-9.]*)(\s[^>]*)?/?>\s*$")
_WRAPPER_LINE = re.compile(r"^\s*</?(center|div|section|span)(\s[^>]*)?>\s*$", re.I)


def _split_fences(text: str) -> Iterator[tuple[bool, str]]:
    """Yield (is_code, chunk) so prose-only rules never touch fenced code."""
    lines = text.split("\n")
    buf: list[str] = []
    fence: str | None = None
    for line in lines:
        m = _FENCE.match(line)
        if fence is None and m:
            if buf:
                yield False, "\n".join(buf)
            buf = [line]
            fence = m.group(2)
        elif (
            fence is not None
            and m
            and m.group(2)[0] == fence[0]
            and len(m.group(2)) >= len(fence)
            and not line[m.end() :].strip()
        ):
            buf.append(line)
            yield True, "\n".join(buf)
            buf, fence = [], None
        else:
            buf.append(line)
    if buf:
        yield fence is not None, "\n".join(buf)


def _liquid_variable(m: re.Match[str]) -> str:
    expr = m.group(1).split("|")[0].strip()
    if "variables." in expr or expr.startswith("site.data"):
        return variable_text(expr)
    return ""


def _prose(chunk: str) -> str:
    """Rules for text outside code fences."""
    chunk = _COMMENT.sub("", chunk)
    kept: list[str] = []
    for line in chunk.split("\n"):
        if _MDX_IMPORT.match(line) or _WRAPPER_LINE.match(line):
            continue
        jsx = _JSX_LINE.match(line)
        if jsx:
            label = _attrs(jsx.group(2) or "").get("label")
            if label and not line.strip().startswith("</"):
                kept.append(f"**{label}**")
                kept.append("")
            continue
        kept.append(line)
    chunk = "\n".join(kept)
    # Liquid output tags outside inline code: variables become words, anything else goes.
    parts = []
    last = 0
    for code in _INLINE_CODE.finditer(chunk):
        parts.append(_LIQUID_VAR.sub(_liquid_variable, chunk[last : code.start()]))
        parts.append(code.group(0))
        last = code.end()
    parts.append(_LIQUID_VAR.sub(_liquid_variable, chunk[last:]))
    return "".join(parts)


def _dedent_fences(chunk: str) -> str:
    """Normalise a fenced block: ``yaml {title="x"}`` / ``js title="x"`` info strings become the bare
    language (Python-Markdown ignores fences with extra words), and a fence indented inside a removed
    JSX wrapper (``<TabItem>``) is moved back to the margin."""
    lines = chunk.split("\n")
    lines[0] = re.sub(r"^(\s*)(`{3,}|~{3,})\s*([\w#.+-]*).*$", r"\1\2\3", lines[0])
    m = _FENCE.match(lines[0])
    indent = len(m.group(1)) if m else 0
    if indent == 0 or indent > 3:
        return "\n".join(lines)
    return "\n".join(line[indent:] if line[:indent].strip() == "" else line for line in lines)


def to_kb_markdown(text: str, reusable: Callable[[str], str | None] | None = None) -> str:
    """Another generator's markdown body → kb markdown (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = text.replace("\x02", "").replace("\x03", "")  # our private markers
    text = expand_hugo(text)  # first: ``{{% notice %}}`` contains what looks like a Liquid tag
    expanded = expand_liquid(text, reusable)
    if not re.search(r"\w", expanded) and re.search(r"\w", _LIQUID_TAG.sub("", text)):
        expanded = expand_liquid(text, reusable, all_branches=True)
    text = expanded
    out: list[str] = []
    for is_code, chunk in _split_fences(text):
        if is_code:
            out.append(_dedent_fences(chunk))
        else:
            out.append("\n".join(_docusaurus_admonitions(_prose(chunk).split("\n"))))
    text = _finish_admonitions("\n".join(out))
    text = _placeholder_steps(text)
    text = text.replace(_RAW_OPEN, "{").replace(_RAW_CLOSE, "}")
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"


# ---------------------------------------------------------------------------------------------
# title, summary, kind


_PLACEHOLDER_LINE = re.compile(r"^(\s*)\*\(shared text: (.*)\)\*\s*$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s")


def _placeholder_steps(text: str) -> str:
    """A missing reusable that was step 1 of a numbered list becomes "1. (shared step …)"."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = _PLACEHOLDER_LINE.match(line)
        if not m:
            continue
        following = next((x for x in lines[i + 1 :] if x.strip()), "")
        previous = next((x for x in reversed(lines[:i]) if x.strip()), "")
        if _NUMBERED.match(following) or _NUMBERED.match(previous):
            lines[i] = f"{m.group(1)}1. *(shared step: {m.group(2)})*"
    return "\n".join(lines)


_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")


def plain_text(markdown_text: str) -> str:
    """Markdown inline syntax → readable plain text (for titles and summaries, which are escaped)."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", markdown_text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\[[^\]]*\]", r"\1", text)
    text = re.sub(r"<[^>]{0,200}>", "", text)
    text = re.sub(r"(\*\*|__|\*|`|~~)", "", text)
    text = html.unescape(text)
    return " ".join(text.split())


def title_from_filename(path: str) -> str:
    """``recovering-your-account.md`` → ``Recovering your account``; ``x/index.md`` uses ``x``."""
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    stem = re.sub(r"\.(md|markdown)$", "", parts[-1] if parts else "", flags=re.I)
    if stem.lower() in {"index", "_index", "readme"} and len(parts) > 1:
        stem = parts[-2]
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem)
    words = re.sub(r"[_\-.]+", " ", stem).strip() or "Untitled"
    return words[:1].upper() + words[1:]


def first_heading(body: str) -> tuple[str | None, str]:
    """(title, body): the first heading; removed from the body when it is the first line."""
    lines = body.split("\n")
    in_code = False
    first_content = next((i for i, line in enumerate(lines) if line.strip()), None)
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            in_code = not in_code
        if in_code:
            continue
        m = _HEADING.match(line)
        setext = (
            line.strip()
            and not line.startswith("    ")
            and i + 1 < len(lines)
            and re.match(r"^\s{0,3}(=+|-+)\s*$", lines[i + 1])
            and (i == 0 or not lines[i - 1].strip())
        )
        if m or setext:
            title = plain_text(m.group(2) if m else line)
            if not title:
                continue
            if i == first_content:
                body = "\n".join(lines[i + (1 if m else 2) :]).lstrip("\n")
            return title, body
    return None, body


def summary_from_body(body: str, limit: int = SUMMARY_FALLBACK_CHARS) -> str:
    """The first prose paragraph as plain text, cut at a word boundary near ``limit``."""
    para: list[str] = []
    in_code = False
    for line in body.split("\n"):
        stripped = line.strip()
        if _FENCE.match(line):
            in_code = not in_code
            if para:
                break
            continue
        if in_code:
            continue
        if not stripped:
            if para:
                break
            continue
        if re.match(r"^\s{0,3}(=+|-+)\s*$", line) and para:
            para = []  # the paragraph was a setext heading
            continue
        if para or (
            not re.match(r"^(#|!!!|\?\?\?|\||>|<|!\[|[-*+] |\d+[.)] |\*\(shared|[-=]{3,}|\[\^)", stripped)
            and not line.startswith("    ")
        ):
            para.append(stripped)
        elif para:
            break
    text = plain_text(re.sub(r"\*\(shared (text|step): [^)]*\)\*", "", " ".join(para)))
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [str(value)]


def _guess_kind(meta: dict[str, Any], source_path: str) -> str:
    kind = meta.get("kind")
    if isinstance(kind, str) and kind.lower() in Kind.values:
        return kind.lower()
    if POLICY_PATH.search(source_path.rsplit("/", 1)[-1]) or "/site-policy/" in source_path:
        return Kind.POLICY
    return Kind.TROUBLESHOOTING


def parse_document(
    data: bytes, *, source_path: str, reusable: Callable[[str], str | None] | None = None
) -> ImportDocument:
    """One file → the article it becomes (pure: no database)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailure(f"not UTF-8 text (byte {exc.start})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    meta, body = split_front_matter(text)
    native = isinstance(meta.get("kind"), str) and meta["kind"] in Kind.values
    title_value = meta.get("title")
    title = str(title_value) if title_value not in (None, "") else ""
    if native:
        # kb's own export: the body is kb markdown already; keep it byte for byte.
        summary = str(meta.get("summary") or "")
    else:
        body = to_kb_markdown(body, reusable)
        title = plain_text(to_kb_markdown(expand_liquid(title))).strip() if title else ""
        raw_summary = next(
            (
                meta[k]
                for k in ("summary", "description", "intro")
                if isinstance(meta.get(k), str) and meta[k]
            ),
            "",
        )
        summary = plain_text(to_kb_markdown(str(raw_summary))) if raw_summary else ""
    if not title:
        heading, body = first_heading(body)
        title = heading or title_from_filename(source_path)
    elif not native:
        heading, rest = first_heading(body)
        if heading and heading.strip().lower() == title.strip().lower() and rest != body:
            body = rest  # the page repeats its title as a first "# Title" line
    if not native and not summary:
        summary = summary_from_body(body)
    title = title[: services.TITLE_MAX].strip()
    summary = summary[: services.SUMMARY_MAX]

    tags = _as_list(meta.get("tags")) + _as_list(meta.get("keywords"))
    if not native:
        tags += _as_list(meta.get("topics"))
    categories: list[str] = []
    for value in _as_list(meta.get("categories")):
        if re.match(CATEGORY_CODE_RE, value) and len(value) <= 120:
            categories.append(value)
        elif not native:
            tags.append(value)  # another generator's free-form category: keep it findable as a tag
    tags = [t for t in dict.fromkeys(t.lower() for t in tags) if len(t) <= services.TAG_MAX][
        : services.TAGS_MAX
    ]

    status = meta.get("status")
    if status not in Status.values:
        status = Status.DRAFT if meta.get("draft") is True else None
    days = meta.get("review_interval_days")
    slug = meta.get("slug")
    owner = meta.get("owner")
    return ImportDocument(
        title=title,
        body=body,
        summary=summary,
        kind=_guess_kind(meta, source_path),
        status=status,
        slug=str(slug).strip("/").rsplit("/", 1)[-1] if slug else None,
        tags=tags,
        categories=list(dict.fromkeys(categories)),
        teams=_as_list(meta.get("teams")),
        owner=str(owner) if owner else None,
        review_interval_days=days if isinstance(days, int) and not isinstance(days, bool) else None,
        native=native,
        present={k for k in ("categories", "tags", "teams", "review_interval_days") if k in meta}
        | ({"tags"} if tags else set()),
    )


# ---------------------------------------------------------------------------------------------
# saving


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def summary_line(self) -> str:
        return (
            f"imported: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.failed} failed"
        )


def default_importer() -> User:
    """The user imports are attributed to when ``--owner`` is not given: the first admin, else lead."""
    for role in (Role.ADMIN, Role.LEAD):
        user = User.objects.filter(role=role, is_active=True).order_by("pk").first()
        if user is not None:
            return user
    raise ImportFailure(
        "no admin or lead exists: create one (manage.py adduser NAME --role admin) or pass --owner"
    )


def find_markdown_files(root: Path) -> list[Path]:
    """Every .md/.markdown file below ``root`` in a stable order (hidden folders skipped)."""
    files = [
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def reusable_finder(root: Path, file: Path) -> Callable[[str], str | None]:
    """GitHub Docs reusables (``data/reusables/a/b.md``) looked up in the folders above ``file``."""
    bases = [d for d in [file.parent, *file.parents] if d == root or root in d.parents]

    def find(dotted: str) -> str | None:
        rel = Path("data", "reusables", *dotted.split("."))
        for base in bases:
            for suffix in SUFFIXES:
                candidate = base / rel.with_suffix(suffix)
                if candidate.is_file():
                    try:
                        return candidate.read_text("utf-8-sig")
                    except (OSError, UnicodeDecodeError):
                        return None
        return None

    return find


def source_hash(data: bytes, options: dict[str, Any]) -> str:
    """Identity of an import: the file's bytes and the options that shape the article."""
    digest = hashlib.sha256(data)
    digest.update(b"\0" + json.dumps(options, sort_keys=True).encode())
    return digest.hexdigest()


def _ensure_categories(actor: User, codes: list[str]) -> None:
    """Create missing category codes (and their prefixes) so exported files import into an empty kb."""
    for code in codes:
        parts = code.split(".")
        for i in range(1, len(parts) + 1):
            prefix = ".".join(parts[:i])
            if not Category.objects.filter(code=prefix).exists():
                name = parts[i - 1].replace("_", " ").title() if parts[i - 1].isupper() else parts[i - 1]
                services.create_category(
                    actor=actor, code=prefix, name=name, parent=".".join(parts[: i - 1]) or None
                )


def _apply_status(actor: User, article: Article, status: str) -> None:
    """Bring a freshly saved article to ``status`` through the workflow services."""
    if status == Status.PUBLISHED:
        if article.published_version != article.version or article.status != Status.PUBLISHED:
            services.publish_article(actor=actor, article=article, material=False, note="Imported")
    elif status == Status.IN_REVIEW:
        if article.status != Status.IN_REVIEW and article.published_version != article.version:
            services.submit_article(actor=actor, article=article, note="Imported")
    elif status == Status.ARCHIVED and article.status != Status.ARCHIVED:
        services.archive_article(actor=actor, article=article, note="Imported")


class _DryRun(Exception):
    """Raised inside the transaction of a dry run so that everything it wrote is rolled back."""


def _save(
    *, actor: User, doc: ImportDocument, existing: Article | None, source_path: str, digest: str
) -> str:
    owner = actor
    if doc.owner:
        owner = User.objects.filter(username=doc.owner).first() or actor
    for name in doc.teams:
        if len(name) <= 100:
            Team.objects.get_or_create(name=name)
    _ensure_categories(actor, doc.categories)
    note = f"Imported from {source_path}"
    if existing is None:
        article = services.create_article(
            actor=actor,
            title=doc.title,
            change_note=note,
            kind=doc.kind,
            summary=doc.summary,
            body=doc.body,
            categories=doc.categories,
            tags=doc.tags,
            teams=doc.teams,
            review_interval_days=doc.review_interval_days,
            owner=owner,
            slug=doc.slug,
            source_path=source_path,
            source_hash=digest,
            create_teams=True,
        )
        outcome = "created"
    else:
        # Only what the file says: a category or team a lead added in kb survives a re-import of a
        # file that does not mention categories or teams.
        changes: dict[str, Any] = {
            "title": doc.title,
            "summary": doc.summary,
            "body": doc.body,
            "kind": doc.kind,
        }
        for key in ("categories", "tags", "teams", "review_interval_days"):
            if key in doc.present:
                changes[key] = getattr(doc, key)
        if doc.owner:
            changes["owner"] = owner
        article = services.update_article(
            actor=actor, article=existing, base_version=existing.version, change_note=note, **changes
        )
        Article.objects.filter(pk=article.pk).update(source_hash=digest)
        outcome = "updated"
    _apply_status(actor, Article.objects.get(pk=article.pk), doc.status or Status.PUBLISHED)
    return outcome


def import_file(
    *,
    actor: User,
    data: bytes,
    source_path: str,
    status_override: str | None,
    reusable: Callable[[str], str | None] | None = None,
    dry_run: bool = False,
    defer_side_effects: bool = False,
) -> str:
    """Import one file; returns ``created``, ``updated`` or ``unchanged``. One transaction."""
    options = {"status": status_override, "owner": actor.username}
    digest = source_hash(data, options)
    existing = Article.objects.filter(source_path=source_path).first()
    if existing is not None and existing.source_hash == digest:
        return "unchanged"
    doc = parse_document(data, source_path=source_path, reusable=reusable)
    doc.status = status_override or doc.status or Status.PUBLISHED
    try:
        with transaction.atomic(), events.bulk() if defer_side_effects else contextlib.nullcontext():
            outcome = _save(actor=actor, doc=doc, existing=existing, source_path=source_path, digest=digest)
            if dry_run:
                raise _DryRun(outcome)
    except _DryRun as dry:
        outcome = str(dry)
    return outcome


def import_tree(
    root: Path,
    *,
    actor: User,
    status_override: str | None = None,
    dry_run: bool = False,
    on_failure: Callable[[str, str], None] | None = None,
    defer_side_effects: bool = False,
) -> ImportReport:
    """Import every markdown file below ``root``; a failing file is reported and skipped."""
    report = ImportReport()
    for file in find_markdown_files(root):
        rel = file.relative_to(root).as_posix()
        try:
            outcome = import_file(
                actor=actor,
                data=file.read_bytes(),
                source_path=rel,
                status_override=status_override,
                reusable=reusable_finder(root, file),
                dry_run=dry_run,
                defer_side_effects=defer_side_effects,
            )
        except (ImportFailure, DomainError, OSError) as exc:
            reason = getattr(exc, "message", None) or str(exc)
            field_name = getattr(exc, "field", None)
            if field_name:
                reason = f"{field_name}: {reason}"
            report.failures.append((rel, reason))
            if on_failure is not None:
                on_failure(rel, reason)
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report
