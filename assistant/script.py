"""Replay of a scripted user through a whole session (for maintainers, tests and evals)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.domain.session import Moment, Wie
from assistant.errors import GoedwerkError
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
    antwoorden: list[str]


def read_script(path: Path) -> Script:
    """Load and validate a script file (YAML or JSON)."""
    try:
        data = yaml.safe_load(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise ScriptError(f"Kan {path} niet lezen: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ScriptError(f"{path} is geen geldige UTF-8-tekst (byte {exc.start}).") from exc
    except yaml.YAMLError as exc:
        raise ScriptError(f"{path} is geen geldige YAML: {exc}") from exc
    try:
        return Script.model_validate(data)
    except ValidationError as exc:
        raise ScriptError(f"{path} mist velden of heeft ongeldige waarden:\n{exc}") from exc


def play(
    service: ReflectionService, script: Script, session_id: str | None = None
) -> tuple[str, dict[str, Any]]:
    """Play the script; return the session id and `{"turns", "coverage", "a4"}`.

    A fixed `session_id` makes the question wording (chosen per session) reproducible.
    """
    session_id, _ = service.start(script.wie, script.moment, session_id=session_id)
    service.send(session_id, script.situatie)
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
