"""Strict text templates: `{name}` placeholders that must be declared and given.

Used by the question bank and the LLM prompts (`assistant.facilitator`) and by the printed
guide (`assistant.export.guide`); it sits below both so neither imports the other for it.
"""

from __future__ import annotations

import string

from assistant.errors import Unavailable


class TemplateError(Unavailable, ValueError):
    """A text uses a placeholder it may not, or rendering misses a variable."""


# The variables a question text may use: none, the situation's name, or a virtue.
NONE: frozenset[str] = frozenset()
SITUATIE: frozenset[str] = frozenset({"situatie"})
DEUGD: frozenset[str] = frozenset({"deugd"})
DEUGDEN: frozenset[str] = frozenset({"deugden"})  # chosen virtues, joined ("moed en geduld")
WOORDEN: frozenset[str] = frozenset({"woorden"})  # the user's own words, quoted back
PERSPECTIEVEN: frozenset[str] = frozenset({"perspectieven"})  # names of perspectives, joined


def placeholders(text: str) -> set[str]:
    """The `{name}` placeholders in a str.format template."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise TemplateError(f"Ongeldige tekst {text!r}: {exc}") from exc


def render(template: str, allowed: frozenset[str], **variables: str) -> str:
    """Fill a template: its placeholders must be allowed and given; no undeclared variables."""
    used = placeholders(template)
    if unknown := used - allowed:
        raise TemplateError(f"Onbekende variabele(n) {sorted(unknown)} in {template!r}")
    if missing := used - variables.keys():
        raise TemplateError(f"Ontbrekende variabele(n) {sorted(missing)} voor {template!r}")
    if undeclared := variables.keys() - allowed:
        raise TemplateError(f"Niet-gedeclareerde variabele(n) {sorted(undeclared)}")
    return template.format(**variables)
