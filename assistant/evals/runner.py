"""Run the scripted eval cases with a prompt set, apply their checks, compare two prompt sets.

A case is a script (`assistant.script.Script`) plus `asserties`; the service is built once per
prompt set and every case is played in a fresh session. Sessions live in a temporary directory
and the index in `<data_dir>/evals`, without the user's own shared beelden, so a run neither
touches the user's sessions nor depends on them.
"""

from __future__ import annotations

import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import Unavailable
from assistant.evals.cases import EvalCase, EvalInputError, read_cases_dir
from assistant.evals.checks import CHECKS, CheckResult
from assistant.retrieval.evaluate import EvalFileError, RetrievalScores, evaluate, read_cases
from assistant.retrieval.setup import Knowledge
from assistant.script import ScriptError, play
from assistant.service import ReflectionService
from assistant.settings import Settings

DEFAULT_THRESHOLD = 0.05


class EvalUnavailable(Unavailable, RuntimeError):
    """The index, the embedding or the configured LLM cannot be used (Dutch message)."""


@dataclass(frozen=True)
class AssertionResult:
    """One assertion of a case and its outcome."""

    check: str
    label: str
    result: CheckResult


@dataclass(frozen=True)
class CaseResult:
    """A played case: its assertions' outcomes, or the error that stopped it."""

    name: str
    assertions: list[AssertionResult]
    error: str = ""

    @property
    def score(self) -> float:
        """The mean score of the case's assertions."""
        return statistics.fmean(a.result.score for a in self.assertions) if self.assertions else 0.0

    @property
    def passed(self) -> int:
        """How many assertions passed."""
        return sum(a.result.pass_ for a in self.assertions)


def session_result(
    service: ReflectionService, session_id: str, played: dict[str, Any], settings: Settings
) -> dict[str, Any]:
    """`play`'s result plus what the checks need from the session state."""
    state = service.state(session_id)
    turns = [dict(t) for t in played["turns"]]
    for answer in state.answers:
        if 0 <= answer.turn < len(turns):
            turns[answer.turn]["step"] = answer.step
    return {
        **played,
        "turns": turns,
        "offered": list(state.offered),
        "deugden": list(state.deugden),
        "facilitator": settings.facilitator.model_dump(),
    }


def apply_checks(case: EvalCase, result: dict[str, Any]) -> CaseResult:
    """Run a case's assertions on its session result."""
    outcomes = [
        AssertionResult(a.check, a.label, CHECKS[a.check].run(case, result, a.params))
        for a in case.asserties
    ]
    return CaseResult(case.name, outcomes)


def _failed(case: EvalCase, error: str) -> CaseResult:
    failed = CheckResult(False, 0.0, f"sessie mislukt: {error}")
    return CaseResult(
        case.name, [AssertionResult(a.check, a.label, failed) for a in case.asserties], error
    )


def run_cases(
    settings: Settings,
    cases: list[EvalCase],
    knowledge: Knowledge | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[CaseResult]:
    """Build the service once for this prompt set, play every case fresh, apply the checks."""
    from assistant.app import build_service

    results = []
    with tempfile.TemporaryDirectory(prefix="goedwerk-eval-") as sessions_dir:
        isolated = settings.model_copy(update={"data_dir": Path(sessions_dir)})
        service = build_service(isolated, knowledge=knowledge or eval_knowledge(settings))
        for case in cases:
            if progress:
                progress(f"{settings.prompts_version} · {case.name}")
            try:
                session_id, played = play(service, case.script, session_id=f"eval-{case.name}")
            except ScriptError as exc:
                results.append(_failed(case, str(exc)))
                continue
            results.append(
                apply_checks(case, session_result(service, session_id, played, settings))
            )
    return results


def eval_settings(settings: Settings) -> Settings:
    """Settings for the eval's own index: `<data_dir>/evals`, its own server collection."""
    store = settings.vector_store.model_copy(
        update={"collection": f"{settings.vector_store.collection}-evals"}
    )
    return settings.model_copy(
        update={"data_dir": settings.data_dir / "evals", "vector_store": store}
    )


def eval_knowledge(settings: Settings) -> Knowledge:
    """The corpus index for evals: the corpus only, without the user's shared beelden."""
    from assistant.retrieval.setup import build_knowledge

    return build_knowledge(eval_settings(settings), saved=[])


def prompt_settings(
    settings: Settings, directory: Path, llm: str | None = None, cache: bool = True
) -> Settings:
    """Settings that use the prompt set in `directory` and, if given, the LLM mode `llm`."""
    if not (directory / "vragen.yaml").is_file():
        raise EvalInputError(
            f"Geen vragenset in {directory}: daar staat geen vragen.yaml "
            "(geef een map als prompts/v1)."
        )
    updates: dict[str, Any] = {}
    if llm:
        updates["mode"] = llm
    # The LLM cache is optional in settings; only set it where the settings know it.
    if "cache_dir" in type(settings.llm).model_fields:
        updates["cache_dir"] = settings.data_dir / "llm-cache" if cache else None
    return settings.model_copy(
        update={
            "prompts_dir": directory.resolve().parent,
            "prompts_version": directory.resolve().name,
            "llm": settings.llm.model_copy(update=updates),
        }
    )


@dataclass(frozen=True)
class CheckRate:
    """How often one check passed over all cases."""

    passed: int
    total: int

    @property
    def rate(self) -> float:
        """The pass rate (0 when the check was not asserted)."""
        return self.passed / self.total if self.total else 0.0


def check_rates(results: list[CaseResult]) -> dict[str, CheckRate]:
    """Pass counts per check name, over all cases."""
    counts: dict[str, list[int]] = {}
    for case in results:
        for a in case.assertions:
            passed_total = counts.setdefault(a.check, [0, 0])
            passed_total[0] += a.result.pass_
            passed_total[1] += 1
    return {name: CheckRate(p, t) for name, (p, t) in sorted(counts.items())}


def mean_score(results: list[CaseResult]) -> float:
    """The mean case score."""
    return statistics.fmean(r.score for r in results) if results else 0.0


@dataclass(frozen=True)
class Comparison:
    """Baseline against candidate: pass rates, case scores, and whether the candidate is worse."""

    checks: dict[str, tuple[CheckRate | None, CheckRate | None]]
    cases: dict[str, tuple[float | None, float | None]]
    mean: tuple[float, float]
    threshold: float
    reasons: list[str]

    @property
    def worse(self) -> bool:
        """Did a check's pass rate or the mean case score drop by more than the threshold?"""
        return bool(self.reasons)


def compare(
    baseline: list[CaseResult], candidate: list[CaseResult], threshold: float = DEFAULT_THRESHOLD
) -> Comparison:
    """Compare two runs of the same cases; a drop beyond `threshold` makes the candidate worse."""
    base_rates, cand_rates = check_rates(baseline), check_rates(candidate)
    checks = {
        name: (base_rates.get(name), cand_rates.get(name))
        for name in sorted(base_rates.keys() | cand_rates.keys())
    }
    base_scores = {r.name: r.score for r in baseline}
    cand_scores = {r.name: r.score for r in candidate}
    cases = {
        name: (base_scores.get(name), cand_scores.get(name))
        for name in sorted(base_scores.keys() | cand_scores.keys())
    }
    mean = (mean_score(baseline), mean_score(candidate))
    reasons = []
    # A small epsilon keeps a drop of exactly the threshold from counting through rounding.
    for name, (base, cand) in checks.items():
        if base and cand and base.rate - cand.rate > threshold + 1e-9:
            reasons.append(f"{name}: {base.rate:.0%} → {cand.rate:.0%}")
    if mean[0] - mean[1] > threshold + 1e-9:
        reasons.append(f"gemiddelde score: {mean[0]:.3f} → {mean[1]:.3f}")
    return Comparison(checks, cases, mean, threshold, reasons)


def retrieval_scores(knowledge: Knowledge, directory: Path) -> dict[str, RetrievalScores]:
    """The situation-matching eval on every `*.jsonl` in `directory` (independent of prompts)."""
    scores = {}
    for path in sorted(directory.glob("*.jsonl")):
        try:
            scores[path.name] = evaluate(knowledge.retriever, read_cases(path))
        except EvalFileError as exc:
            raise EvalInputError(str(exc)) from exc
    return scores


@dataclass(frozen=True)
class PromptRun:
    """One prompt set's results."""

    prompts: str
    results: list[CaseResult]


@dataclass(frozen=True)
class EvalOutcome:
    """Everything `goedwerk eval prompts` reports."""

    baseline: PromptRun
    candidate: PromptRun | None
    comparison: Comparison | None
    retrieval: dict[str, RetrievalScores]
    llm: str
    threshold: float
    # The simulated users' totals (`goedwerk eval gesprekken`) per prompt set, and why the
    # candidate's conversations are worse (empty when they are not).
    conversations: tuple[dict[str, Any], dict[str, Any] | None] | None = None
    conversation_reasons: tuple[str, ...] = ()

    @property
    def worse(self) -> bool:
        """Is the candidate worse than the baseline beyond the threshold?"""
        if self.comparison is None:
            return False
        return self.comparison.worse or bool(self.conversation_reasons)


def require_llm(settings: Settings) -> None:
    """Fail early when the configured LLM does not answer: an eval must not fall back silently."""
    from assistant.components.embedding import ComponentUnavailable
    from assistant.components.llm import LLMUnavailable, build_llm, check_llm

    if settings.llm.mode in ("none", "fake"):
        return
    try:
        llm = build_llm(settings.llm)
        if llm is not None:
            check_llm(llm, settings.llm)
    except (LLMUnavailable, ComponentUnavailable) as exc:
        raise EvalUnavailable(str(exc)) from exc


def run_eval(
    settings: Settings,
    prompts: Path,
    compare_with: Path | None = None,
    cases_dir: Path | None = None,
    retrieval_dir: Path | None = None,
    llm: str | None = None,
    cache: bool = True,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[str], None] | None = None,
    personas_dir: Path | None = None,
) -> EvalOutcome:
    """Play the cases with one prompt set, or with two and compare them.

    Raises `EvalInputError` for unusable input and `EvalUnavailable` when a component fails.
    """
    from assistant.components.embedding import ComponentUnavailable
    from assistant.components.vector_store import IndexUnavailable
    from assistant.corpus.load import CorpusError
    from assistant.facilitator.questions import TemplateError
    from assistant.sessions.store import StoreError
    from assistant.settings import PROJECT_ROOT

    if not 0 <= threshold <= 1:
        raise EvalInputError("--threshold moet tussen 0 en 1 liggen.")
    from assistant.evals import conversations as talks

    cases = read_cases_dir(cases_dir or PROJECT_ROOT / "evals" / "sessions")
    personas = talks.read_personas(personas_dir or PROJECT_ROOT / "evals" / "personas")
    base_settings = prompt_settings(settings, prompts, llm, cache)
    cand_settings = prompt_settings(settings, compare_with, llm, cache) if compare_with else None
    try:
        require_llm(base_settings)
        knowledge = eval_knowledge(settings)
        baseline = PromptRun(str(prompts), run_cases(base_settings, cases, knowledge, progress))
        talks_base = talks.run_personas(base_settings, personas, knowledge)["totaal"]
        candidate = comparison = talks_cand = None
        reasons: list[str] = []
        if cand_settings is not None:
            results = run_cases(cand_settings, cases, knowledge, progress)
            candidate = PromptRun(str(compare_with), results)
            comparison = compare(baseline.results, results, threshold)
            talks_cand = talks.run_personas(cand_settings, personas, knowledge)["totaal"]
            reasons = talks.compare_totals(talks_base, talks_cand, threshold)
    except TemplateError as exc:
        raise EvalInputError(str(exc)) from exc
    except (ComponentUnavailable, IndexUnavailable, CorpusError, StoreError) as exc:
        raise EvalUnavailable(str(exc)) from exc
    retrieval = retrieval_scores(knowledge, retrieval_dir or PROJECT_ROOT / "evals" / "retrieval")
    return EvalOutcome(
        baseline,
        candidate,
        comparison,
        retrieval,
        base_settings.llm.mode,
        threshold,
        conversations=(talks_base, talks_cand),
        conversation_reasons=tuple(reasons),
    )
