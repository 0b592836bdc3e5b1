"""One error hierarchy: every error a user sees is a GoedwerkError with its exit code."""

from __future__ import annotations

import pytest

from assistant.components.embedding import ComponentUnavailable
from assistant.components.llm import LLMUnavailable
from assistant.components.vector_store import REBUILD_HINT, IndexUnavailable
from assistant.corpus.load import CorpusError
from assistant.datadir import DataDirBusy
from assistant.errors import EXIT_BAD_INPUT, EXIT_UNAVAILABLE, GoedwerkError
from assistant.evals.cases import EvalInputError
from assistant.evals.runner import EvalUnavailable
from assistant.export.files import ImageRejected
from assistant.export.timing import GuideError
from assistant.export.writing import ExportFailed
from assistant.facilitator.questions import PromptsMissing, TemplateError
from assistant.retrieval.evaluate import EvalFileError
from assistant.retrieval.search import EmptyQuery
from assistant.script import ScriptError
from assistant.service import ConsentRequired, UnknownSession
from assistant.sessions.sqlite import StoreError
from assistant.settings import SettingsFileMissing
from assistant.teams.models import TeamError

BAD_INPUT = [
    EmptyQuery,
    EvalFileError,
    EvalInputError,
    GuideError,
    ImageRejected,
    ScriptError,
    SettingsFileMissing,
    TeamError,
    UnknownSession,
    ConsentRequired,
]
UNAVAILABLE = [
    ComponentUnavailable,
    CorpusError,
    DataDirBusy,
    EvalUnavailable,
    ExportFailed,
    IndexUnavailable,
    LLMUnavailable,
    PromptsMissing,
    StoreError,
    TemplateError,
]


@pytest.mark.parametrize("error", BAD_INPUT, ids=lambda e: e.__name__)
def test_bad_input_errors_exit_with_code_2(error: type[GoedwerkError]) -> None:
    assert issubclass(error, GoedwerkError)
    assert error.exit_code == EXIT_BAD_INPUT == 2


@pytest.mark.parametrize("error", UNAVAILABLE, ids=lambda e: e.__name__)
def test_unavailable_errors_exit_with_code_3(error: type[GoedwerkError]) -> None:
    assert issubclass(error, GoedwerkError)
    assert error.exit_code == EXIT_UNAVAILABLE == 3


def test_the_message_is_the_dutch_text_and_the_old_bases_still_catch() -> None:
    with pytest.raises(ValueError, match="^Lege tekst"):
        raise EmptyQuery()
    with pytest.raises(KeyError):
        raise UnknownSession("s1")
    with pytest.raises(PermissionError):
        raise ConsentRequired()


def test_an_index_error_keeps_its_reason_apart_from_what_to_do() -> None:
    error = IndexUnavailable("De index is kapot.")
    assert (error.reason, str(error)) == (
        "De index is kapot.",
        f"De index is kapot. {REBUILD_HINT}",
    )
