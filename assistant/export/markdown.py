"""The rich A4 as Markdown that reads as Markdown; user text is escaped so it stays text.

`escape` is the one Markdown escape of the package (exports, summary and the app's Markdown).
It escapes only what would change the rendering (CommonMark and GitHub's extensions), so the
raw text reads as typed: a full stop, a hyphen, a "+31" or a "#hashtag" stays as it is.

The A4 follows the page: the title, the afbeelding (the picture itself, embedded as a data
reference at the end of the file so one file carries it; or a quoted placeholder with its
description), the kenmerkende ervaring and the beeld, and the situation, virtues, ik/wij and date.
"""

from __future__ import annotations

import base64
import io
import re
from datetime import date
from pathlib import Path

from PIL import Image

from assistant.domain.session import A4
from assistant.export.document import (
    DEFAULT_TITLE,
    EMPTY,
    NO_IMAGE,
    A4Context,
    clean_text,
    image_description,
    paragraphs,
)
from assistant.export.files import PreparedImage, prepare_image

EMBED_SIDE = 1200  # pixels: plenty on screen, and the file stays small
IMAGE_LABEL = "afbeelding"

_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ALWAYS = frozenset("`[]|")  # code, links (and our image reference), tables
_ENTITY = re.compile(r"#?[0-9A-Za-z]+;")
# Block syntax at a line start (after at most three spaces): headings, bullets, block quotes,
# numbered items, setext underlines and rules ("===", "---", "- - -").
_MARKER = re.compile(r"(?m)^([ \t]{0,3})([-+*]|#{1,6})(?=[ \t]|$)")
_QUOTE = re.compile(r"(?m)^([ \t]{0,3})>")
_NUMBERED = re.compile(r"(?m)^([ \t]{0,3}\d{1,9})([.)])(?=[ \t]|$)")
_UNDERLINE = re.compile(r"(?m)^([ \t]{0,3})(?=(=+|-[- \t]*)[ \t]*$)([=-])")


def _inline(text: str) -> str:
    """Escape the characters that would start inline syntax where they stand."""
    out = []
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        spaced = before.isspace() and after.isspace()
        if ch in _ALWAYS:
            out.append("\\" + ch)
        elif ch == "\\":
            # Before punctuation it would escape it; at a line end it would break the line.
            out.append("\\\\" if after in _ASCII_PUNCTUATION or after == "\n" else ch)
        elif ch in "*~":  # emphasis, strikethrough: not when it stands alone between spaces
            out.append(ch if spaced else "\\" + ch)
        elif ch == "_":  # inside a word ("snake_case") it cannot emphasise
            out.append(ch if spaced or (before.isalnum() and after.isalnum()) else "\\_")
        elif ch == "<" and (after.isalpha() or after in "/!?"):  # HTML or an autolink
            out.append("&lt;")
        elif ch == "&" and _ENTITY.match(text, i + 1):  # "&amp;" would show as "&"
            out.append("&amp;")
        elif ch == "(" and before == "]":  # "](" would still read as a link target
            out.append("\\(")
        else:
            out.append(ch)
    return "".join(out)


def escape(text: str, *, starts_line: bool = True) -> str:
    """User text as Markdown that renders literally: only syntax that would take effect is
    escaped, so the raw text stays readable (a full stop or a hyphen in a sentence stays).

    With `starts_line=False` the text goes after other text on its line ("**Situatie:** 3.
    Wat als…"), so its first line's start is no line start."""
    escaped, head = _inline(text), ""
    if not starts_line:
        first, newline, escaped = escaped.partition("\n")
        head = first + newline
    escaped = _MARKER.sub(r"\1\\\2", escaped)
    escaped = _QUOTE.sub(r"\1\\>", escaped)
    escaped = _NUMBERED.sub(r"\1\\\2", escaped)
    return head + _UNDERLINE.sub(r"\1\\\3", escaped)


def _blocks(text: str) -> list[str]:
    """Plain text as escaped Markdown paragraphs; line breaks inside one are kept."""
    return ["  \n".join(escape(line) for line in lines) for lines in paragraphs(text)]


def _one_line(text: str) -> str:
    return " ".join(line for lines in paragraphs(text) for line in lines)


def _data_uri(image: PreparedImage) -> str:
    """The picture as a data URI, at most EMBED_SIDE pixels (JPEG, or PNG when transparent)."""
    with Image.open(io.BytesIO(image.data)) as opened:
        im = opened.copy()
    im.thumbnail((EMBED_SIDE, EMBED_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
        im.save(out, "PNG", optimize=True)
        mime = "image/png"
    else:
        im.convert("RGB").save(out, "JPEG", quality=85)
        mime = "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(out.getvalue()).decode('ascii')}"


def a4_to_markdown(a4: A4, image: Path | None = None, context: A4Context | None = None) -> str:
    """The A4 as Markdown, in the page's order; `image` (PNG or JPEG) is embedded.

    Raises ImageRejected when `image` is not an acceptable PNG or JPEG.
    """
    prepared = prepare_image(image) if image is not None else None
    context = context or A4Context(datum=date.today().isoformat())
    title = " ".join(clean_text(a4.titel).split()) or DEFAULT_TITLE
    parts = [f"# {escape(title)}"]

    described = image_description(a4.afbeelding)
    description = _blocks(described)
    if prepared is not None:
        parts.append(f"![{escape(_one_line(described) or title)}][{IMAGE_LABEL}]")
        if description:
            parts += [f"*Afbeelding:* {description[0]}", *description[1:]]
    else:
        shown = description or [f"*{NO_IMAGE}*"]
        quoted = ["**Afbeelding**", *shown]
        parts.append("\n>\n".join("\n".join(f"> {line}" for line in p.split("\n")) for p in quoted))

    for heading, text in (
        ("Kenmerkende ervaring", a4.kenmerkende_ervaring),
        ("Beeld van goed werk", a4.beeld),
    ):
        parts += [f"## {heading}", *(_blocks(text) or [f"*{EMPTY}*"])]

    rows = context.rows()
    if rows:
        band = (f"- **{label}:** {escape(value, starts_line=False)}" for label, value in rows)
        parts += ["---", "\n".join(band)]
    if prepared is not None:
        parts.append(f"[{IMAGE_LABEL}]: {_data_uri(prepared)}")
    return "\n\n".join(parts) + "\n"
