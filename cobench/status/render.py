"""Status text as HTML: light Markdown, safe by construction.

Raw HTML in the text is escaped (never passed through), images are off (no
remote fetches from a closed network, no tracking pixels), link targets are
limited to markdown-it's safe schemes (no javascript:, vbscript:, file:, data:),
and headings are demoted below the page's own.
"""

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False}).disable(["image"])


def _heading_open(self, tokens, idx, options, env):
    token = tokens[idx]
    level = min(6, int(token.tag[1]) + 3)
    tokens[idx].tag = tokens[idx + 2].tag = f"h{level}"  # open, inline, close
    return self.renderToken(tokens, idx, options, env)


def _link_open(self, tokens, idx, options, env):
    tokens[idx].attrSet("rel", "nofollow noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)


_md.add_render_rule("heading_open", _heading_open)
_md.add_render_rule("link_open", _link_open)


def markdown(text: str) -> SafeString:
    """`text` rendered as sanitized HTML."""
    return mark_safe(_md.render(text or ""))  # noqa: S308 - markdown-it escapes all raw HTML
