"""Would a Dutch language library improve the facilitator's listening? Measured on the personas.

Two places where a library could replace a rule of our own:

1. **Salience** (`wordfreq`): when no kind of phrase is found, the facilitator takes up the
   most telling sentence of an answer (`listening._weight`: long words, first person). Would
   weighing words by how rare they are in Dutch pick better sentences? Reported: of the
   persona answers with two or more sentences, how many would get a different sentence; with
   `--show`, both choices side by side to read.
2. **Repeats** (`simplemma`): a question that shares most of its content stems with an
   earlier one is a repeat (`listening.largely_repeats`, Snowball stems from PyStemmer).
   Would lemmatising first ("woog" → "wegen") catch repeats the stems miss? Reported: the
   question pairs within each played persona session that the lemma rule flags and the stem
   rule does not (read them with `--show`).

The sessions come from `goedwerk eval gesprekken --transcripts DIR`. Both libraries are on
PyPI and work offline; the script says how to install one that is missing.

Run from the project root:

    .venv/bin/goedwerk eval gesprekken --transcripts /tmp/gesprekken
    .venv/bin/pip install wordfreq simplemma
    .venv/bin/python bench/bench_language_tools.py --transcripts /tmp/gesprekken [--show]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.facilitator import listening  # noqa: E402
from assistant.text import _STOPWORDS, _TERM, _stemmer, fold, split_sentences, words  # noqa: E402

FIRST_PERSON = {"ik", "we", "wij", "mijn", "ons", "onze"}


def _require(module: str) -> object:
    try:
        return __import__(module)
    except ImportError:
        sys.exit(f"{module} ontbreekt: .venv/bin/pip install {module}")


def salience(show: bool) -> tuple[int, int]:
    """(answers where a rarity weight picks another sentence, answers with a choice)."""
    wordfreq = _require("wordfreq")
    zipf: Callable[[str, str], float] = wordfreq.zipf_frequency  # type: ignore[attr-defined]

    def rare(sentence: str) -> float:
        tokens = words(sentence)
        rarity = sum(max(0.0, 5.0 - zipf(t.lower(), "nl")) for t in tokens)
        first = sum(t.lower() in FIRST_PERSON for t in tokens)
        return rarity + 2 * first - 0.1 * max(0, len(tokens) - 20)

    other = total = 0
    for path in sorted((ROOT / "evals" / "personas").glob("*.yaml")):
        persona = yaml.safe_load(path.read_text(encoding="utf-8"))
        for perspective, answers in persona["romp"].items():
            for answer in answers:
                sentences = [s for s in split_sentences(answer) if len(s.split()) >= 4]
                if len(sentences) < 2:
                    continue
                total += 1
                ours, theirs = max(sentences, key=listening._weight), max(sentences, key=rare)
                if ours != theirs:
                    other += 1
                    if show:
                        print(f"{path.stem} · {perspective}\n  nu:    {ours}\n  zeldz: {theirs}")
    return other, total


def repeats(transcripts: Path, show: bool) -> tuple[int, int]:
    """(pairs only the lemma rule flags, question pairs compared) in the played sessions."""
    simplemma = _require("simplemma")
    lemmatize: Callable[..., str] = simplemma.lemmatize  # type: ignore[attr-defined]

    def stems(question: str) -> set[str]:
        text = fold(listening._QUOTED.sub("", question))
        terms = [w for w in _TERM.findall(text) if len(w) > 1 and w not in _STOPWORDS]
        lemmas = [lemmatize(w, lang="nl") for w in terms]
        return set(_stemmer().stemWords(lemmas)) - listening._COMMON_STEMS

    extra = pairs = 0
    files = sorted(transcripts.glob("*.txt"))
    if not files:
        sys.exit(f"Geen transcripten in {transcripts}: eerst goedwerk eval gesprekken.")
    for path in files:
        questions = [
            line.split(": ", 1)[1].strip()
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("Goedwerk [") and "?" in line and "[voorbereiding]" not in line
        ]
        for a, b in itertools.combinations(questions, 2):
            pairs += 1
            new, old = stems(a), stems(b)
            by_lemma = bool(new and old) and len(new & old) / max(len(new), len(old)) >= 0.6
            if by_lemma and not listening.largely_repeats(a, [b]):
                extra += 1
                if show:
                    print(f"{path.stem}\n  {a}\n  {b}")
    return extra, pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=Path, required=True)
    parser.add_argument("--show", action="store_true", help="toon de verschillen om te lezen")
    args = parser.parse_args()
    other, total = salience(args.show)
    print(f"salience (wordfreq): another sentence in {other} of {total} answers")
    extra, pairs = repeats(args.transcripts, args.show)
    print(f"repeats (simplemma): {extra} extra pairs flagged of {pairs} question pairs")


if __name__ == "__main__":
    main()
