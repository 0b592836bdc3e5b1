"""What the page carries besides its components: Dutch metadata, the page's script and CSS.

The script does only what Gradio cannot be told to do: it gives Gradio's English labels and
texts (aria-label, title, the upload box) a Dutch one, names what a screen reader would hear
unnamed or as symbols, makes status lines live, adds a skip link, makes the answer box
keyboard-first (Enter sends, Shift+Enter a new line, focus back in the box after each answer,
on the A4's preview once the A4 is ready), closes an open list on Escape or Tab, has a paste
stored like a keystroke, and on a phone folds the settings once a session is open. Every rule
stays on the server; nothing here stores anything itself.
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TITLE = "goedwerk – beelden van goed werk"
DESCRIPTION = (
    "Reflectie-assistent voor grenswerkers: een gesprek in vragen, zonder adviezen, "
    "dat eindigt met je eigen beeld van goed werk op één A4."
)

# Gradio's English labels and texts on this page, in Dutch.
LABELS = {
    "Copy conversation": "Gesprek kopiëren",
    "Copy message": "Bericht kopiëren",
    "Copy": "Kopiëren",
    "Copied!": "Gekopieerd",
    "Copied": "Gekopieerd",
    "Clear": "Wissen",
    "Share": "Delen",
    "bot's message": "bericht van goedwerk",
    "user's message": "jouw bericht",
    "Click to upload or drop files": "Klik om een bestand te kiezen of sleep het hierheen",
    "More tabs": "Meer tabbladen",
    "Scroll down": "Naar beneden",
    "Scroll to bottom": "Naar beneden",
    "Dropdown": "Keuzelijst",
    "Remove": "Verwijderen",
    "Remove All": "Alles verwijderen",
    "Clear selection": "Keuze wissen",
    "Download": "Downloaden",
    "Submit": "Verzenden",
    "Loading...": "Laden…",
    "Loading": "Laden",
    "Chatbot": "Gesprek",
    "chatbot conversation": "gesprek",
    "Close": "Sluiten",
    "Error": "Fout",
    "Drop File Here": "Sleep een bestand hierheen",
    "Click to Upload": "Klik om te uploaden",
    "- or -": "- of -",
    "Retry": "Opnieuw",
    "Undo": "Ongedaan maken",
    "Edit": "Bewerken",
    "Like": "Goed",
    "Dislike": "Niet goed",
    "Open menu": "Menu openen",
    "Toggle": "Openen of sluiten",
}

_SCRIPT = """
(() => {
  const LABELS = __LABELS__;
  const ANSWER = "#antwoord textarea";
  const LIVE = ["status", "bouwstenen-melding", "export-status", "team-status", "coach-status"];
  const USER_TEXT =
    ".message-row, .prose, .a4-page, .team-card, textarea, input, [contenteditable]";

  function translate(root) {
    if (document.documentElement.lang !== "nl") document.documentElement.lang = "nl";
    for (const el of root.querySelectorAll("[aria-label], [title], [placeholder]")) {
      for (const attr of ["aria-label", "title", "placeholder"]) {
        const value = el.getAttribute(attr);
        if (value && LABELS[value.trim()]) el.setAttribute(attr, LABELS[value.trim()]);
      }
    }
    // Texts Gradio writes as plain text (the upload box); never what a user wrote.
    const walker = document.createTreeWalker(root.body || root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.closest(USER_TEXT)) continue;
      const dutch = LABELS[node.nodeValue.trim()];
      if (dutch) node.nodeValue = node.nodeValue.replace(node.nodeValue.trim(), dutch);
    }
  }

  function skipLink() {
    if (document.getElementById("naar-gesprek")) return;
    const app = document.querySelector("gradio-app");
    if (!app || !document.querySelector("#antwoord")) return;
    const link = document.createElement("a");
    link.id = "naar-gesprek";
    link.className = "skip-link";
    link.href = "#antwoord";
    link.textContent = "Naar het gesprek";
    link.addEventListener("click", (event) => {
      event.preventDefault();
      focusAnswer();
    });
    document.body.insertBefore(link, document.body.firstChild);
  }

  function focusAnswer() {
    const box = document.querySelector(ANSWER);
    if (box && !box.disabled) {
      box.focus({ preventScroll: false });
      box.scrollIntoView({ block: "nearest" });
    }
  }

  // Focus goes to the answer box once the page has shown the reply to a click or an Enter:
  // when the box is enabled and empty again, and Gradio shows no progress any more.
  let focusPending = false;
  let focusTimer = null;
  function expectReply() {
    focusPending = true;
    clearInterval(focusTimer);
    let tries = 0;
    focusTimer = setInterval(() => {
      if (!focusPending || ++tries > 100) clearInterval(focusTimer); else tryFocus();
    }, 150);
  }
  function tryFocus() {
    const box = document.querySelector(ANSWER);
    const busy = document.querySelector(".progress-text, .eta-bar, #gesprek .pending");
    if (!box || box.disabled || busy || box.value !== "") return;
    focusPending = false;
    focusAnswer();
  }

  // When the A4 is ready the answer box takes no more text; the focus it had would fall to
  // the top of the page, so it goes to the A4's preview instead.
  let answerHadFocus = false;
  document.addEventListener("focusin", (event) => {
    answerHadFocus = !!event.target.closest?.("#antwoord");
  });
  function keepFocus() {
    const box = document.querySelector(ANSWER);
    if (!answerHadFocus || !box?.disabled) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    const a4 = document.querySelector("#a4-voorbeeld .a4-page[tabindex]");
    if (a4 && a4.offsetParent !== null) {
      answerHadFocus = false;
      a4.focus();
    }
  }

  document.addEventListener("click", (event) => {
    // After the building-block panel's buttons the title question is asked in the chat.
    if (event.target.closest("#nieuwe-sessie, #verstuur, #hervat, #maak-beeld, #neem-concept")) {
      expectReply();
    }
  }, true);

  // Enter sends, Shift+Enter makes a new line (Gradio does the opposite in a multi-line box).
  for (const type of ["keydown", "keypress"]) {
    window.addEventListener(type, (event) => {
      if (event.key !== "Enter" || event.isComposing) return;
      const target = event.target;
      if (!(target instanceof HTMLTextAreaElement) || !target.closest("#antwoord")) return;
      event.stopImmediatePropagation();
      if (event.shiftKey) return;  // the browser's own new line
      event.preventDefault();
      if (type === "keydown" && target.value.trim()) {
        expectReply();
        document.querySelector("#verstuur")?.click();
      }
    }, true);
  }

  // A list that is open closes with Escape, and when Tab leaves it (Gradio's own Tab handling
  // keeps it open over the controls below).
  const LIST_INPUT = "input[role=combobox]";
  window.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.matches(LIST_INPUT)) return;
    if (event.key === "Escape") {
      event.stopImmediatePropagation();
      input.blur();
    } else if (event.key === "Tab") {
      event.stopImmediatePropagation();  // the browser moves the focus; the blur closes it
    }
  }, true);

  // A pasted text is stored at once: Gradio's input event misses a paste, so the field is
  // left and entered again (its blur event stores it), with the caret where it was.
  document.addEventListener("paste", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLTextAreaElement || box instanceof HTMLInputElement)) return;
    if (box.matches(LIST_INPUT) || box.closest("#antwoord")) return;
    setTimeout(() => {
      const [start, end] = [box.selectionStart, box.selectionEnd];
      box.blur();
      box.focus();
      if (start !== null && end !== null) box.setSelectionRange(start, end);
    }, 0);
  }, true);

  // A region that scrolls is reachable by keyboard and says what it holds.
  function scrollRegions() {
    for (const region of document.querySelectorAll("#gesprek .bubble-wrap")) {
      if (!region.hasAttribute("tabindex")) {
        region.setAttribute("tabindex", "0");
        region.setAttribute("role", "log");
        region.setAttribute("aria-label", "Gesprek");
      }
    }
  }

  // What a screen reader hears of Gradio's own parts: a group of choices is named by its
  // label, an open-or-closed section says which it is (not "down-pointing triangle"), a
  // decorative icon is silent, and a perspective button says its progress in words.
  function names() {
    for (const group of document.querySelectorAll("fieldset, [role=group]")) {
      if (group.hasAttribute("aria-label") || group.hasAttribute("aria-labelledby")) continue;
      const label = group.querySelector("[data-testid=block-info]")?.innerText.trim();
      if (label) group.setAttribute("aria-label", label);
    }
    for (const toggle of document.querySelectorAll("button.label-wrap")) {
      const open = String(toggle.classList.contains("open"));
      if (toggle.getAttribute("aria-expanded") !== open) toggle.setAttribute("aria-expanded", open);
      for (const icon of toggle.querySelectorAll(".icon")) icon.setAttribute("aria-hidden", "true");
    }
    for (const icon of document.querySelectorAll("svg:not([aria-hidden]):not([aria-label])")) {
      if (!icon.querySelector("title")) icon.setAttribute("aria-hidden", "true");
    }
    const toBlocks = document.querySelector('#snelmenu a[data-naar="bouwstenen"]');
    const inBlocks = document.querySelector("#bouwstenen")?.offsetParent != null;
    if (toBlocks && toBlocks.hidden === inBlocks) toBlocks.hidden = !inBlocks;
    for (const button of document.querySelectorAll("[id^=perspectief-]")) {
      const text = button.innerText.trim();
      if (button.dataset.gelezen === text) continue;
      button.dataset.gelezen = text;
      const name = text.replace(/[▶●○]/g, "").replace("(overgeslagen)", "").trim();
      const done = (text.match(/●/g) || []).length;
      const parts = [`${name}: ${done} van 3 vragen beantwoord`];
      if (text.includes("▶")) parts.push("nu aan de beurt");
      if (text.includes("(overgeslagen)")) parts.push("overgeslagen");
      button.setAttribute("aria-label", parts.join(", "));
    }
  }

  // Status lines are announced when they change (a screen reader hears the note without
  // moving there).
  function liveRegions() {
    for (const id of LIVE) {
      const el = document.getElementById(id);
      if (el && !el.hasAttribute("aria-live")) {
        el.setAttribute("role", "status");
        el.setAttribute("aria-live", "polite");
      }
    }
  }

  // An export downloads in one click: its link, once shown, is followed at once.
  function downloads() {
    for (const link of document.querySelectorAll("a[data-vanzelf]")) {
      link.removeAttribute("data-vanzelf");
      link.click();
    }
  }

  // On a phone the conversation comes first: the settings fold away once a session is open
  // (once per page; the user may open them again), and the menu at the top leads to the A4
  // and to the settings in one tap.
  const PHONE = window.matchMedia("(max-width: 700px)");
  const SETTINGS = "#instellingen > button.label-wrap, #instellingen > .label-wrap";
  let folded = false;
  function foldSettings() {
    if (folded || !PHONE.matches) return;
    const box = document.querySelector(ANSWER);
    const toggle = document.querySelector(SETTINGS);
    if (!box || box.disabled || !toggle) return;
    folded = true;
    if (toggle.classList.contains("open")) toggle.click();
  }
  document.addEventListener("click", (event) => {
    const link = event.target.closest("#snelmenu a[data-naar]");
    if (!link) return;
    event.preventDefault();
    if (link.dataset.naar === "bouwstenen") {
      document.querySelector("#bouwstenen")?.scrollIntoView();
      document.querySelector("#bouwstenen input[type=checkbox]")?.focus();
    } else if (link.dataset.naar === "a4") {
      const tab = document.querySelector('#paneel [role=tab][data-tab-id="a4"]');
      tab?.click();
      document.querySelector("#kolom-paneel")?.scrollIntoView();
      tab?.focus();
    } else {
      const toggle = document.querySelector(SETTINGS);
      if (toggle && !toggle.classList.contains("open")) toggle.click();
      toggle?.scrollIntoView();
      toggle?.focus();
    }
  });

  const observer = new MutationObserver(() => {
    translate(document);
    skipLink();
    scrollRegions();
    liveRegions();
    names();
    keepFocus();
    downloads();
    foldSettings();
    if (focusPending) tryFocus();
  });
  const start = () => {
    observer.observe(document.body, { childList: true, subtree: true, attributes: true,
      characterData: true,
      attributeFilter: ["aria-label", "title", "placeholder", "class", "disabled"] });
    names();
    translate(document);
  };
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
"""


def head() -> str:
    """The page's extra <head>: its description and the page script."""
    script = _SCRIPT.replace("__LABELS__", json.dumps(LABELS, ensure_ascii=False))
    return f'<meta name="description" content="{DESCRIPTION}">\n<script>{script}</script>'


_REPLACEMENTS = (
    (b'lang="en"', b'lang="nl"'),
    (b'content="Gradio"', f'content="{TITLE}"'.encode()),
    (b'content="Click to try out the app!"', f'content="{DESCRIPTION}"'.encode()),
)


class DutchPageMiddleware:
    """Serves the page's HTML as Dutch from its first byte: `lang="nl"`, a Dutch title and
    description instead of Gradio's English defaults (screen readers and link previews read
    these before any script runs)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body: list[bytes] = []

        async def rewrite(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                html = headers.get("content-type", "").startswith("text/html")
                if html and "content-encoding" not in headers:
                    start = message
                    return
                await send(message)
            elif start is not None:
                body.append(message.get("body", b""))
                if not message.get("more_body", False):
                    page = b"".join(body)
                    for old, new in _REPLACEMENTS:
                        page = page.replace(old, new)
                    headers = MutableHeaders(scope=start)
                    headers["content-length"] = str(len(page))
                    await send(start)
                    await send({"type": "http.response.body", "body": page})
            else:
                await send(message)

        await self.app(scope, receive, rewrite)
