"""Finding what makes a text traceable to people: names, places, organisations, contact details.

Two backends, chosen by `deidentify.mode`:

- `deduce`: the Dutch de-identification method Deduce (names with Dutch first names, surnames,
  interfixes and titles, also at the start of a sentence; places, streets with a number,
  institutions, dates, ages, BSN, phone numbers, e-mail addresses, URLs), plus goedwerk's list
  of organisations civil servants work with. Its lookup structures are built once (under a
  minute without the street list) and kept as a cache in `deidentify.cache_dir`; until they are
  loaded `find` raises `NotReady`, so nobody waits: `warm_up()` loads them in a thread.
- `basic`: patterns only (e-mail, phone, URL, organisations, capitalised words inside a
  sentence); fast, for tests.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from assistant.settings import DeidentifySettings

log = logging.getLogger(__name__)


class NotReady(RuntimeError):
    """The de-identifier is still being prepared; try again shortly."""

    def __init__(self) -> None:
        super().__init__(
            "De controle op namen en andere herkenbare gegevens wordt nog voorbereid (eenmalig, "
            "ongeveer een minuut). Probeer het zo opnieuw."
        )


@dataclass(frozen=True)
class Found:
    """A stretch of text that identifies someone or something, and what kind it is (Dutch)."""

    start: int
    end: int
    text: str
    kind: str  # naam, plaats, adres, organisatie, datum, leeftijd, telefoonnummer, …


class Deidentifier(Protocol):
    """Finds the identifying stretches of a text."""

    def find(self, text: str) -> list[Found]:
        """Every identifying stretch of `text`, in order, without overlaps."""
        ...

    def warm_up(self) -> None:
        """Start preparing in the background (nothing to do for a backend that is ready)."""
        ...


def build_deidentifier(settings: DeidentifySettings, data_dir: Path) -> Deidentifier:
    """The configured de-identifier."""
    match settings.mode:
        case "deduce":
            cache = settings.cache_dir or data_dir / "deduce"
            return DeduceDeidentifier(cache, street_list=settings.street_list)
        case "basic":
            return BasicDeidentifier()


# Patterns both backends share -------------------------------------------------------------------

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()]+[^\s<>().,;:!?]")
# Dutch numbers: 06-12345678, 06 1234 5678, 030-1234567, +31 6 12345678, 0031 30 123 4567.
_PHONE = re.compile(r"(?<![\w+])(?:\+31|0031|0)[ -]?(?:\(0\)[ -]?)?\d(?:[ -]?\d){8}(?!\d)")
_LEGAL_FORM = re.compile(
    r"\b(?:Stichting|Vereniging|Coöperatie|Woningstichting|Woningcorporatie|Zorggroep)"
    r"(?:\s+(?:[A-Z][\w'&-]*|de|het|van|voor))*\s+[A-Z][\w'&-]*"
    r"|\b[A-Z][\w'&-]+(?:\s+[A-Z][\w'&-]+)*\s+(?:B\.V\.|N\.V\.|BV|NV)(?!\w)"
)


def _organisation_names() -> list[str]:
    text = (resources.files("assistant.components") / "organisaties.txt").read_text("utf-8")
    names = [line.strip() for line in text.splitlines()]
    return sorted({n for n in names if n and not n.startswith("#")}, key=len, reverse=True)


def _organisation_pattern() -> re.Pattern[str]:
    names = "|".join(re.escape(n) for n in _organisation_names())
    return re.compile(rf"(?<!\w)(?:{names})(?!\w)")


def shared_patterns(text: str, organisations: re.Pattern[str]) -> list[Found]:
    """Contact details and organisations, found the same way by every backend."""
    found: list[Found] = []
    for pattern, kind in (
        (_EMAIL, "e-mailadres"),
        (_URL, "website"),
        (_PHONE, "telefoonnummer"),
        (_LEGAL_FORM, "organisatie"),
        (organisations, "organisatie"),
    ):
        found += [Found(m.start(), m.end(), m.group(0), kind) for m in pattern.finditer(text)]
    return found


def without_overlaps(found: list[Found]) -> list[Found]:
    """Keep the longest of overlapping stretches (the earliest among equals), in text order."""
    kept: list[Found] = []
    for item in sorted(found, key=lambda f: (-(f.end - f.start), f.start)):
        if all(item.end <= k.start or item.start >= k.end for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda f: f.start)


# The basic backend ------------------------------------------------------------------------------

_NAME = re.compile(r"\b[A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-Þ][a-zà-ÿ]+)?\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*)$")
# Capitalised words that are not names (days, months, common words, the country).
_NOT_NAMES = frozenset(
    "Ik Wij We Je Jij Hij Zij Ze Het De Een Dat Die Dit Deze Toen Daar Maar En Of Als Want "
    "Maandag Dinsdag Woensdag Donderdag Vrijdag Zaterdag Zondag Januari Februari Maart April Mei "
    "Juni Juli Augustus September Oktober November December Nederland Nederlands".split()
)


class BasicDeidentifier:
    """Patterns only: contact details, organisations and capitalised words inside a sentence."""

    def __init__(self) -> None:
        self._organisations = _organisation_pattern()

    def find(self, text: str) -> list[Found]:
        """Identifying stretches by pattern; a capitalised word opening a sentence is not seen."""
        found = shared_patterns(text, self._organisations)
        for match in _NAME.finditer(text):
            if match.group(0) in _NOT_NAMES or _SENTENCE_START.search(text[: match.start()]):
                continue
            found.append(Found(match.start(), match.end(), match.group(0), "naam"))
        return without_overlaps(found)

    def warm_up(self) -> None:
        """Nothing to prepare."""


# The Deduce backend -----------------------------------------------------------------------------

# Deduce's tags (after its own merging) → the kind the user reads.
_KINDS = {
    "persoon": "naam",
    "patient": "naam",
    "locatie": "plaats",
    "ziekenhuis": "organisatie",
    "zorginstelling": "organisatie",
    "datum": "datum",
    "leeftijd": "leeftijd",
    "bsn": "BSN",
    "id": "nummer",
    "telefoonnummer": "telefoonnummer",
    "emailadres": "e-mailadres",
    "url": "website",
}
# Deduce's list of ~300,000 street names; without it a street is still found with its number
# ("Kerkstraat 12"), the build takes 44 s instead of 250 s and 0.6 instead of 1.1 GB memory.
_STREET_LISTS = ("items.txt", "streets_bag.txt")


def _kind(tag: str) -> str:
    if "straat" in tag or "huisnummer" in tag:
        return "adres"
    return _KINDS.get(tag, "naam" if "naam" in tag else "gegeven")


def _import_deduce() -> Any:
    """Import deduce without what it changes for the whole process when imported: a
    `logging.basicConfig(level=DEBUG)` on stdout and `warnings.simplefilter("default")`."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        with warnings.catch_warnings():  # restores the process's warning filters
            import deduce
    except ImportError as exc:  # pragma: no cover - a dependency of goedwerk
        raise RuntimeError("deduce ontbreekt: installeer goedwerk opnieuw (pip install .)") from exc
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return deduce


def _lookup_dir(cache_dir: Path, version: str, street_list: bool) -> Path:
    """A copy of Deduce's lookup lists (without the street list unless asked) in the cache."""
    name = f"deduce-{version}" + ("" if street_list else "-zonder-straten")
    target = cache_dir / name
    if (target / "src").is_dir():
        return target
    deduce = _import_deduce()
    source = Path(deduce.__file__).parent / "data" / "lookup" / "src"
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=cache_dir))
    shutil.copytree(source, staging / "src")
    for path in staging.rglob("*"):  # private like everything in the data dir
        path.chmod(0o700 if path.is_dir() else 0o600)
    if not street_list:
        for file in _STREET_LISTS:
            (staging / "src" / "locations" / "lst_street" / file).write_text("", "utf-8")
    try:
        staging.rename(target)
    except OSError:  # another process was first
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _remove_stale_builds(lookup: Path, older_than_s: float = 3600.0) -> None:
    """Builds a stopped process left behind (a build takes minutes, not an hour)."""
    for stale in lookup.glob(".bouw-*"):
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > older_than_s:
                shutil.rmtree(stale)


def load_deduce(cache_dir: Path, street_list: bool = False) -> Any:
    """A `Deduce` instance with its lookup structures from the cache (built there when missing).

    The build writes to a temporary folder first, so an interrupted build leaves no half cache.
    """
    deduce = _import_deduce()
    lookup = _lookup_dir(cache_dir, deduce.__version__, street_list)
    cache_file = lookup / "cache" / "lookup_structs.pickle"
    if cache_file.is_file():
        try:
            return deduce.Deduce(lookup_data_path=lookup, cache_path=lookup)
        except Exception:  # a damaged cache: build it again
            log.warning("deduce: cache onleesbaar, opnieuw opbouwen", exc_info=True)
            cache_file.unlink(missing_ok=True)
    _remove_stale_builds(lookup)
    staging = Path(tempfile.mkdtemp(prefix=".bouw-", dir=lookup))
    try:
        instance = deduce.Deduce(lookup_data_path=lookup, cache_path=staging)
        (lookup / "cache").mkdir(exist_ok=True)
        os.replace(staging / "cache" / "lookup_structs.pickle", cache_file)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return instance


class DeduceDeidentifier:
    """Deduce plus goedwerk's organisations; prepared once, in a background thread."""

    def __init__(self, cache_dir: Path, street_list: bool = False) -> None:
        self.cache_dir = cache_dir
        self.street_list = street_list
        self._organisations = _organisation_pattern()
        self._deduce: Any = None
        self._failed: BaseException | None = None
        self._ready = threading.Event()
        self._guard = threading.Lock()
        self._one_at_a_time = threading.Lock()  # Deduce's processors keep state per document
        self._thread: threading.Thread | None = None
        self.load_seconds: float | None = None

    def warm_up(self) -> None:
        """Load (or first build) the lookup structures in a background thread, once."""
        with self._guard:
            if self._thread is None:
                self._thread = threading.Thread(target=self._load, name="deduce", daemon=True)
                self._thread.start()

    def _load(self) -> None:
        start = time.perf_counter()
        try:
            self._deduce = load_deduce(self.cache_dir, self.street_list)
        except BaseException as exc:  # kept, and raised to whoever asks next
            self._failed = exc
            log.exception("deduce: voorbereiden mislukt")
        self.load_seconds = time.perf_counter() - start
        self._ready.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Start preparing and wait up to `timeout` seconds; is it ready?"""
        self.warm_up()
        return self._ready.wait(timeout) and self._failed is None

    def find(self, text: str) -> list[Found]:
        """Identifying stretches by Deduce and the organisation list (NotReady until loaded)."""
        self.warm_up()
        if not self._ready.is_set():
            raise NotReady()
        if self._failed is not None:
            raise RuntimeError(
                "De controle op namen kon niet worden voorbereid; delen kan nu niet."
            ) from self._failed
        with self._one_at_a_time:
            annotations = self._deduce.deidentify(text).annotations
        found = shared_patterns(text, self._organisations)
        for a in annotations:
            found.append(
                Found(a.start_char, a.end_char, text[a.start_char : a.end_char], _kind(a.tag))
            )
        return without_overlaps(found)
