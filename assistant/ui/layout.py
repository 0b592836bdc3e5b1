"""The reflection tab's components, laid out; no handlers here (see `handlers`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import gradio as gr

from assistant.domain.perspectives import METHOD_ORDER
from assistant.service import A4_MAX_CHARS, dutch_number
from assistant.ui import views
from assistant.ui.blocks_panel import (
    BLOCKS_API_FIELDS,
    BlocksPanel,
    build_blocks_panel,
    panel_updates,
)
from assistant.ui.render import EMPTY_MAP, PageView, read_named


@dataclass
class ReflectionLayout:
    """Every component of the reflection tab, by name."""

    session_id: gr.State
    wie: gr.Radio
    moment: gr.Radio
    new_btn: gr.Button
    sessions: gr.Dropdown
    resume_btn: gr.Button
    confirm: gr.Checkbox
    delete_btn: gr.Button
    delete_all_btn: gr.Button
    map_buttons: list[gr.Button]
    chat: gr.Chatbot
    situation_choice: gr.Radio
    virtues: gr.Dropdown
    text: gr.Textbox
    send_btn: gr.Button
    skip_btn: gr.Button
    back_btn: gr.Button
    draft_btn: gr.Button
    status: gr.Markdown
    steps: gr.HTML
    tabs: gr.Tabs
    mirror_md: gr.Markdown
    dismiss_btn: gr.Button
    title_pick: gr.Dropdown
    titel: gr.Textbox
    ervaring: gr.Textbox
    beeld: gr.Textbox
    afbeelding: gr.Textbox
    image: gr.File
    preview: gr.HTML
    export_buttons: dict[str, gr.Button]
    summary_buttons: dict[Literal["md", "pdf"], gr.Button]
    export_status: gr.Markdown
    download: gr.HTML
    use_initials: gr.Checkbox
    publish_preview: gr.Markdown
    consent: gr.Checkbox
    publish_btn: gr.Button
    shared: gr.Dropdown
    unpublish_btn: gr.Button
    blocks: BlocksPanel

    @property
    def a4_fields(self) -> dict[str, gr.Textbox]:
        """The four A4 text boxes by A4 part."""
        return {
            "titel": self.titel,
            "kenmerkende_ervaring": self.ervaring,
            "beeld": self.beeld,
            "afbeelding": self.afbeelding,
        }

    @property
    def action_buttons(self) -> list[gr.Button]:
        """The conversation's buttons that act only on an open session."""
        return [self.send_btn, self.skip_btn, self.back_btn, self.draft_btn]

    def view_outputs(self) -> list[Any]:
        """The components a `PageView` updates, in a fixed order (the API's output order)."""
        return [
            self.chat, self.situation_choice, self.virtues, *self.map_buttons, self.mirror_md,
            self.dismiss_btn, self.title_pick, *self.a4_fields.values(), self.preview,
            self.sessions, self.text, self.status, self.tabs, self.wie, self.moment, self.steps,
            self.consent, self.resume_btn, *self.action_buttons, self.summary_buttons["md"],
            self.new_btn, *self.blocks.outputs(),
        ]  # fmt: skip


# The names of the view's outputs that an API client receives, in order (buttons, tabs and
# the session state are not sent): a client can read a reply by name with `named`.
API_FIELDS = (
    "chat", "situation_choice", "virtues", "mirror_md", "title_pick", "titel",
    "kenmerkende_ervaring", "beeld", "afbeelding", "preview", "sessions", "text", "status",
    "wie", "moment", "steps", "consent", *BLOCKS_API_FIELDS,
)  # fmt: skip


def named(result: tuple[Any, ...] | list[Any]) -> dict[str, Any]:
    """An API reply of a view-returning endpoint as a dict by field name."""
    return read_named(API_FIELDS, result)


def updates(layout: ReflectionLayout, view: PageView) -> dict[Any, Any]:
    """The view as Gradio updates keyed by component; parts the view leaves alone are left out."""
    out: dict[Any, Any] = {
        layout.chat: view.chat,
        layout.virtues: gr.update(value=view.virtues)
        if view.virtues_shown is None
        else gr.update(visible=view.virtues_shown, value=view.virtues),
        layout.mirror_md: view.mirror_panel,
        layout.dismiss_btn: gr.update(visible=view.mirror_shown),
        layout.title_pick: gr.update(choices=view.titles, value=None),
        layout.titel: view.titel,
        layout.ervaring: view.kenmerkende_ervaring,
        layout.beeld: view.beeld,
        layout.afbeelding: view.afbeelding,
        layout.preview: view.preview,
        layout.sessions: gr.update(choices=view.sessions, value=view.session_id),
        layout.text: gr.update(
            value=view.typed,
            placeholder=view.placeholder,
            label=view.labels.answer,
            interactive=view.answering,
        ),
        layout.status: view.status,
        layout.steps: view.steps,
        layout.consent: gr.update(label=view.labels.consent),
        layout.summary_buttons["md"]: gr.update(value=view.labels.summary),
        layout.resume_btn: gr.update(interactive=bool(view.sessions)),
        # One primary action at a time: starting, until a session is open; then sending.
        layout.new_btn: gr.update(
            variant="secondary" if view.session_id is not None else "primary"
        ),
        # While the building blocks are open, the panel's button is the primary one.
        layout.send_btn: gr.update(
            interactive=view.answering, variant="secondary" if view.blocks else "primary"
        ),
        # Buttons that cannot act are disabled; from the staart on skipping has no perspective
        # left, and while the beeld is written going back is not offered.
        layout.skip_btn: gr.update(interactive=view.can_skip, visible=not view.past_romp),
        layout.back_btn: gr.update(interactive=view.can_go_back, visible=not view.writing),
        layout.draft_btn: gr.update(
            interactive=view.session_id is not None and not view.drafted,
            visible=view.blocks is None,
        ),
        **panel_updates(layout.blocks, view.blocks, view.labels, view.blocks_fill),
    }
    if view.wie is not None:
        out[layout.wie] = view.wie
        out[layout.moment] = view.moment
    else:
        out[layout.wie] = gr.update()
        out[layout.moment] = gr.update()
    for button, label in zip(layout.map_buttons, view.map_labels, strict=True):
        out[button] = gr.update(value=label, interactive=view.in_romp)
    if view.situations is not None:
        out[layout.situation_choice] = gr.update(
            choices=view.situations, visible=bool(view.situations), value=None
        )
    if view.tab is not None:
        out[layout.tabs] = gr.update(selected=view.tab)
    return out


def build_reflection_tab(
    virtues: list[str], openings: dict[str, str], max_image_mb: float
) -> ReflectionLayout:
    """Lay out the reflection tab (inside an open `gr.Tabs`); `openings`: the beeld's
    sentence openings, by key."""
    with gr.Tab("Reflectie", id="reflectie"):
        # Inside the tab: a component beside the tabs themselves would shift the tab bar's
        # count, and Gradio then shows the selected team tab twice.
        session_id = gr.State(None)
        with gr.Row(elem_id="reflectie-rij"):
            with gr.Column(scale=1, min_width=250, elem_id="kolom-sessie"):
                session = _session_column()
            with gr.Column(scale=3, elem_id="kolom-gesprek"):
                conversation = _conversation_column(virtues)
            with gr.Column(scale=3, elem_id="kolom-paneel"):
                blocks = build_blocks_panel(openings)
                with gr.Tabs(selected="spiegel", elem_id="paneel") as tabs:
                    with gr.Tab("Situatie", id="spiegel"):
                        mirror_md = gr.Markdown(views.mirror_panel(None, {}), elem_id="spiegel")
                    with gr.Tab("A4", id="a4", elem_id="tab-a4"):
                        a4 = _a4_tab(max_image_mb)
                    with gr.Tab("Collectie", id="collectie"):
                        collection = _collection_tab()
    parts = {**session, **conversation, **a4, **collection}
    return ReflectionLayout(
        session_id=session_id, tabs=tabs, mirror_md=mirror_md, blocks=blocks, **parts
    )


def _session_column() -> dict[str, Any]:
    # Open on a desktop; on a phone the page script folds it once a session is open, so the
    # conversation comes first (see page_head).
    with gr.Accordion("Sessie en instellingen", open=True, elem_id="instellingen"):
        wie = gr.Radio(["ik", "wij"], value="ik", label="Wie reflecteert?")
        moment = gr.Radio(
            [("een ervaring (achteraf)", "achteraf"), ("een gesprek dat nog komt", "vooruit")],
            value="achteraf",
            label="Waarover?",
        )
        new_btn = gr.Button("Nieuwe sessie", variant="primary", elem_id="nieuwe-sessie")
        sessions = gr.Dropdown(choices=[], label="Eerdere sessies", elem_id="sessies")
        resume_btn = gr.Button("Hervatten", interactive=False, elem_id="hervat")
        with gr.Accordion("Verwijderen", open=False):
            confirm = gr.Checkbox(label="Ja, ik weet het zeker", value=False)
            delete_btn = gr.Button("Deze sessie verwijderen", variant="stop")
            delete_all_btn = gr.Button("Al mijn gegevens wissen", variant="stop")
    gr.Markdown("## Perspectieven")
    map_buttons = [
        gr.Button(label, size="sm", interactive=False, elem_id=f"perspectief-{p.value}")
        for p, label in zip(METHOD_ORDER, EMPTY_MAP, strict=True)
    ]
    return {
        "wie": wie, "moment": moment, "new_btn": new_btn, "sessions": sessions,
        "resume_btn": resume_btn, "confirm": confirm, "delete_btn": delete_btn,
        "delete_all_btn": delete_all_btn, "map_buttons": map_buttons,
    }  # fmt: skip


def _conversation_column(virtues: list[str]) -> dict[str, Any]:
    # On a phone (only there) the A4 and the folded settings are one tap away.
    gr.HTML(views.PHONE_MENU, elem_id="snelmenu-vak")
    steps = gr.HTML(views.steps(None), elem_id="stappen")
    chat = gr.Chatbot(
        label="Gesprek",
        show_label=False,
        height=520,
        render_markdown=False,
        buttons=["copy_all"],
        placeholder=views.OPENING_CARD,
        elem_id="gesprek",
    )
    dismiss_btn = gr.Button(
        "Verberg deze spiegel", size="sm", visible=False, elem_id="verberg-spiegel"
    )
    situation_choice = gr.Radio(
        choices=[], label="Kies een situatie", visible=False, elem_id="situatiekeuze"
    )
    virtue_box = gr.Dropdown(
        choices=virtues,
        multiselect=True,
        label="Deugden die hier spelen (kies uit de deugdenlijst)",
        visible=False,
        elem_id="deugden",
    )
    text = gr.Textbox(
        label=views.LABELS["ik"].answer,
        lines=3,
        placeholder=views.NO_SESSION_PLACEHOLDER,
        interactive=False,
        elem_id="antwoord",
    )
    with gr.Row():
        send_btn = gr.Button("Verstuur", variant="primary", interactive=False, elem_id="verstuur")
        skip_btn = gr.Button("Sla perspectief over", interactive=False, elem_id="overslaan")
        back_btn = gr.Button("Terug", interactive=False, elem_id="terug")
        draft_btn = gr.Button("Naar het A4", interactive=False, elem_id="naar-a4")
    status = gr.Markdown("", elem_id="status")
    return {
        "steps": steps, "chat": chat, "dismiss_btn": dismiss_btn,
        "situation_choice": situation_choice, "virtues": virtue_box, "text": text,
        "send_btn": send_btn, "skip_btn": skip_btn, "back_btn": back_btn,
        "draft_btn": draft_btn, "status": status,
    }  # fmt: skip


def _a4_tab(max_image_mb: float) -> dict[str, Any]:
    title_pick = gr.Dropdown(choices=[], label="Titelsuggesties", allow_custom_value=True)
    # The service's limits, shown; no maxlength, which would cut a paste off unseen.
    most = {part: f"Maximaal {dutch_number(n)} tekens." for part, n in A4_MAX_CHARS.items()}
    titel = gr.Textbox(label="Pakkende titel", info=most["titel"], elem_id="a4-titel")
    ervaring = gr.Textbox(
        label="Kenmerkende ervaring",
        info=most["kenmerkende_ervaring"],
        lines=5,
        elem_id="a4-ervaring",
    )
    beeld = gr.Textbox(label="Beeld van goed werk", info=most["beeld"], lines=7, elem_id="a4-beeld")
    afbeelding = gr.Textbox(
        label="Afbeelding (beschrijving of metafoor)",
        info=most["afbeelding"],
        lines=2,
        elem_id="a4-afbeelding",
    )
    image = gr.File(
        label=f"Afbeelding uploaden (PNG of JPEG, max {max_image_mb:g} MB)",
        file_types=[".png", ".jpg", ".jpeg"],
        type="filepath",
        elem_id="a4-afbeelding-upload",
    )
    preview = gr.HTML(views.a4_preview(None, None, True), elem_id="a4-voorbeeld")
    with gr.Row():
        export_buttons = {
            "pdf": gr.Button("PDF", elem_id="export-pdf"),
            "docx": gr.Button("Word (DOCX)", elem_id="export-docx"),
            "md": gr.Button("Markdown", elem_id="export-md"),
        }
    with gr.Row():
        summary_buttons = {
            "md": gr.Button(views.LABELS["ik"].summary, size="sm"),
            "pdf": gr.Button("Samenvatting (PDF)", size="sm"),
        }
    return {
        "title_pick": title_pick, "titel": titel, "ervaring": ervaring, "beeld": beeld,
        "afbeelding": afbeelding, "image": image, "preview": preview,
        "export_buttons": export_buttons, "summary_buttons": summary_buttons,
        "export_status": gr.Markdown("", elem_id="export-status"),
        "download": gr.HTML("", elem_id="download"),
    }  # fmt: skip


def _collection_tab() -> dict[str, Any]:
    gr.Markdown(
        "Deel je beeld (anoniem) met latere gebruikers. Er wordt alleen "
        "iets gedeeld als je hieronder toestemming geeft."
    )
    use_initials = gr.Checkbox(
        label="Vervangen: namen door initialen; plaatsen, organisaties, telefoonnummers en "
        "e-mailadressen door [plaats], [organisatie], …",
        value=True,
    )
    publish_preview = gr.Markdown("")
    consent = gr.Checkbox(label=views.LABELS["ik"].consent, value=False, elem_id="toestemming")
    publish_btn = gr.Button("Opslaan in de collectie")
    shared = gr.Dropdown(choices=[], label="Gedeeld vanuit deze sessie")
    unpublish_btn = gr.Button("Verwijder uit de collectie", variant="stop")
    return {
        "use_initials": use_initials, "publish_preview": publish_preview, "consent": consent,
        "publish_btn": publish_btn, "shared": shared, "unpublish_btn": unpublish_btn,
    }  # fmt: skip
