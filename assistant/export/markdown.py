"""The rich A4 as Markdown; user text is escaped so it stays text in any renderer."""

from __future__ import annotations

import html
import re

from assistant.domain.session import A4

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def escape(text: str) -> str:
    """Escape Markdown syntax and HTML so user text renders literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


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
