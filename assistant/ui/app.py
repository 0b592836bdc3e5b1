"""The Gradio page: the reflection tab (chat, perspective map, spiegel, A4, collection) and the
team tabs.

`build_ui(service, settings)` lays the page out (`layout`), wires each control to its handler
(`handlers`) and adds the team tabs. All rules live in the service; per-user state is the
session id in a `gr.State` (one per browser tab).
"""

from __future__ import annotations

from functools import partial

import gradio as gr

from assistant.domain.perspectives import METHOD_ORDER
from assistant.domain.session import A4_FIELDS
from assistant.service import Back, ChoosePerspective, ReflectionService, Skip, ToDraft
from assistant.settings import Settings
from assistant.ui.blocks_panel import BlocksHandlers, tick
from assistant.ui.handlers import ReflectionHandlers
from assistant.ui.layout import ReflectionLayout, build_reflection_tab
from assistant.ui.page_head import TITLE
from assistant.ui.serving import CACHE_SWEEP_S, UPLOAD_LIFETIME_S, PageContext
from assistant.ui.team import build_team_tabs


def build_ui(service: ReflectionService, settings: Settings) -> gr.Blocks:
    """The whole page, wired to the service."""
    ctx = PageContext(service, settings)
    with gr.Blocks(
        title=TITLE,
        analytics_enabled=False,
        delete_cache=(CACHE_SWEEP_S, UPLOAD_LIFETIME_S),
    ) as page:
        gr.HTML(
            "<header class='paginakop'><h1>goedwerk · beelden van goed werk in samenwerking</h1>"
            "<p>Een gesprek in vragen, zonder adviezen. Alles blijft op deze computer. "
            + (
                ""
                if settings.server.logins()
                else "Je sessies horen bij deze browser: een andere browser ziet ze niet."
            )
            + "</p></header>",
            elem_id="paginakop",
        )
        with gr.Tabs(elem_id="hoofdtabs"):
            layout = build_reflection_tab(
                ctx.virtues, service.sentence_openings("ik"), settings.server.max_image_mb
            )
            build_team_tabs(ctx)
        handlers = ReflectionHandlers(ctx, layout)
        _wire_sessions(layout, handlers)
        _wire_conversation(layout, handlers)
        _wire_a4(layout, handlers)
        _wire_collection(layout, handlers)
        _wire_blocks(layout, BlocksHandlers(handlers, layout.blocks))
        page.load(
            handlers.opening,
            None,
            [layout.session_id, *layout.view_outputs()],
            api_visibility="private",
        )
    return page


def _wire_sessions(layout: ReflectionLayout, handlers: ReflectionHandlers) -> None:
    outputs = [layout.session_id, *layout.view_outputs()]
    layout.new_btn.click(
        handlers.start, [layout.wie, layout.moment], outputs, api_name="nieuwe_sessie"
    )
    layout.resume_btn.click(handlers.resume, [layout.sessions], outputs, api_name="hervat")
    confirmed = [layout.session_id, layout.confirm]
    layout.delete_btn.click(
        handlers.delete, confirmed, [*outputs, layout.confirm], api_name="verwijder"
    )
    layout.delete_all_btn.click(
        handlers.erase, confirmed, [*outputs, layout.confirm], api_name="wis_alles"
    )


def _wire_conversation(layout: ReflectionLayout, handlers: ReflectionHandlers) -> None:
    outputs = [layout.session_id, *layout.view_outputs()]
    typed = [layout.session_id, layout.text]
    layout.send_btn.click(handlers.send, typed, outputs, api_name="antwoord")
    layout.text.submit(handlers.send, typed, outputs, api_visibility="private")
    layout.situation_choice.input(
        handlers.choose,
        [layout.session_id, layout.situation_choice, layout.text],
        outputs,
        api_name="kies_situatie",
    )
    for button, make, name in (
        (layout.skip_btn, Skip, "overslaan"),
        (layout.back_btn, Back, "terug"),
        (layout.draft_btn, ToDraft, "concept"),
    ):
        button.click(handlers.acting(make), typed, outputs, api_name=name)
    for perspective, button in zip(METHOD_ORDER, layout.map_buttons, strict=True):
        button.click(
            handlers.acting(partial(ChoosePerspective, perspective=perspective)),
            typed,
            outputs,
            api_name=f"perspectief_{perspective.value}",
        )
    layout.virtues.input(
        handlers.pick_virtues, [layout.session_id, layout.virtues], None, api_name="deugden"
    )
    layout.dismiss_btn.click(handlers.dismiss, typed, outputs, api_name="verberg_spiegel")


def _wire_blocks(layout: ReflectionLayout, handlers: BlocksHandlers) -> None:
    panel = layout.blocks
    for group in panel.groups:
        group.input(tick, [panel.order, *panel.groups], panel.order, api_visibility="private")
    # An order typed by hand ticks what it names once the field is left (or Enter).
    for trigger in (panel.order.blur, panel.order.submit):
        trigger(
            handlers.set_order,
            [layout.session_id, panel.order],
            [*panel.groups, panel.note],
            api_visibility="private",
        )
    outputs = [layout.session_id, *layout.view_outputs()]
    shown = [layout.session_id, *panel.fields()]
    panel.build_btn.click(handlers.build, shown, outputs, api_name="bouwstenen")
    panel.take_btn.click(handlers.take_draft, shown, outputs, api_name="neem_concept")


def _wire_a4(layout: ReflectionLayout, handlers: ReflectionHandlers) -> None:
    for part in A4_FIELDS:
        field = layout.a4_fields[part]
        field.input(
            handlers.edit(part),
            [layout.session_id, field],
            layout.preview,
            trigger_mode="always_last",
            api_name=f"bewerk_{part}",
        )
        # A paste or a change the input event missed is stored when the field is left.
        field.blur(
            handlers.edit(part), [layout.session_id, field], layout.preview,
            api_visibility="private",
        )  # fmt: skip
    layout.title_pick.input(
        handlers.pick_title,
        [layout.session_id, layout.title_pick],
        [layout.titel, layout.preview],
        api_name="kies_titel",
    )
    layout.image.upload(
        handlers.upload,
        [layout.session_id, layout.image],
        [layout.image, layout.preview, layout.status, layout.a4_fields["afbeelding"]],
        api_name="afbeelding",
    )
    written = [layout.download, layout.export_status]
    shown = [layout.session_id, *layout.a4_fields.values()]
    for kind, button in layout.export_buttons.items():
        # What the fields show is stored first: no edit is ever missing from an export, and a
        # refused one (too long, a store error) stops the export.
        button.click(handlers.save_a4, shown, layout.preview, api_visibility="private").success(
            handlers.export(kind), [layout.session_id], written, api_name=f"export_{kind}"
        )
    for kind, button in layout.summary_buttons.items():  # "md", "pdf"
        button.click(handlers.save_a4, shown, layout.preview, api_visibility="private").success(
            handlers.summary(kind), [layout.session_id], written, api_name=f"samenvatting_{kind}"
        )


def _wire_collection(layout: ReflectionLayout, handlers: ReflectionHandlers) -> None:
    for trigger in (layout.use_initials.change, layout.consent.change):
        trigger(
            handlers.show_publication,
            [layout.session_id, layout.use_initials],
            [layout.publish_preview, layout.shared],
            api_visibility="private",
        )
    layout.publish_btn.click(
        handlers.publish,
        [layout.session_id, layout.use_initials, layout.consent, layout.publish_preview],
        [layout.status, layout.shared, layout.consent, layout.publish_preview],
        api_name="deel",
    )
    layout.unpublish_btn.click(
        handlers.unpublish,
        [layout.session_id, layout.shared],
        [layout.status, layout.shared],
        api_name="verwijder_uit_collectie",
    )
