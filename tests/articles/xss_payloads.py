"""A golden corpus of markdown XSS payloads: every one must render to inert HTML on every surface.

Grouped by technique; each entry is ``(id, markdown)``. Sources: the OWASP XSS filter evasion cheat
sheet, the PortSwigger XSS cheat sheet, and known Python-Markdown / sanitizer bypasses (attribute lists,
raw HTML blocks, reference links). Add a payload whenever a new trick is reported.
"""

from __future__ import annotations

JS = "javascript:alert(1)"

SCHEME_LINKS = [
    ("link-js", f"[click]({JS})"),
    ("link-js-upper", "[click](JAVASCRIPT:alert(1))"),
    ("link-js-mixed", "[click](JaVaScRiPt:alert(1))"),
    ("link-js-entity-dec", "[click](&#106;avascript:alert(1))"),
    ("link-js-entity-hex", "[click](&#x6A;avascript:alert(1))"),
    (
        "link-js-entity-full",
        "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    ),
    ("link-js-entity-nosemi", "[click](&#0000106&#0000097vascript:alert(1))"),
    ("link-js-tab", "[click](java\tscript:alert(1))"),
    ("link-js-entity-tab", "[click](java&#9;script:alert(1))"),
    ("link-js-entity-newline", "[click](java&#10;script:alert(1))"),
    ("link-js-entity-colon", "[click](javascript&colon;alert(1))"),
    ("link-js-null", "[click](java\x00script:alert(1))"),
    ("link-js-leading-space", "[click](   javascript:alert(1))"),
    ("link-js-angle", "[click](<javascript:alert(1)>)"),
    ("link-js-title", '[click](javascript:alert(1) "title")'),
    ("link-js-url-encoded", "[click](javascript%3Aalert(1))"),
    ("link-js-leading-control", "[click](\x01javascript:alert(1))"),
    ("autolink-js", "<javascript:alert(1)>"),
    ("autolink-js-upper", "<JAVASCRIPT:alert(1)>"),
    ("reference-js", "[click][x]\n\n[x]: javascript:alert(1)"),
    ("reference-js-title", '[click][x]\n\n[x]: javascript:alert(1) "t"'),
    ("reference-js-entity", "[click][x]\n\n[x]: &#106;avascript:alert(1)"),
    ("image-js", "![x](javascript:alert(1))"),
    ("image-reference-js", "![x][y]\n\n[y]: javascript:alert(1)"),
    ("link-data-html", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("link-data-upper", "[click](DATA:text/html,<script>alert(1)</script>)"),
    ("image-data-svg", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
    ("link-vbscript", "[click](vbscript:msgbox(1))"),
    ("link-vbscript-mixed", "[click](VbScRiPt:msgbox(1))"),
    ("link-livescript", "[click](livescript:alert(1))"),
    ("link-file", "[click](file:///etc/passwd)"),
]

RAW_HTML = [
    ("script", "<script>alert(1)</script>"),
    ("script-src", '<script src="https://evil.example/x.js"></script>'),
    ("script-inline-paragraph", "Hello <script>alert(1)</script> world"),
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("img-onerror-quoted", '<img src="x" onerror="alert(1)">'),
    ("img-onerror-slash", "<img/src=x/onerror=alert(1)>"),
    ("img-src-js", '<img src="javascript:alert(1)">'),
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    ("svg-use", '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"/></svg>'),
    (
        "svg-animate",
        "<svg><a><animate attributeName=href values=javascript:alert(1) /><text y=20>x</text></a></svg>",
    ),
    ("svg-set", '<svg><set attributeName="onmouseover" to="alert(1)"/></svg>'),
    ("svg-xlink", '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>'),
    ("iframe", '<iframe src="javascript:alert(1)"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("object", '<object data="javascript:alert(1)"></object>'),
    ("embed", '<embed src="javascript:alert(1)">'),
    ("math", '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>'),
    (
        "math-maction",
        '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    ),
    ("form-action", '<form action="javascript:alert(1)"><button>go</button></form>'),
    ("button-formaction", '<button formaction="javascript:alert(1)">go</button>'),
    ("input-onfocus", "<input autofocus onfocus=alert(1)>"),
    ("a-href-js", '<a href="javascript:alert(1)">x</a>'),
    ("a-href-js-entity", '<a href="&#106;avascript:alert(1)">x</a>'),
    ("a-href-js-spaces", '<a href="  javascript:alert(1)">x</a>'),
    ("a-href-js-tab", '<a href="jav&#x09;ascript:alert(1)">x</a>'),
    ("details-ontoggle", "<details open ontoggle=alert(1)><summary>x</summary></details>"),
    ("body-onload", "<body onload=alert(1)>"),
    ("style-tag", "<style>body{background:url('javascript:alert(1)')}</style>"),
    ("link-tag", '<link rel="stylesheet" href="javascript:alert(1)">'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("base-href", '<base href="javascript:alert(1)//">'),
    ("video-onerror", "<video><source onerror=alert(1)></video>"),
    ("audio-src", "<audio src=x onerror=alert(1)>"),
    ("marquee-onstart", "<marquee onstart=alert(1)>x</marquee>"),
    ("div-onmouseover", "<div onmouseover=alert(1)>hover</div>"),
    ("template", "<template><script>alert(1)</script></template>"),
    ("noscript-breakout", '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'),
    ("textarea-breakout", "<textarea></textarea><script>alert(1)</script>"),
    ("frameset", '<frameset onload=alert(1)><frame src="javascript:alert(1)"></frameset>'),
]

ATTRIBUTES = [
    ("attr-list-onclick", "Paragraph\n{: onclick=alert(1) }"),
    ("attr-list-heading", "## Heading {#id onmouseover=alert(1)}"),
    ("attr-list-link", "[x](http://example.com){: onclick=alert(1) }"),
    ("attr-list-style", 'Text\n{: style="background:url(javascript:alert(1))" }'),
    ("breakout-link-title", '[x](http://a" onmouseover="alert(1))'),
    ("breakout-link-title2", '[x](http://a "t\\" onmouseover=\\"alert(1)")'),
    ("breakout-image-alt", '![a" onerror="alert(1)](x)'),
    ("breakout-image-src", '![a](x" onerror="alert(1))'),
    ("breakout-reference-title", '[x][r]\n\n[r]: http://a "t" onmouseover="alert(1)"'),
    ("heading-id-collision", "# login-form\n\n## csrfmiddlewaretoken"),
    ("footnote-id", 'Text[^x" onmouseover="alert(1)]\n\n[^x" onmouseover="alert(1)]: note'),
    ("class-injection", '<p class="admonition x" id="main">x</p>'),
]

CSS = [
    ("style-url-js", '<p style="background:url(javascript:alert(1))">x</p>'),
    ("style-expression", '<p style="width:expression(alert(1))">x</p>'),
    ("style-import", "<div style=\"@import 'javascript:alert(1)';\">x</div>"),
    ("style-escaped", '<p style="background:u\\72l(javascript:alert(1))">x</p>'),
    ("style-behavior", '<p style="behavior:url(x.htc)">x</p>'),
]

PARSER_CONFUSION = [
    ("unclosed-img", "<img src=x onerror=alert(1)//"),
    ("unclosed-script", "<script>alert(1)"),
    ("nested-comment", "<!-- <!-- --> <img src=x onerror=alert(1)> -->"),
    ("bang-comment", "<!-- x --!> <img src=x onerror=alert(1)> -->"),
    ("comment-in-attr", '<a title="<!--" href="x">--><img src=x onerror=alert(1)></a>'),
    ("cdata", "<![CDATA[><img src=x onerror=alert(1)>]]>"),
    ("split-script", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("double-lt", "<<script>script>alert(1)<</script>/script>"),
    ("mismatched-quotes", "<img src=\"x' onerror='alert(1)\">\n<img src='x\" onerror=\"alert(1)'>"),
    ("null-in-tag", "<scr\x00ipt>alert(1)</scr\x00ipt>"),
    ("null-in-attr", "<img src=x on\x00error=alert(1)>"),
    ("line-separator", "[x](java\u2028script:alert(1))\n\n<img src=x\u2029onerror=alert(1)>"),
    ("html-in-code-fence", "```html\n<script>alert(1)</script>\n```"),
    ("html-in-inline-code", "`<img src=x onerror=alert(1)>`"),
    (
        "html-in-admonition",
        '!!! note "<img src=x onerror=alert(1)>"\n    <script>alert(1)</script>\n'
        "    [x](javascript:alert(1))",
    ),
    ("html-in-details", '??? note "t"\n    <svg onload=alert(1)>'),
    ("html-in-table", "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |"),
    ("html-in-list", "- <iframe src=javascript:alert(1)>\n- [ ] <script>alert(1)</script>"),
    ("markdown-in-html-block", '<div markdown="1">\n[x](javascript:alert(1))\n</div>'),
    ("markdown-in-html-span", "<span>[x](javascript:alert(1))</span>"),
    ("html-in-heading", "## <img src=x onerror=alert(1)> heading"),
    ("html-in-toc-heading", "## Title <script>alert(1)</script>\n\n### <svg onload=alert(1)>"),
    ("html-in-footnote", "Text[^1]\n\n[^1]: <img src=x onerror=alert(1)>"),
    ("html-in-deflist", "Term\n:   <img src=x onerror=alert(1)>"),
    ("entity-smuggled-tag", "&lt;script&gt;alert(1)&lt;/script&gt; and &#60;img src=x onerror=alert(1)&#62;"),
    ("backslash-escape", "\\<script>alert(1)\\</script>"),
    ("unicode-fullwidth", "＜script＞alert(1)＜/script＞"),
    ("uppercase-tags", "<SCRIPT>alert(1)</SCRIPT><IMG SRC=x ONERROR=alert(1)>"),
    ("broken-html-block", "<div\n<script>alert(1)</script>\n>"),
    ("processing-instruction", '<?xml version="1.0"?><img src=x onerror=alert(1)>'),
]

PAYLOADS: list[tuple[str, str]] = SCHEME_LINKS + RAW_HTML + ATTRIBUTES + CSS + PARSER_CONFUSION

# The same payloads as plain text fields (title, summary, change note, tag, category name): they must be
# shown as text, never as markup.
FIELD_PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "</title><script>alert(1)</script>",
    "' onmouseover='alert(1)",
]
