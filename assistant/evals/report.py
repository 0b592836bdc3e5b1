"""Reports of a prompt eval: a plain-text table, one JSON object, a self-contained HTML page."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from assistant.evals.runner import (
    CaseResult,
    CheckRate,
    EvalOutcome,
    PromptRun,
    check_rates,
    mean_score,
)

PASS, FAIL = "✓", "✗"


def _rate(rate: CheckRate | None) -> str:
    if rate is None:
        return "—"
    return f"{PASS}{rate.passed} {FAIL}{rate.total - rate.passed}  {rate.rate:4.0%}"


def _diff(base: float | None, cand: float | None, percent: bool) -> str:
    if base is None or cand is None:
        return "—"
    delta = cand - base
    if abs(delta) < 1e-9:
        return "0"
    return f"{delta:+.0%}" if percent else f"{delta:+.3f}"


def _case_score(result: CaseResult | None) -> str:
    if result is None:
        return "—"
    return f"{result.score:.3f}  {result.passed}/{len(result.assertions)}"


def _failures(result: CaseResult, baseline: CaseResult | None = None) -> list[str]:
    """The failed assertions of a case; with a baseline only the changed ones."""
    before = {a.label: a.result.pass_ for a in baseline.assertions} if baseline else {}
    lines = []
    for a in result.assertions:
        if baseline is None and not a.result.pass_:
            lines.append(f"    {FAIL} {a.label}: {a.result.reason}")
        elif baseline is not None and before.get(a.label) is not None:
            if before[a.label] and not a.result.pass_:
                lines.append(f"    nu {FAIL} {a.label}: {a.result.reason}")
            elif not before[a.label] and a.result.pass_:
                lines.append(f"    nu {PASS} {a.label}")
    return lines


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def _check_lines(runs: list[PromptRun]) -> list[str]:
    """Per check: passed and failed counts and the pass rate, per prompt set."""
    rates = [check_rates(r.results) for r in runs]
    rows = [["Per check", *(r.prompts for r in runs)] + (["verschil"] if len(runs) == 2 else [])]
    for name in sorted(set().union(*rates)):
        row = ["  " + name, *(_rate(r.get(name)) for r in rates)]
        if len(runs) == 2:
            base, cand = rates[0].get(name), rates[1].get(name)
            row.append(_diff(base.rate if base else None, cand.rate if cand else None, True))
        rows.append(row)
    return _table(rows)


def _case_lines(runs: list[PromptRun]) -> list[str]:
    """Per case: score and passed assertions per prompt set, with the failures (or changes)."""
    by_name = [{r.name: r for r in run.results} for run in runs]
    compared = len(runs) == 2
    rows = [["Per geval (score, geslaagd)", *(r.prompts for r in runs)]]
    rows[0] += ["verschil"] if compared else []
    details: dict[str, list[str]] = {}
    for name in sorted(set().union(*by_name)):
        row = ["  " + name, *(_case_score(b.get(name)) for b in by_name)]
        base = by_name[0].get(name)
        if compared:
            cand = by_name[1].get(name)
            row.append(_diff(base.score if base else None, cand.score if cand else None, False))
            details[name] = _failures(cand, base) if cand else []
        elif base is not None:
            details[name] = _failures(base)
        rows.append(row)
    means = [_mean(r) for r in runs]
    total = ["Gemiddelde score", *(f"{m:.3f}" for m in means)]
    rows.append(total + ([_diff(means[0], means[1], False)] if compared else []))
    lines = []
    for row, line in zip(rows, _table(rows), strict=True):
        lines.append(line)
        lines += details.get(row[0].strip(), [])
    return lines


# The simulated users' figures, in the order a maintainer reads them, with their target.
_TALK_FIGURES = (
    ("echo", "eigen woorden opgepakt (≥ 0.6)"),
    ("depth", "diepte: perspectieven met ≥ 2 vragen (≥ 4)"),
    ("gevoel_erkend", "gevoel erkend (alle)"),
    ("meta_hersteld", "meta hersteld (alle)"),
    ("advies_zonder_advies", "advies zonder advies (alle)"),
    ("vaag_doorgevraagd", "vaag doorgevraagd (alle)"),
    ("overgeslagen_aangeboden", "overgeslagen aangeboden (alle)"),
    ("herhaald", "herhaalde vragen (0)"),
    ("vorm_fout", "ik/wij-fouten (0)"),
    ("tijd_fout", "tijdsfouten (0)"),
    ("advies_zinnen", "adviezinnen (0)"),
    ("spiegels_max", "spiegels per sessie, hoogste (≤ 3)"),
    ("spiegels_eigen_situatie", "spiegels uit de gekozen situatie"),
    ("beeld_fout", "A4: beeldzinnen met vraag, voorbehoud, meta of verwijzing (0)"),
    ("a4_buiten_taak", "A4: zinnen buiten de taak (0)"),
    ("titels_fout", "A4: titelvoorstellen die de regels breken (0)"),
    ("ervaring_verhaal", "A4: ervaring uit het eigen verhaal (alle)"),
    ("beeld_woorden", "A4: woorden in het beeld, laagste–hoogste"),
)


def _talk_value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, (tuple, list)):
        return f"{value[0]}/{value[1]}" if value[1] else "—"
    return str(value)


def _talk_rows(outcome: EvalOutcome) -> list[list[str]]:
    """Per figure of the simulated users: the baseline's and the candidate's value."""
    if outcome.conversations is None:
        return []
    base, cand = outcome.conversations
    rows = []

    def shown(totals: dict[str, Any], key: str) -> str:
        if key == "beeld_woorden" and totals.get(key):
            low, high = totals[key]
            return f"{low}–{high}"
        return _talk_value(totals.get(key))

    for key, label in _TALK_FIGURES:
        row = [label, shown(base, key)]
        if cand is not None:
            row.append(shown(cand, key))
        rows.append(row)
    return rows


def _talk_lines(outcome: EvalOutcome, runs: list[PromptRun]) -> list[str]:
    rows = _talk_rows(outcome)
    if not rows:
        return []
    head = ["Gesprekken met gesimuleerde gebruikers", *(r.prompts for r in runs)]
    return _table([head, *(["  " + r[0], *r[1:]] for r in rows)]) + [""]


def as_text(outcome: EvalOutcome) -> str:
    """The side-by-side table (or one column without a candidate)."""
    runs = [outcome.baseline] + ([outcome.candidate] if outcome.candidate else [])
    lines = [f"goedwerk eval prompts — llm {outcome.llm}, {len(runs[0].results)} gevallen", ""]
    lines += _check_lines(runs) + [""] + _case_lines(runs) + [""] + _talk_lines(outcome, runs)
    if outcome.retrieval:
        lines.append("Situatieherkenning (hangt niet af van de vragenset)")
        for file, s in outcome.retrieval.items():
            lines.append(
                f"  {file}: n {s.n}, hit@1 {s.hit1:.3f}, hit@3 {s.hit3:.3f}, MRR {s.mrr:.3f}"
            )
        lines.append("")
    lines.append(verdict(outcome))
    return "\n".join(lines)


def _mean(run: PromptRun) -> float:
    return mean_score(run.results)


def verdict(outcome: EvalOutcome) -> str:
    """One line: is the candidate worse beyond the threshold?"""
    comparison = outcome.comparison
    if comparison is None:
        return "Geen vergelijking (geef --compare voor een tweede vragenset)."
    if outcome.worse:
        reasons = [*comparison.reasons, *outcome.conversation_reasons]
        return f"Oordeel: SLECHTER dan de basis (drempel {comparison.threshold:.2f}): " + "; ".join(
            reasons
        )
    return f"Oordeel: niet slechter dan de basis (drempel {comparison.threshold:.2f})."


def _run_json(run: PromptRun) -> dict[str, Any]:
    return {
        "prompts": run.prompts,
        "mean_score": round(_mean(run), 4),
        "checks": {
            name: {"passed": r.passed, "total": r.total, "rate": round(r.rate, 4)}
            for name, r in check_rates(run.results).items()
        },
        "cases": [
            {
                "name": c.name,
                "score": round(c.score, 4),
                "error": c.error or None,
                "assertions": [
                    {"check": a.check, "label": a.label, **a.result.as_json()} for a in c.assertions
                ],
            }
            for c in run.results
        ],
    }


def as_json(outcome: EvalOutcome) -> dict[str, Any]:
    """The one JSON object of `--json`."""
    comparison = outcome.comparison
    compared = None
    if comparison is not None:
        compared = {
            "checks": {
                name: {
                    "baseline": b.rate if b else None,
                    "candidate": c.rate if c else None,
                }
                for name, (b, c) in comparison.checks.items()
            },
            "cases": {
                name: {"baseline": b, "candidate": c} for name, (b, c) in comparison.cases.items()
            },
            "mean": {"baseline": comparison.mean[0], "candidate": comparison.mean[1]},
            "reasons": comparison.reasons,
        }
    return {
        "llm": outcome.llm,
        "threshold": outcome.threshold,
        "worse": outcome.worse,
        "baseline": _run_json(outcome.baseline),
        "candidate": _run_json(outcome.candidate) if outcome.candidate else None,
        "comparison": compared,
        "retrieval": {file: s.as_json() for file, s in outcome.retrieval.items()},
        "conversations": (
            {
                "baseline": outcome.conversations[0],
                "candidate": outcome.conversations[1],
                "reasons": list(outcome.conversation_reasons),
            }
            if outcome.conversations is not None
            else None
        ),
    }


_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#222;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#176b2c}.fail{color:#a11}.worse{background:#fde8e8}.better{background:#e7f6ea}
details{margin:.3rem 0}summary{cursor:pointer}.reason{color:#555}
.verdict{padding:.6rem 1rem;border-radius:4px;background:#f4f4f4;font-weight:600}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _cell(text: str, cls: str = "") -> str:
    return f'<td class="{cls}">{_e(text)}</td>' if cls else f"<td>{_e(text)}</td>"


def _change_class(base: float | None, cand: float | None, threshold: float) -> str:
    if base is None or cand is None:
        return ""
    if base - cand > threshold:
        return "worse"
    return "better" if cand - base > threshold else ""


def as_html(outcome: EvalOutcome) -> str:
    """A self-contained HTML report: inline CSS, no scripts, no external requests."""
    runs = [outcome.baseline] + ([outcome.candidate] if outcome.candidate else [])
    heads = "".join(f"<th>{_e(r.prompts)}</th>" for r in runs)
    diff_head = "<th>verschil</th>" if len(runs) == 2 else ""
    parts = [
        "<!doctype html>",
        '<html lang="nl"><head><meta charset="utf-8">',
        "<title>goedwerk eval prompts</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>goedwerk eval prompts</h1>",
        f"<p>LLM: {_e(outcome.llm)} · {len(outcome.baseline.results)} gevallen · "
        f"drempel {outcome.threshold:.2f}</p>",
        f'<p class="verdict">{_e(verdict(outcome))}</p>',
        f"<h2>Per check</h2><table><tr><th>check</th>{heads}{diff_head}</tr>",
    ]
    rates = [check_rates(r.results) for r in runs]
    for name in sorted(set().union(*rates)):
        values = [r.get(name) for r in rates]
        cells = "".join(_cell(_rate(v), "n") for v in values)
        cls = ""
        if len(runs) == 2:
            b, c = (v.rate if v else None for v in values)
            cls = _change_class(b, c, outcome.threshold)
            cells += _cell(_diff(b, c, percent=True), "n")
        parts.append(f'<tr class="{cls}">{_cell(name)}{cells}</tr>')
    parts.append("</table>")

    parts.append(f"<h2>Per geval</h2><table><tr><th>geval</th>{heads}{diff_head}</tr>")
    by_name = [{r.name: r for r in run.results} for run in runs]
    for name in sorted(set().union(*by_name)):
        results = [b.get(name) for b in by_name]
        cells = "".join(f"<td>{_case_cell(r)}</td>" for r in results)
        cls = ""
        if len(runs) == 2:
            b, c = (r.score if r else None for r in results)
            cls = _change_class(b, c, outcome.threshold)
            cells += _cell(_diff(b, c, percent=False), "n")
        parts.append(f'<tr class="{cls}">{_cell(name)}{cells}</tr>')
    parts.append("</table>")

    if talk_rows := _talk_rows(outcome):
        parts.append(
            f"<h2>Gesprekken met gesimuleerde gebruikers</h2><table><tr><th>cijfer</th>{heads}</tr>"
        )
        for row in talk_rows:
            parts.append(f"<tr>{_cell(row[0])}{''.join(_cell(v, 'n') for v in row[1:])}</tr>")
        parts.append("</table>")
    if outcome.retrieval:
        parts.append("<h2>Situatieherkenning</h2><table>")
        parts.append("<tr><th>bestand</th><th>n</th><th>hit@1</th><th>hit@3</th><th>MRR</th></tr>")
        for file, s in outcome.retrieval.items():
            figures = [str(s.n), f"{s.hit1:.3f}", f"{s.hit3:.3f}", f"{s.mrr:.3f}"]
            parts.append(f"<tr>{_cell(file)}{''.join(_cell(v, 'n') for v in figures)}</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _case_cell(result: CaseResult | None) -> str:
    if result is None:
        return "—"
    items = "".join(
        f'<li class="{"ok" if a.result.pass_ else "fail"}">'
        f"{PASS if a.result.pass_ else FAIL} {_e(a.label)} "
        f'<span class="reason">({a.result.score:.2f}) {_e(a.result.reason)}</span></li>'
        for a in result.assertions
    )
    summary = f"{result.score:.3f} · {result.passed}/{len(result.assertions)}"
    return f"<details><summary>{_e(summary)}</summary><ul>{items}</ul></details>"


def write_html(outcome: EvalOutcome, path: Path) -> None:
    """Write the HTML report (creating its folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(as_html(outcome), encoding="utf-8")
