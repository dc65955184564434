"""Liquid, as Jekyll and GitHub Docs write it: conditionals, ``{% raw %}``, notes, data variables and
reusables, octicons and links. The reusable files themselves are found by ``reusables.py``."""

from __future__ import annotations

import re
from collections.abc import Callable

from kb.articles.importing.common import ADM_CLOSE, ADM_OPEN, RAW_CLOSE, RAW_OPEN, attrs
from kb.articles.importing.frontmatter import split_front_matter

MAX_REUSABLE_DEPTH = 3
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


def readable_name(name: str) -> str:
    """``prodname_dependabot_alerts`` → ``Dependabot alerts``; a last resort for unknown variables."""
    name = re.sub(r"^(prodname|product|contact)_", "", name)
    words = re.sub(r"[_\-]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else ""


def variable_text(path: str) -> str:
    """The words a reader saw for a GitHub Docs data variable (``variables.product.prodname_dotcom``)."""
    last = path.strip().split(".")[-1]
    return GITHUB_VARIABLES.get(last, readable_name(last))


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


# A tag never spans the opener of another one: an unclosed ``{%`` then costs a scan to the next
# opener, not to the end of the file (which made 100 kB of unclosed tags take a minute).
LIQUID_TAG = re.compile(r"\{%-?\s*(\w+)((?:(?!%\}|\{%).)*?)-?%\}", re.S)
_LIQUID_ADMONITIONS = {"note", "warning", "tip", "danger", "caution", "important"}


def expand_liquid(
    text: str,
    reusable: Callable[[str], str | None] | None = None,
    depth: int = 0,
    *,
    all_branches: bool = False,
) -> str:
    """Evaluate the Liquid tags of GitHub Docs / Jekyll pages into plain markdown.

    Conditionals keep the branch a GitHub.com reader saw; ``{% raw %}`` keeps its content literally;
    ``{% note %}``-style blocks become admonition markers (finished by ``finish_admonitions``);
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
    for m in LIQUID_TAG.finditer(text):
        name, arg = m.group(1), m.group(2).strip()
        if raw:
            if name == "endraw":
                # shield the literal text from the later passes that remove {{ … }}
                out.append(text[pos : m.start()].replace("{", RAW_OPEN).replace("}", RAW_CLOSE))
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
            out.append(ADM_OPEN.format(name, ""))
        elif name.startswith("end") and name[3:] in _LIQUID_ADMONITIONS:
            out.append(ADM_CLOSE)
        elif name == "data":
            out.append(_data_tag(arg, reusable, depth, all_branches))
        elif name == "octicon":
            label = attrs(arg).get("aria-label")
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
        words = " › ".join(readable_name(p) for p in path.split(".")[1:])
        return f"*(shared text: {words})*"
    return readable_name(path.rsplit(".", 1)[-1])


def liquid_variable(m: re.Match[str]) -> str:
    expr = m.group(1).split("|")[0].strip()
    if "variables." in expr or expr.startswith("site.data"):
        return variable_text(expr)
    return ""
