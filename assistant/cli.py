"""The `goedwerk` command line: index, match, eval, session, gids, serve.

Every problem a user can act on is a `GoedwerkError`; `main` alone turns one into its Dutch
message on stderr and its exit code (2 bad input, 3 index or store unavailable).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from assistant.errors import GoedwerkError, os_reason

if TYPE_CHECKING:
    from assistant.export.document import A4Context

# Never reach for a model hub or send telemetry: every model comes from an installed package or
# a local path. Set before chromadb, gradio or huggingface_hub is first imported.
OFFLINE_DEFAULTS = {
    "HF_HUB_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
}


def _read_text_argument(value: str | None) -> str:
    """The TEXT argument, or standard input when it is `-` or missing."""
    if value is not None and value != "-":
        return value
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GoedwerkError(
            f"De invoer is geen geldige UTF-8-tekst (ongeldige byte op positie {exc.start}). "
            "Sla de tekst op als UTF-8 en probeer het opnieuw."
        ) from exc


def _settings(args: argparse.Namespace) -> Any:
    from assistant.settings import load_settings

    return load_settings(args.settings)


def _knowledge(settings: Any, rebuild: bool = False) -> Any:
    from assistant.retrieval.setup import build_knowledge

    return build_knowledge(settings, rebuild=rebuild)


def _serving_knowledge(settings: Any) -> Any:
    """The index; a damaged or foreign embedded index is rebuilt, with a notice.

    The corpus files and the collection store are the source of truth, so nothing is lost by
    rebuilding. A Chroma server is left alone: it may be shared, and "unreachable" looks alike.
    """
    from assistant.components.vector_store import IndexUnavailable

    try:
        return _knowledge(settings)
    except IndexUnavailable as exc:
        if settings.vector_store.mode != "embedded":
            raise
        reason = exc.reason
    print(
        f"Let op: {reason}\nDe index wordt opnieuw opgebouwd uit het corpus en de opgeslagen "
        "beelden; dat kan een minuut duren.",
        file=sys.stderr,
        flush=True,
    )
    return _knowledge(settings, rebuild=True)


def _data_dir_lock(settings: Any) -> Any:
    """Hold the data dir for the life of this process; a second instance gets exit code 3."""
    from assistant.datadir import acquire_lock

    return acquire_lock(settings.data_dir)


@contextmanager
def _writing(out: Path) -> Iterator[None]:
    """A failed write of the file the user named becomes a Dutch message (exit code 2)."""
    try:
        yield
    except GoedwerkError:
        raise
    except OSError as exc:
        raise GoedwerkError(f"Kan {out} niet schrijven: {os_reason(exc)}.") from exc


def cmd_index(args: argparse.Namespace) -> int:
    """Build or update the index (`--rebuild`: start over)."""
    import time

    settings = _settings(args)
    with _data_dir_lock(settings):
        start = time.perf_counter()
        knowledge = _knowledge(settings, rebuild=args.rebuild)
        report = knowledge.last_sync
        print(
            f"Index bijgewerkt in {time.perf_counter() - start:.1f} s: {knowledge.dense.count()} "
            f"stukken ({report.added} nieuw, {report.updated} gewijzigd, "
            f"{report.removed} verwijderd, {report.unchanged} ongewijzigd)."
        )
    return 0


def cmd_match(args: argparse.Namespace) -> int:
    """Print the situations most similar to a description."""
    from assistant.retrieval.search import prepare_query

    text = _read_text_argument(args.text)
    settings = _settings(args)
    query = prepare_query(text, settings.retrieval.max_query_chars)
    if query.truncated:
        print(
            f"Let op: de tekst is ingekort van {query.original_length} tot "
            f"{len(query.text)} tekens.",
            file=sys.stderr,
        )
    if args.k < 1:
        raise GoedwerkError("--k moet minstens 1 zijn.")
    retriever = _knowledge(settings).retriever
    if args.soort != "situaties":
        return _print_passages(
            retriever.similar(query.text, SOORTEN[args.soort], k=args.k), args.json
        )
    matches = retriever.match_situations(query.text, k=args.k)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "situatie": m.situation,
                        "titel": m.title,
                        "score": m.score,
                        "passage": m.passage.text,
                        "bron": m.passage.source,
                        "soort": m.passage.kind,
                    }
                    for m in matches
                ],
                ensure_ascii=False,
            )
        )
        return 0
    for rank, match in enumerate(matches, start=1):
        print(f"{rank}. [{match.situation}] {match.title}  (score {match.score:.2f})")
        print(f"   {_shorten(match.passage.text, 200)}")
        print(f"   bron: {match.passage.source}")
    return 0


SOORTEN: dict[str, tuple[str, ...]] = {
    "beelden": ("beeld", "eigen_beeld"),
    "praktijken": ("praktijk",),
    "achtergrond": ("achtergrond",),
}


def _print_passages(passages: list[Any], as_json: bool) -> int:
    if as_json:
        rows = [
            {
                "id": p.id,
                "soort": p.kind,
                "titel": p.title,
                "score": p.score,
                "passage": p.text,
                "bron": p.source,
                "situatie": p.situation,
            }
            for p in passages
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for rank, p in enumerate(passages, start=1):
        print(f"{rank}. [{p.kind}] {p.title}  (score {p.score:.2f})")
        print(f"   {_shorten(p.text, 200)}")
        print(f"   bron: {p.source}")
    return 0


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"


def cmd_eval_retrieval(args: argparse.Namespace) -> int:
    """Score situation matching on a JSONL eval set."""
    from assistant.corpus.load import load_corpus
    from assistant.retrieval.evaluate import evaluate, read_cases

    settings = _settings(args)
    situations = {s.id for s in load_corpus(settings.corpus_dir).situaties}
    cases = read_cases(args.file, situations)
    scores = evaluate(_knowledge(settings).retriever, cases)
    if args.json:
        print(json.dumps(scores.as_json()))
        return 0
    print(f"n      {scores.n}")
    print(f"hit@1  {scores.hit1:.3f}")
    print(f"hit@3  {scores.hit3:.3f}")
    print(f"MRR    {scores.mrr:.3f}")
    for style, part in scores.by_style.items():
        print(
            f"  {style:7} n {part.n:3}  hit@1 {part.hit1:.3f}  hit@3 {part.hit3:.3f}  "
            f"MRR {part.mrr:.3f}"
        )
    if scores.first_first is not None:
        print(f"eerste keuze eerst        {scores.first_first:.3f}")
        print(f"eerste of tweede eerst    {scores.either_first:.3f}")
    if args.verbose:
        for query, expected, top in scores.misses:
            print(f"  mis: verwacht {expected}, kreeg {top}: {_shorten(query, 90)}")
    return 0


def cmd_eval_prompts(args: argparse.Namespace) -> int:
    """Play the scripted sessions with a prompt set (or two, compared); 1 when it got worse."""
    from assistant.evals import report
    from assistant.evals.runner import run_eval

    def progress(name: str) -> None:
        if sys.stderr.isatty():
            print(f"  {name}", file=sys.stderr, flush=True)

    outcome = run_eval(
        _settings(args),
        args.prompts,
        args.compare,
        args.cases,
        llm=args.llm,
        cache=not args.no_cache,
        threshold=args.threshold,
        progress=progress,
        personas_dir=args.personas,
    )
    if args.report:
        report.write_html(outcome, args.report)
        print(f"Rapport geschreven: {args.report}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.as_json(outcome), ensure_ascii=False))
    else:
        print(report.as_text(outcome))
    return 1 if outcome.worse else 0


def cmd_eval_conversations(args: argparse.Namespace) -> int:
    """Play the simulated users (personas) through whole sessions; the facilitator's figures."""
    from assistant.evals import conversations
    from assistant.evals.runner import prompt_settings
    from assistant.settings import PROJECT_ROOT

    settings = _settings(args)
    prompts = args.prompts or settings.prompts_dir / settings.prompts_version
    settings = prompt_settings(settings, prompts, args.llm)
    personas = conversations.read_personas(args.personas or PROJECT_ROOT / "evals" / "personas")
    result = conversations.run_personas(settings, personas)
    if args.transcripts:
        args.transcripts.mkdir(parents=True, exist_ok=True)
        for name, state in result["sessies"].items():
            text = conversations.transcript(state)
            (args.transcripts / f"{name}.txt").write_text(text, encoding="utf-8")
    if args.json:
        figures = {k: v for k, v in result.items() if k != "sessies"}
        print(json.dumps(figures, ensure_ascii=False))
    else:
        print(conversations.as_text(result))
    return 0


def cmd_session(args: argparse.Namespace) -> int:
    """Play a scripted user through a whole session."""
    from assistant.script import play, read_script
    from assistant.service import LOCAL_OWNER

    script = read_script(args.script)
    if args.export and not args.out:
        raise GoedwerkError("--export vraagt ook --out PAD.")
    if args.export:
        if args.out.is_dir():
            raise GoedwerkError(
                f"--out {args.out} is een map; geef een bestandsnaam, bijvoorbeeld "
                f"{args.out / ('a4.' + args.export)}."
            )
        with _writing(args.out):  # before the session is played, not after
            args.out.parent.mkdir(parents=True, exist_ok=True)
        _output_path(args.out)
    settings = _settings(args)
    service = _service(settings, _knowledge(settings))
    session_id, result = play(service, script)
    if args.export:
        _export(result["a4"], args.export, args.out, service.a4_context(session_id, LOCAL_OWNER))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for turn in result["turns"]:
            who = "Jij" if turn["role"] == "user" else "Goedwerk"
            label = "/".join(x for x in (turn["phase"], turn["kind"], turn["perspective"]) if x)
            print(f"{who} [{label}]: {turn['text']}\n")
    return 0


def _export(a4_data: dict[str, str], kind: str, out: Path, context: A4Context) -> None:
    """Write the A4 to `out` with its quiet band (situation, virtues, ik/wij, date), whole or
    not at all (a failed write leaves `out` as it was)."""
    from assistant.domain.session import A4
    from assistant.export.docx import a4_to_docx
    from assistant.export.files import write_atomically
    from assistant.export.markdown import a4_to_markdown
    from assistant.export.pdf import a4_to_pdf

    a4 = A4.model_validate(a4_data)

    def write(tmp: Path) -> None:
        match kind:
            case "pdf":
                result = a4_to_pdf(a4, None, tmp, context)
                if result.shrunk:
                    print(f"Let op: de tekst is verkleind tot {result.scale:.0%}.", file=sys.stderr)
            case "docx":
                a4_to_docx(a4, None, tmp, context)
            case _:
                tmp.write_text(a4_to_markdown(a4, context=context), encoding="utf-8")

    with _writing(out):
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(out, write)


def _whole_number(value: str) -> int:
    """An argparse type: a whole number, with a Dutch message otherwise."""
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"geen geheel getal: {value!r}") from None


def _output_path(out: Path) -> Path:
    """`out` checked before any work: its directory must exist and be writable."""
    directory = out if out.is_dir() else out.parent
    if not directory.is_dir():
        raise GoedwerkError(
            f"De map {directory} bestaat niet. Maak de map eerst aan of kies een ander pad "
            "voor --out."
        )
    if not os.access(directory, os.W_OK | os.X_OK) or (
        out.exists() and not out.is_dir() and not os.access(out, os.W_OK)
    ):
        raise GoedwerkError(f"Geen schrijfrechten voor {out}. Kies een ander pad voor --out.")
    # Permissions do not tell everything (root, /proc, a read-only mount): try it.
    try:
        tempfile.TemporaryFile(dir=directory).close()
    except OSError as exc:
        raise GoedwerkError(
            f"Geen schrijfrechten in {directory} ({os_reason(exc)}). Kies een ander pad voor --out."
        ) from exc
    return out


def cmd_gids(args: argparse.Namespace) -> int:
    """Write the printable session guide (PDF) for one situation and group size."""
    from assistant.corpus.load import load_corpus
    from assistant.export.guide import guide_to_pdf
    from assistant.export.timing import session_timing
    from assistant.facilitator.questions import load_question_bank

    session_timing(args.groep)  # the cheap checks first, before anything is loaded
    out = _output_path(args.out)
    settings = _settings(args)
    corpus = load_corpus(settings.corpus_dir)
    bank = load_question_bank(settings.prompts_dir, settings.prompts_version)
    with _writing(out):
        path = guide_to_pdf(corpus, bank, args.situatie, args.groep, out, wie=args.wie)
    print(f"Gespreksleidraad geschreven: {path}")
    return 0


def _service(settings: Any, knowledge: Any) -> Any:
    from assistant.app import build_service

    return build_service(settings, knowledge=knowledge)


def _checked_llm_settings(settings: Any) -> Any:
    """Check the configured LLM at start-up; without an answer, go on without it (and say so)."""
    from assistant.components.embedding import ComponentUnavailable
    from assistant.components.llm import LLMUnavailable, build_llm, check_llm

    if settings.llm.mode in ("none", "fake"):
        return settings
    try:
        llm = build_llm(settings.llm)
        if llm is not None:
            check_llm(llm, settings.llm)
        return settings
    except (LLMUnavailable, ComponentUnavailable) as exc:
        print(f"Let op: {exc}\ngoedwerk werkt verder zonder taalmodel.", file=sys.stderr)
        return settings.model_copy(update={"llm": settings.llm.model_copy(update={"mode": "none"})})


def _start_retention(service: Any, settings: Any) -> Any:
    """With a retention term: sweep now, before serving, and then once a day (the sweeper)."""
    if settings.bewaartermijn_dagen is None:
        return None
    from assistant.retention import RetentionSweeper, Swept

    def report(swept: Swept) -> None:
        if swept.sessions or swept.teams or swept.files:
            print(
                f"Bewaartermijn ({settings.bewaartermijn_dagen} dagen): {swept.sessions} "
                f"sessie(s), {swept.teams} teamsessie(s) en {swept.files} bestand(en) gewist.",
                flush=True,
            )

    sweeper = RetentionSweeper(service, settings.bewaartermijn_dagen, on_swept=report)
    sweeper.start()
    return sweeper


def cmd_serve(args: argparse.Namespace) -> int:
    """Build the index when missing and serve the page on 127.0.0.1."""
    settings = _settings(args)
    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    if overrides:
        settings = settings.model_copy(
            update={"server": settings.server.model_copy(update=overrides)}
        )
    from assistant.startup import check_port, check_serving

    check_port(settings.server.host, settings.server.port)
    with _data_dir_lock(settings):
        check_serving(settings)
        settings = _checked_llm_settings(settings)
        print("Index controleren (de eerste keer duurt dit een tot twee minuten)…", flush=True)
        service = _service(settings, _serving_knowledge(settings))
        _start_retention(service, settings)
        # The de-identifier of shared beelden gets ready in the background (the first time it
        # builds its lookup structures, about a minute); sharing says so until then.
        service.deidentifier.warm_up()
        from assistant.ui.app import build_ui
        from assistant.ui.serving import launch

        page = build_ui(service, settings)
        host, port = settings.server.host, settings.server.port
        print(f"goedwerk draait op http://{host}:{port}", flush=True)
        launch(page, settings, service)
    return 0


# argparse's own English, as it is put together in Python 3.11's argparse.py.
_ARGPARSE_DUTCH = (
    (re.compile(r"^usage: ", re.M), "gebruik: "),
    (re.compile(r"^options:$", re.M), "opties:"),
    (re.compile(r"^positional arguments:$", re.M), "argumenten:"),
    (re.compile(r"show this help message and exit"), "toon deze hulp en stop"),
    (re.compile(r"the following arguments are required: "), "deze argumenten ontbreken: "),
    (re.compile(r"invalid int value: "), "geen geheel getal: "),
    (re.compile(r"invalid float value: "), "geen getal: "),
    (re.compile(r"invalid choice: (.*) \(choose from "), r"ongeldige keuze: \1 (kies uit "),
    (re.compile(r"unrecognized arguments: "), "onbekende argumenten: "),
    (re.compile(r"expected one argument"), "verwacht één waarde"),
    (re.compile(r"^argument "), "argument "),
    (re.compile(r"not allowed with argument "), "niet samen met argument "),
    (re.compile(r"ambiguous option: (.*) could match "), r"dubbelzinnige optie: \1 past bij "),
)


def _dutch(text: str) -> str:
    for pattern, replacement in _ARGPARSE_DUTCH:
        text = pattern.sub(replacement, text)
    return text


class DutchParser(argparse.ArgumentParser):
    """argparse with its usage, help and error lines in Dutch; errors exit 2 as before."""

    def format_usage(self) -> str:
        return _dutch(super().format_usage())

    def format_help(self) -> str:
        return _dutch(super().format_help())

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {_dutch(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with all subcommands."""
    parser = DutchParser(
        prog="goedwerk",
        description="Reflectie-assistent voor grenswerkers: beelden van goed werk in samenwerking.",
    )
    parser.add_argument("--settings", type=Path, help="YAML-instellingenbestand")
    sub = parser.add_subparsers(dest="command", required=True)

    index = sub.add_parser("index", help="bouw of werk de zoekindex bij")
    index.add_argument("--rebuild", action="store_true", help="gooi de index weg en begin opnieuw")
    index.set_defaults(func=cmd_index)

    match = sub.add_parser("match", help="vind de best passende kritische situaties")
    match.add_argument("text", nargs="?", help="beschrijving van je situatie (of - voor stdin)")
    match.add_argument("--k", type=int, default=3, help="aantal situaties (standaard 3)")
    match.add_argument("--json", action="store_true", help="uitvoer als JSON")
    match.add_argument(
        "--soort",
        choices=["situaties", *SOORTEN],
        default="situaties",
        help="zoek situaties (standaard), beelden (ook eigen beelden), praktijken of achtergrond",
    )
    match.set_defaults(func=cmd_match)

    session = sub.add_parser("session", help="speel een gescripte sessie af")
    session.add_argument("--script", type=Path, required=True, help="YAML met wie, moment, ...")
    session.add_argument("--json", action="store_true", help="uitvoer als één JSON-object")
    session.add_argument("--export", choices=["pdf", "docx", "md"], help="schrijf ook het A4")
    session.add_argument("--out", type=Path, help="pad voor de export")
    session.set_defaults(func=cmd_session)

    gids = sub.add_parser("gids", help="maak een gespreksleidraad (PDF) voor een intervisie")
    gids.add_argument(
        "--situatie", type=_whole_number, required=True, help="nummer van de situatie (1-10)"
    )
    gids.add_argument("--out", type=Path, required=True, help="PDF-bestand, of een bestaande map")
    gids.add_argument(
        "--groep", type=_whole_number, default=6, help="aantal deelnemers, 2 tot 12 (standaard 6)"
    )
    gids.add_argument(
        "--wie", choices=["wij", "ik"], default="wij", help="vorm van de vragen (standaard wij)"
    )
    gids.set_defaults(func=cmd_gids)

    serve = sub.add_parser("serve", help="start de app in de browser (http://127.0.0.1:7860)")
    serve.add_argument("--host", help="adres (standaard 127.0.0.1)")
    serve.add_argument("--port", type=_whole_number, help="poort (standaard 7860)")
    serve.set_defaults(func=cmd_serve)

    evaluation = sub.add_parser("eval", help="evaluaties voor beheerders")
    eval_sub = evaluation.add_subparsers(dest="eval_command", required=True)
    retrieval = eval_sub.add_parser("retrieval", help="hit@1, hit@3 en MRR van situatieherkenning")
    retrieval.add_argument("--file", type=Path, required=True, help="JSONL met query en situation")
    retrieval.add_argument("--json", action="store_true", help="één JSON-object op stdout")
    retrieval.add_argument("-v", "--verbose", action="store_true", help="toon de missers")
    retrieval.set_defaults(func=cmd_eval_retrieval)
    prompts = eval_sub.add_parser("prompts", help="speel de gescripte sessies met een vragenset")
    prompts.add_argument("--prompts", type=Path, required=True, help="vragenset, bijv. prompts/v1")
    prompts.add_argument("--compare", type=Path, help="tweede vragenset om mee te vergelijken")
    prompts.add_argument(
        "--llm",
        choices=["none", "fake", "ollama", "openai", "llamacpp"],
        help="taalmodel (standaard: uit de instellingen)",
    )
    prompts.add_argument("--cases", type=Path, help="map met gevallen (standaard evals/sessions)")
    prompts.add_argument(
        "--personas", type=Path, help="map met gesimuleerde gebruikers (standaard evals/personas)"
    )
    prompts.add_argument("--report", type=Path, help="schrijf ook een HTML-rapport")
    prompts.add_argument("--json", action="store_true", help="één JSON-object op stdout")
    prompts.add_argument("--threshold", type=float, default=0.05, help="toegestane daling")
    prompts.add_argument("--no-cache", action="store_true", help="geen LLM-antwoorden hergebruiken")
    prompts.set_defaults(func=cmd_eval_prompts)
    talks = eval_sub.add_parser(
        "gesprekken", help="speel de gesimuleerde gebruikers (persona's) door hele sessies"
    )
    talks.add_argument("--personas", type=Path, help="map met persona's (standaard evals/personas)")
    talks.add_argument("--prompts", type=Path, help="vragenset (standaard de actieve)")
    talks.add_argument("--llm", choices=["none", "fake", "ollama", "openai", "llamacpp"])
    talks.add_argument(
        "--transcripts", type=Path, help="schrijf elk gesprek met zijn A4 in deze map"
    )
    talks.add_argument("--json", action="store_true", help="één JSON-object op stdout")
    talks.set_defaults(func=cmd_eval_conversations)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `goedwerk` console command."""
    for name, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(name, value)
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.func
    try:
        return handler(args)
    except GoedwerkError as exc:
        print(f"goedwerk: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"goedwerk: {os_reason(exc)}{where}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; nothing left to say.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - avoid a second error at exit
        return 0
