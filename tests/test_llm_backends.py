"""The LLM component against a local stand-in for the Ollama and OpenAI HTTP APIs.

The stand-in speaks just enough of both protocols for the real client code
(llama-index-llms-ollama with the `ollama` client, llama-index-llms-openai-like with the
`openai` client) and records every request, so the tests check what those clients send.
"""

from __future__ import annotations

import importlib.util
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from llama_index.core.llms import ChatMessage, MessageRole

from assistant.components.embedding import ComponentUnavailable
from assistant.components.llm import (
    FakeLLM,
    LLMFailed,
    LLMUnavailable,
    build_llm,
    check_llm,
    complete_text,
)
from assistant.serve_process import free_port
from assistant.settings import LLMSettings

REPLY = "Wat maakte dat moment voor jou tot goed werk?"
TOKENS = ["Wat ", "maakte ", "dat ", "moment ", "voor ", "jou ", "tot ", "goed ", "werk?"]
SECRET = "sk-test-geheim-123"


@dataclass
class Recorded:
    """One request the stand-in received."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class StandIn:
    """What the stand-in server answers, and what it has been sent."""

    url: str = ""
    reply: str = REPLY
    status: int | None = None  # answer every POST with this error status
    delay_s: float = 0.0  # sleep this long before answering a POST
    requests: list[Recorded] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def posts(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST" and r.path == path]


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
        pass

    def _send_json(self, payload: object, status: int = 200) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_lines(self, content_type: str, lines: list[str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Connection", "close")
        self.end_headers()
        for line in lines:
            self.wfile.write(line.encode())
            self.wfile.flush()

    def _record(self, body: dict[str, Any]) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.standin.requests.append(Recorded(self.command, self.path, headers, body))

    def do_GET(self) -> None:
        self._record({})
        if self.path == "/v1/models":
            self._send_json({"object": "list", "data": [{"id": "stand-in", "object": "model"}]})
        elif self.path == "/api/tags":
            self._send_json({"models": [{"name": "stand-in:latest", "model": "stand-in:latest"}]})
        else:
            self._send_json({"error": "not found"}, 404)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self._record(body)
        standin = self.server.standin
        if standin.delay_s:
            standin.release.wait(standin.delay_s)
        if standin.status is not None:
            message = {401: "Invalid API key", 404: "model not found"}.get(standin.status, "boem")
            if self.path.startswith("/v1/"):
                self._send_json({"error": {"message": message, "type": "error"}}, standin.status)
            else:
                self._send_json({"error": message}, standin.status)
        elif self.path == "/v1/chat/completions":
            self._openai_chat(body)
        elif self.path == "/api/chat":
            self._ollama_chat(body)
        elif self.path == "/api/show":
            self._send_json({"modelinfo": {"llama.context_length": 4096}, "details": {}})
        else:
            self._send_json({"error": "not found"}, 404)

    def _openai_chat(self, body: dict[str, Any]) -> None:
        model, reply = body["model"], self.server.standin.reply
        if not body.get("stream"):
            self._send_json(
                {
                    "id": "chatcmpl-1",
                    "object": "chat.completion",
                    "created": 0,
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": reply},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 5, "completion_tokens": 9, "total_tokens": 14},
                }
            )
            return
        deltas = [{"role": "assistant", "content": ""}] + [{"content": t} for t in _tokens(reply)]
        chunks = [(delta, None) for delta in deltas] + [({}, "stop")]
        lines = [
            "data: "
            + json.dumps(
                {
                    "id": "chatcmpl-1",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                }
            )
            + "\n\n"
            for delta, finish in chunks
        ]
        self._send_lines("text/event-stream", [*lines, "data: [DONE]\n\n"])

    def _ollama_chat(self, body: dict[str, Any]) -> None:
        model, reply = body["model"], self.server.standin.reply
        end = {"done": True, "done_reason": "stop", "prompt_eval_count": 5, "eval_count": 9}
        if not body.get("stream"):
            message = {"role": "assistant", "content": reply}
            self._send_json({"model": model, "created_at": "", "message": message, **end})
            return
        parts = [
            {"model": model, "message": {"role": "assistant", "content": t}, "done": False}
            for t in _tokens(reply)
        ]
        parts.append({"model": model, "message": {"role": "assistant", "content": ""}, **end})
        self._send_lines("application/x-ndjson", [json.dumps(p) + "\n" for p in parts])


class Server(ThreadingHTTPServer):
    daemon_threads = True
    standin: StandIn


def _tokens(reply: str) -> list[str]:
    return TOKENS if reply == REPLY else [reply]


@pytest.fixture(autouse=True)
def _local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing here may leave 127.0.0.1: no proxies, no inherited hosts or keys."""
    for key in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(key, raising=False)
    for key in ("all_proxy", "OLLAMA_HOST", "OLLAMA_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def standin() -> Iterator[StandIn]:
    """A stand-in server on a free local port, stopped after the test."""
    server = Server(("127.0.0.1", 0), Handler)
    server.standin = StandIn(url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server.standin
    server.standin.release.set()  # wake any sleeping handler
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def openai_settings(url: str, **overrides: Any) -> LLMSettings:
    values: dict[str, Any] = {"mode": "openai", "url": f"{url}/v1", "model": "stand-in"}
    values.update(overrides)
    return LLMSettings(**values)


def ollama_settings(url: str, **overrides: Any) -> LLMSettings:
    values: dict[str, Any] = {"mode": "ollama", "url": url, "model": "stand-in"}
    values.update(overrides)
    return LLMSettings(**values)


def _llm(settings: LLMSettings) -> Any:
    llm = build_llm(settings)
    assert llm is not None
    return llm


# --- OpenAI-compatible endpoint ---------------------------------------------------------


def test_openai_reply_comes_back_and_the_request_carries_model_system_and_settings(
    standin: StandIn,
) -> None:
    settings = openai_settings(standin.url, temperature=0.2, max_tokens=123)
    text = complete_text(_llm(settings), "Vertel over je dag.", "Je bent een coach.", 5)

    assert text == REPLY
    (request,) = standin.posts("/v1/chat/completions")
    assert request.body["model"] == "stand-in"
    assert request.body["messages"] == [
        {"role": "system", "content": "Je bent een coach."},
        {"role": "user", "content": "Vertel over je dag."},
    ]
    assert request.body["temperature"] == 0.2
    assert request.body["max_tokens"] == 123
    assert not request.body.get("stream")


def test_openai_streaming_delivers_tokens_to_on_token_in_order(standin: StandIn) -> None:
    tokens: list[str] = []
    text = complete_text(_llm(openai_settings(standin.url)), "Vraag", None, 5, tokens.append)

    assert tokens == TOKENS
    assert text == REPLY
    (request,) = standin.posts("/v1/chat/completions")
    assert request.body["stream"] is True
    assert request.body["messages"] == [{"role": "user", "content": "Vraag"}]


def test_openai_api_key_is_sent_as_a_bearer_header(standin: StandIn) -> None:
    llm = _llm(openai_settings(standin.url, api_key=SECRET))
    complete_text(llm, "Vraag", None, 5)

    (request,) = standin.posts("/v1/chat/completions")
    assert request.headers["authorization"] == f"Bearer {SECRET}"


def test_openai_without_a_key_sends_a_placeholder_not_an_inherited_key(
    standin: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment")
    complete_text(_llm(openai_settings(standin.url)), "Vraag", None, 5)

    (request,) = standin.posts("/v1/chat/completions")
    assert request.headers["authorization"] == "Bearer not-needed"


def test_check_llm_passes_against_a_working_openai_endpoint(standin: StandIn) -> None:
    settings = openai_settings(standin.url)
    check_llm(_llm(settings), settings)

    (request,) = standin.posts("/v1/chat/completions")
    assert request.body["messages"] == [{"role": "user", "content": "Antwoord met: ok"}]


def test_check_llm_names_the_api_key_when_the_endpoint_answers_401(standin: StandIn) -> None:
    standin.status = 401
    settings = openai_settings(standin.url, api_key=SECRET)

    with pytest.raises(LLMUnavailable) as caught:
        check_llm(_llm(settings), settings)

    message = str(caught.value)
    assert f"{standin.url}/v1" in message
    assert "401" in message and "GOEDWERK_LLM__API_KEY" in message
    assert SECRET not in message
    assert len(standin.posts("/v1/chat/completions")) == 1  # no retries


def test_check_llm_reports_a_server_error_of_the_openai_endpoint(standin: StandIn) -> None:
    standin.status = 500
    settings = openai_settings(standin.url)

    with pytest.raises(LLMUnavailable, match="OpenAI-compatibele endpoint .* antwoordt niet"):
        check_llm(_llm(settings), settings)


def test_check_llm_reports_an_openai_endpoint_where_nothing_listens() -> None:
    settings = openai_settings(f"http://127.0.0.1:{free_port()}")

    with pytest.raises(LLMUnavailable) as caught:
        check_llm(_llm(settings), settings)

    assert settings.url in str(caught.value)
    assert "draait de server" in str(caught.value)
    assert "Traceback" not in str(caught.value)


# --- Ollama ------------------------------------------------------------------------------


def test_ollama_reply_comes_back_and_the_request_carries_model_system_and_options(
    standin: StandIn,
) -> None:
    settings = ollama_settings(standin.url, temperature=0.4, max_tokens=77)
    text = complete_text(_llm(settings), "Vertel over je dag.", "Je bent een coach.", 5)

    assert text == REPLY
    (request,) = standin.posts("/api/chat")
    assert request.body["model"] == "stand-in"
    assert request.body["stream"] is False
    assert request.body["messages"] == [
        {"role": "system", "content": "Je bent een coach."},
        {"role": "user", "content": "Vertel over je dag."},
    ]
    assert request.body["options"]["temperature"] == 0.4
    assert request.body["options"]["num_predict"] == 77
    assert request.body["options"]["num_ctx"] == 4096
    assert not standin.posts("/api/show")  # the context window is set, so no lookup


def test_ollama_streaming_delivers_tokens_to_on_token_in_order(standin: StandIn) -> None:
    tokens: list[str] = []
    text = complete_text(_llm(ollama_settings(standin.url)), "Vraag", None, 5, tokens.append)

    assert tokens == TOKENS
    assert text == REPLY
    (request,) = standin.posts("/api/chat")
    assert request.body["stream"] is True


def test_check_llm_passes_against_a_working_ollama(standin: StandIn) -> None:
    settings = ollama_settings(standin.url)
    check_llm(_llm(settings), settings)

    assert len(standin.posts("/api/chat")) == 1


def test_check_llm_reports_ollama_not_running_with_url_and_pull_hint() -> None:
    settings = ollama_settings(f"http://127.0.0.1:{free_port()}", model="qwen2.5:3b")

    with pytest.raises(LLMUnavailable) as caught:
        check_llm(_llm(settings), settings)

    message = str(caught.value)
    assert f"Ollama is niet bereikbaar op {settings.url}" in message
    assert "`ollama serve`" in message and "`ollama pull qwen2.5:3b`" in message


def test_check_llm_reports_a_model_ollama_does_not_know(standin: StandIn) -> None:
    standin.status = 404
    settings = ollama_settings(standin.url, model="onbekend")

    with pytest.raises(LLMUnavailable) as caught:
        check_llm(_llm(settings), settings)

    assert f"Ollama op {standin.url} kent het model 'onbekend' niet" in str(caught.value)
    assert "`ollama pull onbekend`" in str(caught.value)


def test_check_llm_reports_a_server_error_of_ollama(standin: StandIn) -> None:
    standin.status = 500
    settings = ollama_settings(standin.url)

    with pytest.raises(LLMUnavailable, match="HTTP 500") as caught:
        check_llm(_llm(settings), settings)

    assert standin.url in str(caught.value)


def test_check_llm_gives_up_on_a_backend_that_answers_too_slowly(standin: StandIn) -> None:
    standin.delay_s = 30
    settings = ollama_settings(standin.url, timeout_s=0.5)

    with pytest.raises(LLMUnavailable, match="antwoordt niet op tijd") as caught:
        check_llm(_llm(settings), settings)

    assert standin.url in str(caught.value) and "llm.timeout_s" in str(caught.value)


# --- complete_text: failures never hang ------------------------------------------------


@pytest.mark.parametrize("settings_for", [openai_settings, ollama_settings])
@pytest.mark.parametrize("streaming", [False, True])
def test_complete_text_gives_up_when_the_server_sleeps_past_the_timeout(
    standin: StandIn, settings_for: Any, streaming: bool
) -> None:
    standin.delay_s = 30
    tokens: list[str] = []
    llm = _llm(settings_for(standin.url))
    started = time.monotonic()

    with pytest.raises(LLMFailed, match="geen antwoord binnen 0.5 s"):
        complete_text(llm, "Vraag", None, 0.5, tokens.append if streaming else None)

    # The server would answer after 30 s; the call came back long before that.
    assert time.monotonic() - started < 10
    assert tokens == []


@pytest.mark.parametrize("settings_for", [openai_settings, ollama_settings])
def test_complete_text_raises_llm_failed_on_an_http_error(
    standin: StandIn, settings_for: Any
) -> None:
    standin.status = 500

    with pytest.raises(LLMFailed) as caught:
        complete_text(_llm(settings_for(standin.url)), "Vraag", None, 5)

    assert caught.value.status_code == 500


@pytest.mark.parametrize("settings_for", [openai_settings, ollama_settings])
def test_complete_text_treats_an_empty_reply_as_a_failure(
    standin: StandIn, settings_for: Any
) -> None:
    standin.reply = "  "

    with pytest.raises(LLMFailed, match="leeg antwoord"):
        complete_text(_llm(settings_for(standin.url)), "Vraag", None, 5)


def test_complete_text_raises_llm_failed_when_nothing_listens() -> None:
    llm = _llm(openai_settings(f"http://127.0.0.1:{free_port()}"))

    with pytest.raises(LLMFailed, match="Connection"):
        complete_text(llm, "Vraag", None, 5)


# --- FakeLLM -----------------------------------------------------------------------------


def test_fake_llm_returns_queued_replies_in_order_then_asks_the_responder() -> None:
    llm = FakeLLM(responder=lambda prompt: f"echo: {prompt.text.splitlines()[-1]}")
    llm.enqueue("een", "twee")

    assert llm.complete("a").text == "een"
    assert "".join(r.delta or "" for r in llm.stream_complete("b")) == "twee"
    assert llm.complete("c").text == "echo: c"
    assert llm.history == ["a", "b", "c"]


def test_fake_llm_without_responder_answers_empty_and_check_still_passes() -> None:
    llm = FakeLLM()

    assert llm.complete("a").text == ""
    check_llm(llm, LLMSettings(mode="fake"))
    assert llm.history[-1] == "user: Antwoord met: ok"


def test_fake_llm_streams_in_chunks_with_deltas() -> None:
    llm = FakeLLM()
    llm.enqueue("Goed werk is samen werk.")

    chunks = list(llm.stream_complete("p"))

    assert len(chunks) > 1
    assert "".join(c.delta or "" for c in chunks) == "Goed werk is samen werk."
    assert chunks[-1].text == "Goed werk is samen werk."


def test_fake_llm_chat_and_stream_chat_record_role_lines() -> None:
    llm = FakeLLM()
    llm.enqueue("antwoord", "gestreamd antwoord")
    messages = [
        ChatMessage(role=MessageRole.SYSTEM, content="Wees kort."),
        ChatMessage(role=MessageRole.USER, content="Hoi"),
    ]

    assert llm.chat(messages).message.content == "antwoord"
    streamed = list(llm.stream_chat(messages))
    assert "".join(r.delta or "" for r in streamed) == "gestreamd antwoord"
    assert streamed[-1].message.content == "gestreamd antwoord"
    assert llm.history == ["system: Wees kort.\nuser: Hoi"] * 2


def test_fake_llm_fail_next_raises_once_and_complete_text_turns_it_into_llm_failed() -> None:
    llm = FakeLLM()
    llm.enqueue("daarna weer goed")
    llm.fail_next(ConnectionError("weg"))

    with pytest.raises(LLMFailed, match="ConnectionError: weg"):
        complete_text(llm, "Vraag", "Systeem", 1)

    assert complete_text(llm, "Vraag", "Systeem", 1) == "daarna weer goed"
    assert llm.history == ["system: Systeem\nuser: Vraag"] * 2


def test_fake_llm_streams_through_complete_text_to_on_token() -> None:
    llm = FakeLLM(responder=lambda prompt: "Een twee drie")
    tokens: list[str] = []

    assert complete_text(llm, "Vraag", None, 1, tokens.append) == "Een twee drie"
    assert "".join(tokens) == "Een twee drie" and len(tokens) == 3


def test_fake_llm_reports_its_model_name() -> None:
    assert FakeLLM().metadata.model_name == "fake"


# --- build_llm ---------------------------------------------------------------------------


def test_mode_none_builds_no_llm() -> None:
    assert build_llm(LLMSettings(mode="none")) is None


def test_mode_fake_builds_a_fake_llm() -> None:
    assert isinstance(build_llm(LLMSettings(mode="fake")), FakeLLM)


@pytest.mark.parametrize("mode", ["ollama", "openai"])
def test_a_server_mode_without_a_model_name_says_what_to_set(mode: str) -> None:
    with pytest.raises(ComponentUnavailable, match="GOEDWERK_LLM__MODEL"):
        build_llm(LLMSettings(mode=mode))  # type: ignore[arg-type]


def test_llamacpp_with_a_missing_model_file_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "model.gguf"

    with pytest.raises(ComponentUnavailable, match="GGUF-modelbestand bestaat niet") as caught:
        build_llm(LLMSettings(mode="llamacpp", model_path=missing))

    assert str(missing) in str(caught.value)


def test_llamacpp_without_a_model_path_says_what_to_set() -> None:
    with pytest.raises(ComponentUnavailable, match="GOEDWERK_LLM__MODEL_PATH"):
        build_llm(LLMSettings(mode="llamacpp"))


def test_llamacpp_with_a_model_file_needs_the_extra_or_a_valid_model(tmp_path: Path) -> None:
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF, but not a model")
    # Without the extra (the default install) the hint says how to get it; with it, the
    # bogus file is refused by name. Either way nothing is downloaded.
    installed = importlib.util.find_spec("llama_cpp") is not None
    expected = "kon niet geladen worden" if installed else r"pip install -e '\.\[llamacpp\]'"

    with pytest.raises(ComponentUnavailable, match=expected):
        build_llm(LLMSettings(mode="llamacpp", model_path=model))
