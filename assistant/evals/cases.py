"""Eval cases: a scripted user (`assistant.script.Script`) plus the `asserties` to check.

A case file is the script's YAML with one more key, `asserties`: a list of `{check: NAME}`
mappings with the check's parameters, validated against `assistant.evals.checks.CHECKS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import GoedwerkError
from assistant.evals.checks import A4_FIELDS, CHECKS, FIELDS, Params
from assistant.script import Script, ScriptError, read_script

CASE_SUFFIXES = (".yaml", ".yml", ".json")


class EvalInputError(GoedwerkError, ValueError):
    """A case file, a prompt directory or the cases directory is unusable (Dutch message)."""


def validate_params(check: str, params: Params) -> str | None:
    """A Dutch message when an assertion names an unknown check or has wrong parameters."""
    spec = CHECKS.get(check)
    if spec is None:
        return f"onbekende check ‘{check}’ (bekend: {', '.join(sorted(CHECKS))})"
    if missing := spec.required - params.keys():
        return f"check ‘{check}’ mist {', '.join(sorted(missing))}"
    if unknown := params.keys() - spec.required - spec.optional:
        return f"check ‘{check}’ kent {', '.join(sorted(unknown))} niet"
    if "veld" in params and params["veld"] not in FIELDS:
        return f"check ‘{check}’: onbekend veld ‘{params['veld']}’ (kies uit {sorted(FIELDS)})"
    if "tekst" in params and not str(params["tekst"]).strip():
        return f"check ‘{check}’: lege tekst"
    if "velden" in params and not set(params["velden"]) <= set(A4_FIELDS):
        return f"check ‘{check}’: velden moeten uit {list(A4_FIELDS)} komen"
    return None


def label(check: str, params: Params) -> str:
    """A short name for an assertion in reports: the check, with its field and text if any."""
    if "veld" in params:
        return f"{check}({params['veld']}: {params['tekst']})"
    return check


@dataclass(frozen=True)
class Assertion:
    """One `{check: NAME, ...params}` item of a case's `asserties`."""

    check: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The name shown in reports."""
        return label(self.check, self.params)


@dataclass(frozen=True)
class EvalCase:
    """A scripted user and what must hold for their session."""

    name: str
    script: Script
    asserties: list[Assertion]

    @property
    def expected_situation(self) -> int | None:
        """The case's `verwacht_situatie`, if it has one."""
        value = (self.script.model_extra or {}).get("verwacht_situatie")
        return int(value) if value is not None else None


def read_case(path: Path) -> EvalCase:
    """Load one case file; raise `EvalInputError` naming the file and the problem."""
    try:
        script = read_script(path)
    except ScriptError as exc:
        raise EvalInputError(str(exc)) from exc
    raw = (script.model_extra or {}).get("asserties")
    if not isinstance(raw, list) or not raw:
        raise EvalInputError(f"{path}: ‘asserties’ ontbreekt of is leeg.")
    asserties = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("check"), str):
            raise EvalInputError(f"{path}: assertie {number} heeft geen ‘check: NAAM’.")
        params = {k: v for k, v in item.items() if k != "check"}
        if problem := validate_params(item["check"], params):
            raise EvalInputError(f"{path}: assertie {number}: {problem}.")
        asserties.append(Assertion(item["check"], params))
    case = EvalCase(path.stem, script, asserties)
    needs_situation = any(
        a.check == "situatie_aangeboden" and "situatie" not in a.params for a in asserties
    )
    if needs_situation and case.expected_situation is None:
        raise EvalInputError(
            f"{path}: situatie_aangeboden vraagt ‘situatie’ of ‘verwacht_situatie’."
        )
    return case


def read_cases_dir(directory: Path) -> list[EvalCase]:
    """All case files in a directory (or one file), in name order."""
    if directory.is_file():
        return [read_case(directory)]
    if not directory.is_dir():
        raise EvalInputError(f"Map met evaluatiegevallen niet gevonden: {directory}")
    paths = sorted(p for p in directory.iterdir() if p.suffix in CASE_SUFFIXES)
    if not paths:
        raise EvalInputError(f"Geen evaluatiegevallen (*.yaml) in {directory}")
    return [read_case(p) for p in paths]
