"""A4 parts are bounded: an over-long edit is refused with a Dutch notice and stays in the
page's field; a drafted part over its limit is shortened; uploads are prepared once."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import gradio as gr
import pytest
from PIL import Image

from assistant.app import build_service
from assistant.domain.session import A4_FIELDS
from assistant.facilitator.compose import NO_IMAGE_YET
from assistant.facilitator.events import Notice
from assistant.retrieval.setup import Knowledge, build_knowledge
from assistant.service import A4_MAX_CHARS, Edit, ReflectionService, ToDraft
from assistant.settings import Settings
from assistant.ui.access import DEVICE_COOKIE, device_owner
from assistant.ui.handlers import ReflectionHandlers
from assistant.ui.serving import PageContext

from .conftest import make_settings

KEY = "k" * 40
OWNER = device_owner(KEY)
REQUEST = SimpleNamespace(cookies={DEVICE_COOKIE: KEY}, username=None)


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    return build_knowledge(make_settings(tmp_path_factory.mktemp("a4") / "data"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture
def service(settings: Settings, knowledge: Knowledge) -> ReflectionService:
    return build_service(settings, knowledge=knowledge)


def handlers(service: ReflectionService, settings: Settings) -> ReflectionHandlers:
    # The handlers tested here render only the preview, which needs no layout.
    return ReflectionHandlers(PageContext(service, settings), layout=None)  # type: ignore[arg-type]


def notices(events: list) -> list[str]:
    return [e.text for e in events if isinstance(e, Notice) and e.transient]


@pytest.mark.parametrize("part", A4_FIELDS)
def test_an_edit_over_the_limit_is_refused_in_dutch_and_nothing_is_stored(
    service: ReflectionService, part: str
) -> None:
    session_id, _ = service.start(owner=OWNER)
    service.handle(session_id, OWNER, Edit(part=part, value="Eerst dit."))  # type: ignore[arg-type]
    huge = "woord " * 1_000_000  # 6 MB, as pasted
    outcome = service.handle(session_id, OWNER, Edit(part=part, value=huge))  # type: ignore[arg-type]
    [refusal] = notices(outcome.events)
    assert "te lang (6.000.000 tekens; maximaal" in refusal
    assert "je tekst staat nog in het veld" in refusal
    state = service.state(session_id, OWNER)
    assert getattr(state.a4, part) == "Eerst dit."
    assert service.store.load_with_pending(session_id)[1] == []  # not even kept as pending


def test_an_edit_at_the_limit_is_stored_whole(service: ReflectionService) -> None:
    session_id, _ = service.start(owner=OWNER)
    text = "a" * A4_MAX_CHARS["beeld"]
    outcome = service.handle(session_id, OWNER, Edit(part="beeld", value=text))
    assert not notices(outcome.events)
    assert service.state(session_id, OWNER).a4.beeld == text


def test_a_drafted_part_over_the_limit_is_shortened_at_a_word_with_a_notice(
    service: ReflectionService, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id, _ = service.start(owner=OWNER)
    long_answer = "De gemeente en wij pakten het samen op. " * 2000
    to_draft = service.facilitator.to_draft

    def drafting(state):  # type: ignore[no-untyped-def]
        events = to_draft(state)
        state.a4.beeld = long_answer  # as a draft made of one very long answer would be
        return events

    monkeypatch.setattr(service.facilitator, "to_draft", drafting)
    outcome = service.handle(session_id, OWNER, ToDraft())
    beeld = service.state(session_id, OWNER).a4.beeld
    assert len(beeld) <= A4_MAX_CHARS["beeld"] and beeld.endswith("samen op.")
    assert long_answer.startswith(beeld)
    assert any("ingekort tot 8.000 tekens" in n for n in notices(outcome.events))


def test_the_page_shows_the_refusal_above_the_preview_and_the_reply_stays_small(
    service: ReflectionService, settings: Settings
) -> None:
    session_id, _ = service.start(owner=OWNER)
    page = handlers(service, settings)
    preview = page.edit("beeld")(session_id, "x" * 5_000_000, REQUEST)
    assert isinstance(preview, str) and len(preview) < 20_000
    assert "role='alert'" in preview and "Het beeld van goed werk is te lang" in preview
    # The edit's only output is the preview: the field in the page keeps all that was typed.


def test_an_export_waits_for_a_refused_edit(service: ReflectionService, settings: Settings) -> None:
    session_id, _ = service.start(owner=OWNER)
    page = handlers(service, settings)
    with pytest.raises(gr.Error, match="De titel is te lang"):
        page.save_a4(session_id, "t" * 300, "", "", "", REQUEST)


def test_the_page_says_each_limit_at_its_field(settings: Settings) -> None:
    from assistant.facilitator.questions import OPENING_KEYS
    from assistant.ui.layout import build_reflection_tab

    with gr.Blocks(), gr.Tabs():
        layout = build_reflection_tab([], {key: f"{key} …" for key in OPENING_KEYS}, 5.0)
    assert layout.titel.info == "Maximaal 200 tekens."
    assert layout.beeld.info == "Maximaal 8.000 tekens."
    assert all(field.max_length is None for field in layout.a4_fields.values())


def test_a_6000_pixel_upload_is_kept_downscaled_once(
    service: ReflectionService, tmp_path: Path
) -> None:
    session_id, _ = service.start(owner=OWNER)
    upload = tmp_path / "groot.png"
    Image.new("RGB", (6000, 6000), (30, 120, 60)).save(upload)
    outcome = service.attach_image(session_id, OWNER, upload)
    kept = service.image_path(outcome.state)
    assert kept is not None and kept.name == "afbeelding.png"
    with Image.open(kept) as im:
        assert max(im.size) == 2400
    result = service.export(session_id, OWNER, "pdf")
    assert result.path.stat().st_size > 0


def test_the_preview_carries_a_small_copy_of_the_picture_in_each_reply(
    service: ReflectionService, settings: Settings, tmp_path: Path
) -> None:
    session_id, _ = service.start(owner=OWNER)
    upload = tmp_path / "ruis.png"
    Image.effect_noise((1100, 1100), 80).convert("RGB").save(upload)  # about 3.6 MB
    assert 3_000_000 < upload.stat().st_size < 5_000_000
    outcome = service.attach_image(session_id, OWNER, upload)
    kept, shown = service.image_path(outcome.state), service.preview_image(outcome.state)
    assert kept is not None and kept.read_bytes() == upload.read_bytes()  # printed as it came
    assert shown is not None and shown.name == "voorbeeld.jpg"
    with Image.open(shown) as im:
        assert max(im.size) == 800
    preview = handlers(service, settings).edit("beeld")(session_id, "Wij samen.", REQUEST)
    assert "data:image/jpeg;base64," in preview and len(preview) < 600_000


def test_an_upload_answers_the_invitation_but_keeps_a_description(
    service: ReflectionService, tmp_path: Path
) -> None:
    """'Nog geen afbeelding: voeg een plaatje toe…' is gone once a picture is added; what the
    user wrote about the image stays."""
    upload = tmp_path / "brug.png"
    Image.new("RGB", (40, 30), (30, 120, 60)).save(upload)
    session_id, _ = service.start(owner=OWNER)
    assert service.handle(session_id, OWNER, ToDraft()).state.a4.afbeelding == NO_IMAGE_YET
    assert service.attach_image(session_id, OWNER, upload).state.a4.afbeelding == ""

    described, _ = service.start(owner=OWNER)
    service.handle(described, OWNER, ToDraft())
    service.handle(described, OWNER, Edit(part="afbeelding", value="Een brug in de mist."))
    outcome = service.attach_image(described, OWNER, upload)
    assert outcome.state.a4.afbeelding == "Een brug in de mist."

    # A picture added before the draft: the draft does not invite one either.
    early, _ = service.start(owner=OWNER)
    service.attach_image(early, OWNER, upload)
    assert service.handle(early, OWNER, ToDraft()).state.a4.afbeelding == ""
