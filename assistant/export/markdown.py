"""The rich A4 as Markdown; user text is escaped so it stays text in any renderer.

`escape` is the one Markdown escape of the package (exports, summary and the app's Markdown).
"""

from __future__ import annotations

import html
import re

from assistant.domain.session import A4

# Characters with a meaning anywhere in a line: emphasis, code, links, tables, strikethrough.
_INLINE = re.compile(r"([\\`*_\[\]|~])")
_LINK_TARGET = re.compile(r"(?<=\\\])\(")  # "](" would still open a link target
# Characters with a meaning only at the start of a line: headings, lists, setext underlines
# and rules ("===", "---"), numbered lists ("1." or "1)"). A ">" is already "&gt;" here.
_LINE_START = re.compile(r"(?m)^([ \t]*)([#+\-=])")
_NUMBERED = re.compile(r"(?m)^([ \t]*\d+)([.)])")


def escape(text: str) -> str:
    """User text as Markdown that renders literally: HTML and Markdown syntax are escaped.

    Only what would change the rendering is escaped, so the raw text stays readable: a full
    stop or a hyphen inside a sentence is left alone.
    """
    escaped = _INLINE.sub(r"\\\1", html.escape(text, quote=False))
    escaped = _LINK_TARGET.sub(r"\\(", escaped)
    escaped = _LINE_START.sub(r"\1\\\2", escaped)
    return _NUMBERED.sub(r"\1\\\2", escaped)


def a4_to_markdown(a4: A4) -> str:
    """The four parts of the A4 under their headings."""
    parts = [
        f"# {escape(a4.titel or 'Beeld van goed werk')}",
        "## Kenmerkende ervaring",
        escape(a4.kenmerkende_ervaring),
        "## Beeld van goed werk",
        escape(a4.beeld),
        "## Afbeelding",
        escape(a4.afbeelding),
    ]
    return "\n\n".join(parts) + "\n"
