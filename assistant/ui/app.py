"""The Gradio page: chat, perspective map, spiegel panel, virtue chips, A4 editor, exports.

`build_ui(service, settings)` only wires components to the service; all logic lives in the
service and in `views`. Per-user state is the session id in a `gr.State` (one per browser tab).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.domain.perspectives import METHOD_ORDER
from assistant.export.summary import export_summary
from assistant.facilitator.compose import fits_one_page
from assistant.facilitator.events import Notice
from assistant.service import (
    Action,
    Back,
    ChoosePerspective,
    ChooseSituation,
    ChooseVirtues,
    ConsentRequired,
    DismissMirror,
    Edit,
    ReflectionService,
    SetImage,
    Skip,
    ToDraft,
)
from assistant.sessions.store import StoreError
from assistant.settings import Settings
from assistant.ui import exports, views
from assistant.ui.access import personal_key, team_key
from assistant.ui.serving import PageContext, stream_reply
from assistant.ui.team import build_team_tabs

NONE_CHOICE = "0. Mijn situatie staat er niet bij"
# An uploaded image is copied into the data dir and its upload removed at once; Gradio's cache
# sweep (every CACHE_SWEEP_S, files older than UPLOAD_LIFETIME_S) catches any left behind by an
# upload whose handler never ran.
CACHE_SWEEP_S = 60
UPLOAD_LIFETIME_S = 300


def build_ui(service: ReflectionService, settings: Settings) -> gr.Blocks:
    """The whole page, wired to the service."""
    ctx = PageContext(service, settings)
    with gr.Blocks(
        title="goedwerk – beelden van goed werk",
        analytics_enabled=False,
        delete_cache=(CACHE_SWEEP_S, UPLOAD_LIFETIME_S),
    ) as page:
        session_id = gr.State(None)
        gr.Markdown(
            "## goedwerk · beelden van goed werk in samenwerking\n"
            "Een gesprek in vragen, zonder adviezen. Alles blijft op deze computer. "
            + (
                ""
                if settings.server.logins()
                else "Je sessies horen bij deze browser: een andere browser ziet ze niet."
            )
        )
        with gr.Tabs(elem_id="hoofdtabs"):
            with gr.Tab("Reflectie", id="reflectie"), gr.Row():
                with gr.Column(scale=1, min_width=250):
                    gr.Markdown("### Sessie")
                    wie = gr.Radio(["ik", "wij"], value="ik", label="Wie reflecteert?")
                    moment = gr.Radio(
                        [
                            ("een ervaring (achteraf)", "achteraf"),
                            ("een gesprek dat nog komt", "vooruit"),
                        ],
                        value="achteraf",
                        label="Waarover?",
                    )
                    new_btn = gr.Button("Nieuwe sessie", variant="primary", elem_id="nieuwe-sessie")
                    sessions = gr.Dropdown(choices=[], label="Eerdere sessies", elem_id="sessies")
                    resume_btn = gr.Button("Hervatten")
                    with gr.Accordion("Verwijderen", open=False):
                        confirm = gr.Checkbox(label="Ja, ik weet het zeker", value=False)
                        delete_btn = gr.Button("Deze sessie verwijderen", variant="stop")
                        delete_all_btn = gr.Button("Al mijn gegevens wissen", variant="stop")
                    gr.Markdown("### Perspectieven")
                    map_buttons = [
                        gr.Button(label, size="sm", elem_id=f"perspectief-{p.value}")
                        for p, label in zip(METHOD_ORDER, views.map_labels(None), strict=True)
                    ]
                with gr.Column(scale=3):
                    chat = gr.Chatbot(
                        label="Gesprek", height=520, render_markdown=False, elem_id="gesprek"
                    )
                    situation_choice = gr.Radio(
                        choices=[],
                        label="Kies een situatie",
                        visible=False,
                        elem_id="situatiekeuze",
                    )
                    virtues = gr.Dropdown(
                        choices=ctx.virtues,
                        multiselect=True,
                        label="Deugden die hier spelen (kies uit de deugdenlijst)",
                        visible=False,
                        elem_id="deugden",
                    )
                    text = gr.Textbox(
                        label="Jouw antwoord",
                        lines=3,
                        placeholder="Start eerst een nieuwe sessie.",
                        elem_id="antwoord",
                    )
                    with gr.Row():
                        send_btn = gr.Button("Verstuur", variant="primary", elem_id="verstuur")
                        skip_btn = gr.Button("Sla perspectief over")
                        back_btn = gr.Button("Terug")
                        draft_btn = gr.Button("Naar het A4", elem_id="naar-a4")
                    status = gr.Markdown("", elem_id="status")
                with gr.Column(scale=3), gr.Tabs(selected="spiegel") as tabs:
                    with gr.Tab("Spiegel", id="spiegel"):
                        mirror_md = gr.Markdown(views.mirror_panel(None, {}), elem_id="spiegel")
                        dismiss_btn = gr.Button("Verberg deze spiegel", size="sm", visible=False)
                    with gr.Tab("A4", id="a4", elem_id="tab-a4"):
                        title_pick = gr.Dropdown(
                            choices=[], label="Titelsuggesties", allow_custom_value=True
                        )
                        titel = gr.Textbox(label="Pakkende titel", elem_id="a4-titel")
                        ervaring = gr.Textbox(
                            label="Kenmerkende ervaring", lines=5, elem_id="a4-ervaring"
                        )
                        beeld = gr.Textbox(label="Beeld van goed werk", lines=7, elem_id="a4-beeld")
                        afbeelding = gr.Textbox(
                            label="Afbeelding (beschrijving of metafoor)", lines=2
                        )
                        limit = f"{settings.server.max_image_mb:g} MB"
                        image = gr.File(
                            label=f"Afbeelding uploaden (PNG of JPEG, max {limit})",
                            file_types=[".png", ".jpg", ".jpeg"],
                            type="filepath",
                        )
                        preview = gr.HTML(
                            views.a4_preview(None, None, True), elem_id="a4-voorbeeld"
                        )
                        with gr.Row():
                            pdf_btn = gr.Button("PDF", elem_id="export-pdf")
                            docx_btn = gr.Button("Word (DOCX)")
                            md_btn = gr.Button("Markdown")
                        with gr.Row():
                            summary_md_btn = gr.Button(
                                "Samenvatting voor je coach (Markdown)", size="sm"
                            )
                            summary_pdf_btn = gr.Button("Samenvatting (PDF)", size="sm")
                        export_status = gr.Markdown("", elem_id="export-status")
                        download = gr.HTML("", elem_id="download")
                    with gr.Tab("Collectie", id="collectie"):
                        gr.Markdown(
                            "Deel je beeld (anoniem) met latere gebruikers. Er wordt alleen "
                            "iets gedeeld als je hieronder toestemming geeft."
                        )
                        use_initials = gr.Checkbox(
                            label="Namen vervangen door initialen", value=True
                        )
                        publish_preview = gr.Markdown("")
                        consent = gr.Checkbox(
                            label="Ik geef toestemming om dit beeld te delen", value=False
                        )
                        publish_btn = gr.Button("Opslaan in de collectie")
                        shared = gr.Dropdown(choices=[], label="Gedeeld vanuit deze sessie")
                        unpublish_btn = gr.Button("Verwijder uit de collectie", variant="stop")
            build_team_tabs(service, ctx)

        a4_fields = [titel, ervaring, beeld, afbeelding]
        view_outputs: list[Any] = [
            chat, situation_choice, virtues, *map_buttons, mirror_md, dismiss_btn,
            title_pick, *a4_fields, preview, sessions, text, status, tabs,
        ]  # fmt: skip

        def render(
            sid: str | None,
            request: gr.Request | None,
            message: str = "",
            keep_text: str | None = None,
        ) -> list[Any]:
            state = ctx.state(sid, request)
            labels = views.map_labels(state)
            offered = state is not None and state.step == "keuze"
            situation_update = gr.update(
                choices=[f"{i}. {ctx.situations[s][0]}" for i, s in enumerate(state.offered, 1)]
                + [NONE_CHOICE]
                if offered and state
                else [],
                visible=offered,
                value=None,
            )
            on_values = (
                state is not None
                and state.current is not None
                and state.current.value == "waarden_deugden"
            )
            a4 = state.a4 if state else None
            fits = fits_one_page(a4) if a4 else True
            return [
                views.chat_messages(state) if state else [],
                situation_update,
                gr.update(visible=on_values, value=list(state.deugden) if state else []),
                *[gr.update(value=label) for label in labels],
                views.mirror_panel(state, ctx.situations),
                gr.update(visible=views.last_mirror_id(state) is not None),
                gr.update(choices=state.titles if state else [], value=None),
                a4.titel if a4 else "",
                a4.kenmerkende_ervaring if a4 else "",
                a4.beeld if a4 else "",
                a4.afbeelding if a4 else "",
                views.a4_preview(state, ctx.image_path(state), fits)
                if state and state.step == "concept"
                else views.a4_preview(None, None, True),
                gr.update(choices=ctx.session_choices(request), value=sid if state else None),
                gr.update(
                    value="" if keep_text is None else keep_text,
                    placeholder="Typ je antwoord…" if state else "Start eerst een nieuwe sessie.",
                ),
                message,
                gr.update(
                    selected="a4" if state is not None and state.step == "concept" else "spiegel"
                ),
            ]

        def start(w: str, m: str, request: gr.Request) -> list[Any]:
            try:
                sid, _ = service.start(w, m, owner=ctx.owner(request))  # type: ignore[arg-type]
            except StoreError as exc:
                return [None, *render(None, request, str(exc))]
            return [sid, *render(sid, request)]

        def resume(selected: str | None, request: gr.Request) -> list[Any]:
            if not selected or ctx.state(selected, request) is None:
                return [None, *render(None, request, "Kies eerst een sessie uit de lijst.")]
            return [selected, *render(selected, request, "Sessie hervat.")]

        def send(sid: str | None, typed: str, request: gr.Request) -> Iterator[list[Any]]:
            state = ctx.state(sid, request)
            if state is None or sid is None:
                yield render(
                    None,
                    request,
                    "Start eerst een nieuwe sessie; je tekst staat nog in het veld.",
                    keep_text=typed,
                )
                return
            if not typed.strip():
                yield render(sid, request, "Je antwoord is leeg.", keep_text=typed)
                return
            echo = render(sid, request, keep_text="")
            echo[0] = [*echo[0], {"role": "user", "content": views.as_text(typed)}]
            yield echo
            outcome: dict[str, Any] = {}
            for streamed in stream_reply(lambda sink: service.send(sid, typed, sink), outcome):
                partial = list(echo)
                partial[0] = [*echo[0], {"role": "assistant", "content": views.as_text(streamed)}]
                yield partial
            if "error" in outcome:
                error = outcome["error"]
                message = (
                    f"{error} Je tekst staat nog in het veld."
                    if isinstance(error, StoreError)  # a Dutch message for the user
                    else f"Er ging iets mis ({type(error).__name__}); "
                    "je tekst staat nog in het veld."
                )
                yield render(sid, request, message, keep_text=typed)
                return
            events = outcome["events"]
            notices = [e.text for e in events if isinstance(e, Notice) and "te lang" in e.text]
            yield render(
                sid, request, notices[0] if notices else "", keep_text=typed if notices else ""
            )

        def act(sid: str | None, action: Any, request: gr.Request, keep: str = "") -> list[Any]:
            if ctx.state(sid, request) is None or sid is None:
                return render(None, request, "Start eerst een nieuwe sessie.", keep_text=keep)
            try:
                service.act(sid, action)
            except StoreError as exc:
                return render(sid, request, str(exc), keep_text=keep)
            return render(sid, request, keep_text=keep)

        def choose(
            sid: str | None, choice: str | None, typed: str, request: gr.Request
        ) -> list[Any]:
            if not choice:
                return render(sid, request, keep_text=typed)
            return act(sid, ChooseSituation(index=int(choice.split(".", 1)[0])), request, typed)

        def acting(
            make: Callable[[], Action],
        ) -> Callable[[str | None, str, gr.Request], list[Any]]:
            def handler(sid: str | None, typed: str, request: gr.Request) -> list[Any]:
                return act(sid, make(), request, typed)

            return handler

        new_btn.click(start, [wie, moment], [session_id, *view_outputs], api_name="nieuwe_sessie")
        resume_btn.click(resume, [sessions], [session_id, *view_outputs], api_name="hervat")
        send_btn.click(send, [session_id, text], view_outputs, api_name="antwoord")
        text.submit(send, [session_id, text], view_outputs, api_visibility="private")
        situation_choice.input(
            choose, [session_id, situation_choice, text], view_outputs, api_name="kies_situatie"
        )
        for button, make, name in (
            (skip_btn, Skip, "overslaan"),
            (back_btn, Back, "terug"),
            (draft_btn, ToDraft, "concept"),
        ):
            button.click(acting(make), [session_id, text], view_outputs, api_name=name)
        for perspective, button in zip(METHOD_ORDER, map_buttons, strict=True):
            button.click(
                acting(partial(ChoosePerspective, perspective=perspective)),
                [session_id, text],
                view_outputs,
                api_name=f"perspectief_{perspective.value}",
            )

        def pick_virtues(sid: str | None, chosen: list[str], request: gr.Request) -> None:
            if sid is not None and ctx.state(sid, request) is not None:
                try:
                    service.act(sid, ChooseVirtues(virtues=chosen))
                except StoreError as exc:
                    raise gr.Error(str(exc)) from exc

        virtues.input(pick_virtues, [session_id, virtues], None, api_name="deugden")

        def dismiss(sid: str | None, typed: str, request: gr.Request) -> list[Any]:
            mirror = views.last_mirror_id(ctx.state(sid, request))
            if mirror is None:
                return render(sid, request, keep_text=typed)
            return act(sid, DismissMirror(mirror_id=mirror), request, typed)

        dismiss_btn.click(dismiss, [session_id, text], view_outputs, api_name="verberg_spiegel")

        def edit_part(part: str) -> Any:
            def handler(sid: str | None, value: str, request: gr.Request) -> Any:
                state = ctx.state(sid, request)
                if state is None or sid is None:
                    return gr.update()
                try:
                    service.act(sid, Edit(part=part, value=value))  # type: ignore[arg-type]
                except StoreError as exc:
                    # An error, not a stale preview: the field keeps the text; API callers see
                    # the call fail instead of a reply that looks like a saved edit.
                    raise gr.Error(f"{exc} Je tekst staat nog in het veld.") from exc
                state = service.state(sid)
                return views.a4_preview(state, ctx.image_path(state), fits_one_page(state.a4))

            return handler

        for part, field in zip(
            ("titel", "kenmerkende_ervaring", "beeld", "afbeelding"), a4_fields, strict=True
        ):
            field.input(
                edit_part(part),
                [session_id, field],
                preview,
                trigger_mode="always_last",
                api_name=f"bewerk_{part}",
            )

        def pick_title(sid: str | None, chosen: str | None, request: gr.Request) -> list[Any]:
            if not chosen:
                return [gr.update(), gr.update()]
            handler = edit_part("titel")
            return [chosen, handler(sid, chosen, request)]

        title_pick.input(
            pick_title, [session_id, title_pick], [titel, preview], api_name="kies_titel"
        )

        def upload(sid: str | None, path: str | None, request: gr.Request) -> list[Any]:
            state = ctx.state(sid, request)
            if state is None or sid is None or not path:
                if path:
                    Path(path).unlink(missing_ok=True)
                return [
                    None,
                    gr.update(),
                    "Start eerst een sessie om een afbeelding toe te voegen.",
                ]
            try:
                name = exports.store_image(
                    Path(path), settings.data_dir, sid, settings.server.max_image_mb
                )
            except exports.ImageRejected as exc:
                return [None, gr.update(), str(exc)]
            finally:
                # Gradio would serve its upload copy to anyone with the URL; ours is kept.
                Path(path).unlink(missing_ok=True)
            try:
                service.act(sid, SetImage(filename=name))
            except StoreError as exc:
                return [None, gr.update(), str(exc)]
            state = service.state(sid)
            return [
                None,
                views.a4_preview(state, ctx.image_path(state), fits_one_page(state.a4)),
                "Afbeelding toegevoegd.",
            ]

        image.upload(upload, [session_id, image], [image, preview, status], api_name="afbeelding")

        def export(kind: str) -> Any:
            def handler(sid: str | None, request: gr.Request) -> list[Any]:
                state = ctx.state(sid, request)
                if state is None or sid is None:
                    return [None, "Start eerst een sessie."]
                try:
                    result = exports.export_a4(
                        state, ctx.image_path(state), kind, settings.data_dir
                    )
                except exports.ExportFailed as exc:
                    return [None, str(exc)]
                # Served by our own route, to this session's owner only (see ui/access.py).
                return [views.download_anchor(sid, result.path), result.message]

            return handler

        pdf_btn.click(export("pdf"), [session_id], [download, export_status], api_name="export_pdf")
        docx_btn.click(
            export("docx"), [session_id], [download, export_status], api_name="export_docx"
        )
        md_btn.click(export("md"), [session_id], [download, export_status], api_name="export_md")

        def summary(kind: str) -> Any:
            def handler(sid: str | None, request: gr.Request) -> list[Any]:
                state = ctx.state(sid, request)
                if state is None or sid is None:
                    return ["", "Start eerst een sessie."]
                title = ctx.situations.get(state.situatie, (None, ""))[0]
                directory = exports.export_dir(settings.data_dir, sid)
                try:
                    directory.mkdir(parents=True, exist_ok=True)
                    path = export_summary(state, title, kind, directory)  # type: ignore[arg-type]
                except OSError as exc:
                    return ["", f"De samenvatting maken is niet gelukt: {exc.strerror or exc}."]
                return [
                    views.download_anchor(sid, path),
                    "Samenvatting gemaakt: een bestand om zelf aan je coach te geven.",
                ]

            return handler

        for button, kind in ((summary_md_btn, "md"), (summary_pdf_btn, "pdf")):
            button.click(
                summary(kind),
                [session_id],
                [download, export_status],
                api_name=f"samenvatting_{kind}",
            )

        def show_publication(sid: str | None, initials: bool, request: gr.Request) -> list[Any]:
            state = ctx.state(sid, request)
            if state is None or sid is None or state.step != "concept":
                return ["_Er is nog geen A4 om te delen._", gr.update(choices=[])]
            beeld_preview, names = service.publication_preview(sid, initials)
            found = ", ".join(names) if names else "geen"
            text_out = (
                f"**Zo wordt het opgeslagen:**\n\n**{views.escape_md(beeld_preview.titel)}**\n\n"
                f"{views.escape_md(beeld_preview.kenmerkende_ervaring)}\n\n"
                f"{views.escape_md(beeld_preview.beeld)}\n\n"
                f"_Mogelijke namen: {views.escape_md(found)}_"
            )
            shared_choices = [(b.titel, b.id) for b in service.published(sid)]
            return [text_out, gr.update(choices=shared_choices)]

        for trigger in (use_initials.change, consent.change):
            trigger(
                show_publication,
                [session_id, use_initials],
                [publish_preview, shared],
                api_visibility="private",
            )

        def publish(sid: str | None, initials: bool, given: bool, request: gr.Request) -> list[Any]:
            state = ctx.state(sid, request)
            if state is None or sid is None or state.step != "concept":
                return ["Maak eerst het A4 af.", gr.update(), False]
            try:
                stored = service.publish(sid, consent=given, use_initials=initials)
            except ConsentRequired as exc:
                return [str(exc) + " Vink eerst de toestemming aan.", gr.update(), False]
            except ValueError as exc:
                return [str(exc), gr.update(), False]
            choices = [(b.titel, b.id) for b in service.published(sid)]
            return [
                f"Gedeeld in de collectie: “{views.escape_md(stored.titel)}”.",
                gr.update(choices=choices, value=stored.id),
                False,
            ]

        publish_btn.click(
            publish, [session_id, use_initials, consent], [status, shared, consent], api_name="deel"
        )

        def unpublish(sid: str | None, beeld_id: str | None, request: gr.Request) -> list[Any]:
            if ctx.state(sid, request) is None or sid is None or not beeld_id:
                return ["Kies eerst een gedeeld beeld.", gr.update()]
            if all(b.id != beeld_id for b in service.published(sid)):
                return ["Dit beeld hoort niet bij deze sessie.", gr.update()]
            service.unpublish(beeld_id)
            return [
                "Verwijderd uit de collectie.",
                gr.update(choices=[(b.titel, b.id) for b in service.published(sid)], value=None),
            ]

        unpublish_btn.click(
            unpublish, [session_id, shared], [status, shared], api_name="verwijder_uit_collectie"
        )

        def delete(sid: str | None, sure: bool, request: gr.Request) -> list[Any]:
            if not sure:
                return [
                    sid,
                    *render(sid, request, "Vink eerst ‘Ja, ik weet het zeker’ aan."),
                    False,
                ]
            if ctx.state(sid, request) is None or sid is None:
                return [None, *render(None, request, "Er is geen sessie geopend."), False]
            for shared_beeld in service.published(sid):
                service.unpublish(shared_beeld.id)
            service.delete(sid)
            exports.remove_session_files(settings.data_dir, sid)
            return [None, *render(None, request, "De sessie is verwijderd."), False]

        def forget_teams(owner: str) -> None:
            """Leave every team one joined, delete every team one leads, and one's guides."""
            exports.remove_session_files(settings.data_dir, personal_key(owner))
            teams = service.teams
            if teams is None:
                return
            for team in teams.teams_of(owner):
                if team.coach == owner:
                    teams.delete_team(team.id, owner)
                    exports.remove_session_files(settings.data_dir, team_key(team.id))
                else:
                    teams.leave(team.id, owner)

        def delete_all(sid: str | None, sure: bool, request: gr.Request) -> list[Any]:
            if not sure:
                return [
                    sid,
                    *render(sid, request, "Vink eerst ‘Ja, ik weet het zeker’ aan."),
                    False,
                ]
            owner = ctx.owner(request)
            forget_teams(owner)
            for summary in service.list_sessions(owner):
                for shared_beeld in service.published(summary.id):
                    service.unpublish(shared_beeld.id)
                service.delete(summary.id)
                exports.remove_session_files(settings.data_dir, summary.id)
            return [None, *render(None, request, "Al je gegevens zijn gewist."), False]

        delete_btn.click(
            delete,
            [session_id, confirm],
            [session_id, *view_outputs, confirm],
            api_name="verwijder",
        )
        delete_all_btn.click(
            delete_all,
            [session_id, confirm],
            [session_id, *view_outputs, confirm],
            api_name="wis_alles",
        )

        def opening(request: gr.Request) -> list[Any]:
            return render(None, request)

        page.load(opening, None, view_outputs, api_visibility="private")
    return page
