"""The optional language model behind llama-index's `LLM`, chosen by `settings.llm.mode`.

Every call goes through `complete_text`, which bounds it in time and turns any backend
error into `LLMFailed`, so the facilitator can always fall back to its built-in questions.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.llms import LLM
from llama_index.core.llms.callbacks import llm_completion_callback
from llama_index.core.llms.custom import CustomLLM
from pydantic import PrivateAttr

from assistant.components.embedding import ComponentUnavailable
from assistant.errors import Unavailable
from assistant.settings import LLMSettings

CONTEXT_WINDOW = 4096
CHECK_PROMPT = "Antwoord met: ok"
CHECK_TIMEOUT_S = 15.0
# Keyword arguments that carry a prompt's name and variables to a FakeLLM (never to a model).
_PROMPT_NAME = "goedwerk_prompt_name"
_PROMPT_VARIABLES = "goedwerk_prompt_variables"


class LLMUnavailable(Unavailable, RuntimeError):
    """The configured language model does not answer at start-up; the message says why."""


class LLMFailed(Unavailable, RuntimeError):
    """One call to the language model failed; `reason` says why in a few words."""

    def __init__(
        self, reason: str, status_code: int | None = None, timed_out: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status_code = status_code
        self.timed_out = timed_out


def _chat_prompt(messages: Sequence[ChatMessage]) -> str:
    return "\n".join(f"{m.role.value}: {m.content or ''}" for m in messages)


@dataclass(frozen=True)
class FakeRequest:
    """What a FakeLLM's responder is asked: the text a model would see, and which prompt it is.

    `name` and `variables` are what the caller passed to `complete_text` (empty otherwise);
    a real model never sees them. A scripted fake answers by them, so rewording a prompt's
    text cannot change its answers.
    """

    text: str
    name: str = ""
    variables: Mapping[str, str] = field(default_factory=dict)


class FakeLLM(CustomLLM):
    """A scriptable LLM that records what it was sent: queued replies first, then a responder."""

    _queue: deque[str] = PrivateAttr(default_factory=deque)
    _responder: Callable[[FakeRequest], str] = PrivateAttr()
    _failure: Exception | None = PrivateAttr(default=None)
    _history: list[str] = PrivateAttr(default_factory=list)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(
        self, responder: Callable[[FakeRequest], str] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("messages_to_prompt", _chat_prompt)
        super().__init__(**kwargs)
        self._responder = responder or (lambda prompt: "")

    @property
    def history(self) -> list[str]:
        """Every prompt sent, oldest first (chat messages as "role: content" lines)."""
        return self._history

    def enqueue(self, *replies: str) -> None:
        """Queue replies, returned in order before the responder is asked."""
        with self._lock:
            self._queue.extend(replies)

    def fail_next(self, exc: Exception) -> None:
        """Make the next call raise `exc` (once)."""
        with self._lock:
            self._failure = exc

    @classmethod
    def class_name(cls) -> str:
        return "FakeLLM"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=CONTEXT_WINDOW, model_name="fake")

    def _reply(self, prompt: str, kwargs: dict[str, Any]) -> str:
        with self._lock:
            self._history.append(prompt)
            failure, self._failure = self._failure, None
            queued = self._queue.popleft() if self._queue and failure is None else None
        if failure is not None:
            raise failure
        if queued is not None:
            return queued
        name, variables = kwargs.get(_PROMPT_NAME, ""), kwargs.get(_PROMPT_VARIABLES, {})
        return self._responder(FakeRequest(prompt, name, variables))

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return CompletionResponse(text=self._reply(prompt, kwargs))

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        text = self._reply(prompt, kwargs)

        def gen() -> CompletionResponseGen:
            sofar = ""
            for chunk in re.findall(r"\s*\S+\s*", text) or [text]:
                sofar += chunk
                yield CompletionResponse(text=sofar, delta=chunk)

        return gen()


def _need_model(settings: LLMSettings) -> str:
    if not settings.model:
        raise ComponentUnavailable(
            f"LLM-modus {settings.mode} vraagt een modelnaam: zet llm.model "
            "(of GOEDWERK_LLM__MODEL)."
        )
    return settings.model


def _ollama(settings: LLMSettings) -> LLM:
    model = _need_model(settings)
    from llama_index.llms.ollama import Ollama  # a dependency of the package

    # base_url is always explicit, so OLLAMA_HOST is never consulted.
    return Ollama(
        model=model,
        base_url=settings.url,
        request_timeout=settings.timeout_s,
        temperature=settings.temperature,
        context_window=CONTEXT_WINDOW,  # explicit, so no /api/show round trip
        additional_kwargs={"num_predict": settings.max_tokens},
    )


def _openai(settings: LLMSettings) -> LLM:
    model = _need_model(settings)
    from llama_index.llms.openai_like import OpenAILike  # a dependency of the package

    key = settings.api_key.get_secret_value() if settings.api_key else "not-needed"
    return OpenAILike(
        model=model,
        api_base=settings.url,
        api_key=key,
        is_chat_model=True,
        context_window=CONTEXT_WINDOW,
        timeout=settings.timeout_s,
        max_retries=0,  # complete_text bounds the call; a retry loop would outlast it
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
    )


def _llamacpp(settings: LLMSettings) -> LLM:
    path = settings.model_path
    if path is None:
        raise ComponentUnavailable(
            "LLM-modus llamacpp vraagt een GGUF-bestand: zet llm.model_path "
            "(of GOEDWERK_LLM__MODEL_PATH)."
        )
    if not path.is_file():
        raise ComponentUnavailable(f"Het GGUF-modelbestand bestaat niet: {path}")
    try:
        from llama_index.llms.llama_cpp import LlamaCPP
    except ImportError as exc:
        raise ComponentUnavailable(
            "llama.cpp is niet geïnstalleerd: pip install -e '.[llamacpp]'"
        ) from exc
    try:
        # model_path is set and exists, so LlamaCPP never downloads a model.
        return LlamaCPP(
            model_path=str(path),
            temperature=settings.temperature,
            max_new_tokens=settings.max_tokens,
            context_window=CONTEXT_WINDOW,
            verbose=False,
        )
    except Exception as exc:
        raise ComponentUnavailable(
            f"Het model {path} kon niet geladen worden: {_describe(exc)}"
        ) from exc


def build_llm(settings: LLMSettings) -> LLM | None:
    """Build the configured language model; None when the built-in facilitator works alone."""
    match settings.mode:
        case "none":
            return None
        case "ollama":
            return _ollama(settings)
        case "openai":
            return _openai(settings)
        case "llamacpp":
            return _llamacpp(settings)
        case "fake":
            return FakeLLM()


def _status_code(exc: BaseException) -> int | None:
    code = getattr(exc, "status_code", None)
    if code is None:
        code = getattr(getattr(exc, "response", None), "status_code", None)
    return code if isinstance(code, int) and code > 0 else None


def _describe(exc: BaseException) -> str:
    """The exception in one short line: its type, its status and its first line."""
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0][:160]}" if lines else type(exc).__name__
    status = _status_code(exc)
    return f"HTTP {status}, {text}" if status else text


def _run_chat(
    llm: LLM,
    messages: list[ChatMessage],
    timeout_s: float,
    on_token: Callable[[str], None] | None,
    extra: dict[str, Any] | None = None,
) -> str:
    """One chat call in a daemon thread, so a stuck backend never blocks the caller."""
    future: Future[str] = Future()
    abandoned = threading.Event()
    extra = extra or {}

    def work() -> None:
        try:
            if on_token is None:
                future.set_result(llm.chat(messages, **extra).message.content or "")
                return
            parts: list[str] = []
            for chunk in llm.stream_chat(messages, **extra):
                if abandoned.is_set():  # the caller gave up: stop reading, send no more tokens
                    return
                if chunk.delta:
                    parts.append(chunk.delta)
                    on_token(chunk.delta)
            future.set_result("".join(parts))
        except Exception as exc:
            future.set_exception(exc)

    threading.Thread(target=work, name="goedwerk-llm", daemon=True).start()
    try:
        return future.result(timeout=timeout_s)
    except TimeoutError:
        abandoned.set()
        raise LLMFailed(f"geen antwoord binnen {timeout_s:g} s", timed_out=True) from None
    except Exception as exc:
        raise LLMFailed(_describe(exc), status_code=_status_code(exc)) from exc


def complete_text(
    llm: LLM,
    prompt: str,
    system: str | None,
    timeout_s: float,
    on_token: Callable[[str], None] | None = None,
    *,
    name: str = "",
    variables: Mapping[str, str] | None = None,
) -> str:
    """Ask the model once (system + user message); streams deltas to `on_token` if given.

    `name` and `variables` say which prompt this is; only a FakeLLM is told them (see
    `FakeRequest`), a real model gets the text alone.
    Raises LLMFailed on any backend error, an empty reply, or after `timeout_s` in all.
    """
    messages = [ChatMessage(role=MessageRole.SYSTEM, content=system)] if system else []
    messages.append(ChatMessage(role=MessageRole.USER, content=prompt))
    extra: dict[str, Any] = {}
    if isinstance(llm, FakeLLM):
        extra = {_PROMPT_NAME: name, _PROMPT_VARIABLES: dict(variables or {})}
    text = _run_chat(llm, messages, timeout_s, on_token, extra).strip()
    if not text:
        raise LLMFailed("leeg antwoord")
    return text


def _unavailable_message(settings: LLMSettings, failure: LLMFailed) -> str:
    model, status, url = settings.model, failure.status_code, settings.url
    target = settings.model_path if settings.mode == "llamacpp" else url
    where = f"Het taalmodel ({settings.mode}, {target}) antwoordt niet"
    hint = "controleer de llm-instellingen"
    if failure.timed_out:
        where += " op tijd"
        hint = "laadt het model nog? Probeer opnieuw of verhoog llm.timeout_s"
    elif settings.mode == "ollama" and status == 404:
        where = f"Ollama op {url} kent het model '{model}' niet"
        hint = f"download het met `ollama pull {model}`"
    elif settings.mode == "ollama" and status:
        where, hint = f"Ollama op {url} geeft een fout", "bekijk de log van `ollama serve`"
    elif settings.mode == "ollama":
        where = f"Ollama is niet bereikbaar op {url}"
        hint = (
            f"draait `ollama serve` en is het model '{model}' gedownload (`ollama pull {model}`)?"
        )
    elif settings.mode == "openai":
        where = f"Het OpenAI-compatibele endpoint {url} antwoordt niet"
        hint = {
            None: "draait de server en klopt de URL (meestal eindigend op /v1)?",
            401: "401: controleer GOEDWERK_LLM__API_KEY",
            403: "403: controleer GOEDWERK_LLM__API_KEY",
            404: f"404: klopt het model '{model}' en eindigt de URL op /v1?",
        }.get(status, f"{status}: bekijk de log van de server")
    elif settings.mode == "llamacpp":
        hint = "is het een geldig GGUF-bestand en is er genoeg geheugen?"
    return f"{where}: {hint} ({failure.reason})"


def check_llm(llm: LLM, settings: LLMSettings) -> None:
    """At start-up, verify that the backend answers a tiny request in time.

    Raises LLMUnavailable with a Dutch message naming the backend and what to check.
    """
    timeout_s = min(settings.timeout_s, CHECK_TIMEOUT_S)
    messages = [ChatMessage(role=MessageRole.USER, content=CHECK_PROMPT)]
    try:
        _run_chat(llm, messages, timeout_s, None)
    except LLMFailed as failure:
        raise LLMUnavailable(_unavailable_message(settings, failure)) from None
