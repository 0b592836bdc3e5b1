"""Replay of a scripted user through a whole session (for maintainers, tests and evals)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.domain.session import Moment, Wie
from assistant.errors import GoedwerkError, os_reason
from assistant.service import ChooseSituation, ReflectionService, ToDraft


class ScriptError(GoedwerkError, ValueError):
    """The script file cannot be read or does not have the expected fields."""


class Script(BaseModel):
    """A scripted user: who, when, their situation, their choice and their answers."""

    model_config = ConfigDict(extra="allow")

    wie: Wie
    moment: Moment
    situatie: str = Field(min_length=1)
    keuze: int = Field(ge=0, description="1-based index of the offered situations, 0 for none")
    verduidelijking: str = Field(
        default="",
        description="the answer to a clarifying question before the offer (default: the "
        "situation told once more, so the offer and `keuze` stay as they were)",
    )
    antwoorden: list[str]


def read_script(path: Path) -> Script:
    """Load and validate a script file (YAML or JSON)."""
    try:
        data = yaml.safe_load(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise ScriptError(f"Kan {path} niet lezen: {os_reason(exc)}.") from exc
    except UnicodeDecodeError as exc:
        raise ScriptError(f"{path} is geen geldige UTF-8-tekst (byte {exc.start}).") from exc
    except yaml.YAMLError as exc:
        raise ScriptError(f"{path} is geen geldige YAML: {exc}") from exc
    try:
        return Script.model_validate(data)
    except ValidationError as exc:
        lines = "\n".join(f"  - {_field_problem(error)}" for error in exc.errors())
        raise ScriptError(f"{path} mist velden of heeft ongeldige waarden:\n{lines}") from exc


_PYDANTIC_DUTCH = {
    "missing": "ontbreekt",
    "extra_forbidden": "is onbekend",
    "literal_error": "heeft geen toegestane waarde",
    "enum": "heeft geen toegestane waarde",
    "string_type": "moet tekst zijn",
    "int_type": "moet een geheel getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "list_type": "moet een lijst zijn",
    "dict_type": "moet velden met waarden hebben",
    "model_type": "moet velden met waarden hebben",
    "bool_type": "moet ja of nee zijn",
}


def _field_problem(error: Any) -> str:
    """One pydantic error as a Dutch line: where in the script, and what is wrong."""
    where = ".".join(str(part) for part in error.get("loc", ())) or "het script"
    what = _PYDANTIC_DUTCH.get(error.get("type", ""), "heeft een ongeldige waarde")
    return f"{where} {what}"


def play(
    service: ReflectionService, script: Script, session_id: str | None = None
) -> tuple[str, dict[str, Any]]:
    """Play the script; return the session id and `{"turns", "coverage", "a4"}`.

    A fixed `session_id` makes the question wording (chosen per session) reproducible.
    """
    session_id, _ = service.start(script.wie, script.moment, session_id=session_id)
    service.send(session_id, script.situatie)
    if service.state(session_id).step == "situatie":  # a clarifying question came first
        service.send(session_id, script.verduidelijking or script.situatie)
    offered = len(service.state(session_id).offered)
    if script.keuze > offered:
        raise ScriptError(
            f"keuze {script.keuze} bestaat niet: er zijn {offered} situaties aangeboden."
        )
    service.act(session_id, ChooseSituation(index=script.keuze))
    for answer in script.antwoorden:
        if service.state(session_id).step == "concept":
            break  # answers left over when the draft is reached are ignored
        service.send(session_id, answer)
    state = service.state(session_id)
    if state.step != "concept":
        service.act(session_id, ToDraft())
        state = service.state(session_id)
    result = {
        "turns": [
            {
                "role": t.role,
                "text": t.text,
                "phase": t.phase.value,
                "kind": t.kind.value if t.kind else None,
                "perspective": t.perspective.value if t.perspective else None,
            }
            for t in state.turns
        ],
        "coverage": {p.value: n for p, n in state.coverage.items()},
        "a4": state.a4.model_dump(),
        "situatie": state.situatie,
    }
    return session_id, result
