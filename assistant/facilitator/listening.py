"""Listening: what in a user's turn a facilitator would take up.

A human facilitator hears more than an answer: a phrase worth asking about (a silence, a
contrast, a feeling, something someone said, a judgement, an image), a feeling that needs a
moment of acknowledgement first, talk about the conversation itself ("dat vroeg je al"), a
request for advice, and whether a story is told at all or only an opinion. The rules here are
plain Dutch word lists and patterns; they find, they never invent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from assistant.text import analyse, fold, split_sentences, words


class Kind(StrEnum):
    """The kind of phrase a follow-up question is built on."""

    CITAAT = "citaat"  # quoted speech: “jullie hebben het over ons, zonder ons”
    STILTE = "stilte"  # not acting or speaking: "ik zei niks"
    GEVOEL = "gevoel"  # a feeling: "ik voelde me een verrader"
    CONTRAST = "contrast"  # "loyaal aan mijn team, maar ook rechtvaardig tegenover het gezin"
    ROL = "rol"  # a role one takes or is given: "ik ben gewoon ingenieur"
    OORDEEL = "oordeel"  # a judgement of self or others: "dat was gewoon laf"
    SPIJT = "spijt"  # what one should have done: "achteraf had ik eerst met hem moeten praten"
    METAFOOR = "metafoor"  # an image: "als een estafettestokje"
    KERN = "kern"  # the most telling sentence when nothing above is there


@dataclass(frozen=True)
class Phrase:
    """A phrase from the user's turn, as the user wrote it, and its kind."""

    text: str
    kind: Kind


FEELINGS = (
    "verdriet", "verdrietig", "boos", "kwaad", "woedend", "bang", "angst", "angstig", "schuld",
    "schuldig", "machteloos", "er alleen voor", "eenzaam", "verrader", "verraden", "wakker lig",
    "wakker van", "slapeloos", "huilde", "huilen", "in tranen", "gefrustreerd", "frustratie",
    "teleurgesteld", "beschaamd", "schaam", "schaamde", "gekwetst", "gekrenkt", "overleden",
    "rouw", "kapot van", "uitgeput", "opgebrand", "ziek van", "zenuwachtig", "onzeker", "paniek",
    "radeloos", "wanhopig", "vernederd", "buitengesloten", "in de steek",
)  # fmt: skip
_FEELING = re.compile(r"\b(" + "|".join(re.escape(f) for f in FEELINGS) + r")", re.IGNORECASE)
# Feelings heavy enough that the next question waits for a word of acknowledgement.
# Whole words: a "pilot rond eenzaamheid" is a topic and a "kapotte automaat" no feeling.
_HEAVY = re.compile(
    r"\b(overleden|rouw|verrader|verraden|huilde|huilen|in tranen|wakker (van|lig)|machteloos|"
    r"radeloos|wanhopig|kapot van|er kapot|schuldig|vernederd|in de steek|opgebrand|paniek|"
    r"eenzaam|woedend|kwaad|boos|verdriet|verdrietig|gekwetst|slaap (er )?slecht|"
    r"slecht (van )?geslapen|slapeloze?)\b",
    re.IGNORECASE,
)
_SILENCE = re.compile(
    r"\b(zei|zeg|zeggen|deed|doe|doen|reageerde|reageren|durfde)\s+(\w+\s+){0,3}?"
    r"(niks|niets|niet|nooit)\b|\b(niks|niets)\s+(\w+\s+){0,2}(gezegd|gedaan|zeggen|doen)\b|"
    r"\b(zweeg|zwijgen|hield mijn mond|hielden onze mond|mond gehouden|stil gebleven|bleef stil|"
    r"niks meer gezegd|niets meer gezegd|niks teruggezegd|niets teruggezegd)\b",
    re.IGNORECASE,
)
_REGRET = re.compile(
    r"\b(had(den)? (ik|we|wij) .{0,50}?(moeten|kunnen))\b"
    # "Wat ik anders had kunnen doen: …" (read from a06)
    r"|\b((ik|we|wij) (\w+ ){0,3}had(den)? (\w+ ){0,2}(moeten|kunnen))\b",
    re.IGNORECASE,
)
_JUDGEMENT = re.compile(
    r"\b(had(den)? (hij|zij|ze) .{0,40}moeten|te weinig|te veel|fout|stom|dom|"
    r"laf|slap|naïef|onterecht|oneerlijk|terecht|schandalig|gewoon (een )?\w+)\b",
    re.IGNORECASE,
)
# "Ik ga aan het begin gewoon zeggen hoe het zit": "gewoon" before what one will do is a
# plan said plainly, no judgement (read from a04, asked "Waaraan merk je dat nu al?").
_PLAIN_PLAN = re.compile(
    r"\b(ga|gaan|gaat|wil|willen|zal|zullen|kan|kunnen|moet|moeten|mag|mogen)\b"
    r"(\s+\w+){0,4}\s+gewoon\b",
    re.IGNORECASE,
)
_METAPHOR = re.compile(r"\b(als een|zoals een|net een|een soort)\b", re.IGNORECASE)
ROLES = (
    "teamleider", "leidinggevende", "manager", "directeur", "wethouder", "burgemeester",
    "collega", "collega's", "partner", "partners", "ambtenaar", "ingenieur", "jurist",
    "casemanager", "coördinator", "voorzitter", "projectleider", "adviseur", "beleidsmedewerker",
    "bestuurder", "regisseur", "wijkregisseur", "gastheer", "scheidsrechter", "grenswerker",
)  # fmt: skip
# A role one takes or is given oneself ("ik ben gewoon ingenieur", "als casemanager").
_ROLE = re.compile(
    r"\b(ik ben|we zijn|wij zijn|ben ik|zijn we|als|in mijn rol als|in onze rol als)\s+"
    r"(\w+\s+){0,2}?(" + "|".join(ROLES) + r")\b",
    re.IGNORECASE,
)
# Quoted speech: “…”, "…", ‘…’ or '…' standing as quotes (not the apostrophe of "zo'n"), or what
# follows "zei:".
_QUOTE = re.compile(
    r"[“\"‘]([^”\"’]{6,160})[”\"’]|(?<![\w])'([^']{6,160})'(?!\w)"
    r"|\bzei(?:den)?(?: \w+){0,3}:\s*([^.?!]{6,120})"
)

# Talk about the conversation itself, addressed to the assistant.
_META_REPEAT = (
    "dat vroeg je al", "dat heb je al gevraagd", "dat vroeg je net", "dat zei ik al",
    "dat heb ik al gezegd", "dat heb ik net gezegd", "heb ik al verteld", "dat had ik al",
    "zelfde vraag", "weer dezelfde vraag", "al beantwoord", "steeds hetzelfde",
    "vraagt steeds", "vraag je steeds", "net al gezegd", "allemaal al gezegd",
)  # fmt: skip
_META_REPEAT_FORM = re.compile(
    r"\b(al|net|zojuist|eerder) (\w+ ){0,3}(gezegd|gevraagd|vroeg|verteld|beantwoord|genoemd)\b",
    re.I,
)
# "Is dat niet hetzelfde als wat je bij waarden vroeg?": a question about the method's parts,
# not a complaint that the question repeats.
_META_DIFFERENCE = re.compile(
    r"\b(hetzelfde als|zelfde als bij|verschil (met|tussen)|verschilt dat|lijkt (dat )?(erg )?op "
    r"wat|niet al bij)\b",
    re.IGNORECASE,
)
_META_UNCLEAR = (
    "wat bedoel je", "wat bedoel jij", "snap de vraag niet", "snap ik niet", "begrijp de vraag",
    "ik snap het niet", "ik begrijp het niet", "wat is dit voor vraag", "rare vraag",
    "vage vraag", "onduidelijke vraag", "hoe bedoel je", "welke vraag", "wat wil je weten",
    "wat vraag je", "geen idee wat je bedoelt", "snap niet waar je heen", "waar wil je heen",
    "waar je heen wil", "wat heeft dit met", "wat heeft dit eigenlijk met", "hetzelfde als wat je",
)  # fmt: skip
_META_COMPLAINT = (
    "je hoort me niet", "je luistert niet", "je luistert niet naar", "je begrijpt me niet",
    "je snapt me niet", "dit schiet niet op", "wat heb ik hieraan", "dit is een formulier",
    "stomme vraag", "slaat nergens op", "je herhaalt", "robot",
)  # fmt: skip
_ADVICE = (
    "wat zou jij doen", "wat zou je doen", "wat vind jij", "wat vind je ervan", "wat vind je",
    "wat raad je", "wat adviseer", "heb je tips", "heb je een tip", "tips?", "een tip?",
    "geef me advies", "geef mij advies", "geef ons advies", "wat moet ik", "wat moeten we",
    "wat moeten wij", "wat is het beste", "wat kan ik het beste", "wie heeft gelijk",
    "heb ik gelijk", "hebben wij gelijk", "hebben we gelijk", "zou jij", "zou u",
    "what should i do", "what would you do",
)  # fmt: skip
# "Moet ik …?", also after a word in front ("Eerlijk, moet ik niet gewoon stoppen?").
_SHOULD_I = re.compile(
    r"(?:^|[.,;:!?]\s*|^\s*\w+,\s*)(moet|moeten|zal|zou|kan|mag)\s+(ik|we|wij)\s+"
    r"(.{3,80}?)\s*\?",
    re.IGNORECASE,
)
_OPINION = re.compile(
    r"\b(ik vind dat|ik vind het|vind ik|(wij|we) vinden dat|vinden (wij|we)|wat (mij|ons) betreft|"
    r"volgens mij moet|je moet als|als overheid (moet|moeten|hoor)|"
    r"men moet|we zouden altijd|zou altijd moeten|hoort altijd|moet altijd|moeten altijd|"
    r"mag nooit|hoort nooit)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(was|waren|had|hadden|zei|zeiden|deed|deden|kwam|kwamen|ging|gingen|stond|zat|zaten|"
    r"liep|vroeg|vroegen|belde|schreef|heb \w+ ?\w*d|hebben \w+ ?\w*d|toen|gisteren|vorige|"
    r"afgelopen|laatst|vanochtend|eergisteren)\b|\b\w+(de|te|den|ten)\b",
    re.IGNORECASE,
)
_MOMENT = re.compile(
    r"\b(toen|gisteren|vorige|afgelopen|laatst|vanochtend|maandag|dinsdag|woensdag|donderdag|"
    r"vrijdag|zaterdag|zondag|week|weken|maand|maanden|dag|dagen|geleden|terug|vanmiddag|"
    r"vanavond|overleg|vergadering|stuurgroep|gesprek|bij de|aan tafel|keukentafel|in het|"
    r"op het|kantoor|stadhuis|plein|straat)\b",
    re.IGNORECASE,
)
_ENDING = re.compile(
    r"\b(liep af|afgelopen|uiteindelijk|daarna|sindsdien|achteraf|het eindigde|eindigde|"
    r"de uitkomst|resultaat|besloten|besloot|toen ging|inmiddels|is het|werd het)\b",
    re.IGNORECASE,
)
_EXPECT = re.compile(r"\b(verwacht|verwachten|denk dat|denken dat|zal|zullen|gaat|gaan)\b", re.I)
_FEAR = re.compile(r"\b(bang|vrees|vrezen|zorgen|spannend|ziet op tegen|zien op tegen)\b", re.I)
_HOPE = re.compile(r"\b(hoop|hopen|wens|wensen|zou mooi|graag willen|willen graag)\b", re.I)


def _has(text: str, phrases: tuple[str, ...]) -> bool:
    folded = " ".join(words(fold(text)))
    raw = fold(text)
    return any(p in folded or p in raw for p in phrases)


_DENIED = re.compile(r"\b(niet|geen|nooit|zonder)( \w+){0,1}\s*$", re.IGNORECASE)
# A feeling as a habit or a possibility, not as what one feels: "en dan boos worden als het
# niet lukt", "je wordt er boos van als".
_GENERIC_AFTER = re.compile(r"^\w*\s+(worden|wordt|word) (als|wanneer)\b", re.IGNORECASE)


def feeling(text: str) -> bool:
    """Does this turn carry a feeling heavy enough to acknowledge before asking on? A feeling
    that is denied ("niet als verrader") or generic ("boos worden als…") does not count."""
    return any(
        not _DENIED.search(text[: m.start()]) and not _GENERIC_AFTER.match(text[m.start() :])
        for m in _HEAVY.finditer(text)
    )


# "Nothing more to say here": the user closes this perspective, it is not an answer.
_NOTHING_MORE = re.compile(
    r"^\s*(nee[,.]?\s*)?(meer (weet|weten) (ik|we|wij) (er )?(niet|niks|niets)( over| van)?|"
    r"(daar )?(weet|weten) (ik|we|wij) (verder|ook) (niks|niets|niet meer)( meer)?( over| van)?|"
    r"(verder|meer) (niks|niets)|dat was het|dat is het|(ik heb|we hebben|wij hebben) "
    r"(er )?(niks|niets) (meer )?aan toe te voegen|geen idee meer|"
    r"(meer|verder) (heb|hebben) (ik|we|wij) (er )?(niet|niks|niets)( over)?)\s*[.!]?\s*$",
    re.IGNORECASE,
)


def nothing_more(text: str) -> bool:
    """Does the user say there is nothing more to tell here ("meer weet ik er niet over")?"""
    return bool(_NOTHING_MORE.match(text))


def meta_kind(text: str) -> str | None:
    """`verschil`, `herhaling`, `onduidelijk` or `klacht` when the turn talks about the conversation
    itself rather than answering; None for an answer. Only short turns count: a long answer
    that mentions "wat bedoel je" in passing is still an answer."""
    if len(words(text)) > 20:
        return None
    if _META_DIFFERENCE.search(text) and "?" in text:
        return "verschil"
    if _has(text, _META_REPEAT) or (
        _META_REPEAT_FORM.search(text) and ("?" in text or " je " in f" {text.lower()} ")
    ):
        return "herhaling"
    if _has(text, _META_UNCLEAR):
        return "onduidelijk"
    if _has(text, _META_COMPLAINT):
        return "klacht"
    return None


def asks_for_advice(text: str) -> bool:
    """Does the user ask the assistant what to do, what it thinks, or who is right?"""
    if len(words(text)) > 30:
        return False  # a story that contains "moet ik…?" as a thought is not a request
    return _has(text, _ADVICE) or bool(_SHOULD_I.search(text))


def dilemma(text: str) -> str | None:
    """The dilemma in a "moet ik …?" question, in the user's words ("stoppen"), if any."""
    found = _SHOULD_I.search(text)
    if not found:
        return None
    # "moet ik niet gewoon om overplaatsing vragen?" → "om overplaatsing vragen"
    asked = re.sub(r"^((niet|gewoon|maar|toch|eigenlijk|nu|nou|dan)\s+)+", "", found.group(3))
    return re.sub(r"\s+(of niet|of zo|toch|nou)$", "", asked.strip()).replace(" nou ", " ")


def is_opinion(text: str) -> bool:
    """An opinion or principle instead of an experience ("ik vind dat je als overheid…")."""
    return bool(_OPINION.search(text)) and not _MOMENT.search(text)


def tells_a_story(text: str) -> bool:
    """Does this text already tell a concrete past moment (past tense and a moment or people)?"""
    past = len(_PAST.findall(text))
    return len(words(text)) >= 18 and past >= 2 and bool(_MOMENT.search(text))


def missing_in_story(text: str, moment: str) -> list[str]:
    """What a story still lacks, in the handreiking's terms.

    Achteraf: `rol` (what I did there), `afloop` (how it ended). Vooruit: `verwachting`,
    `zorg`, `hoop`.
    """
    if moment == "achteraf":
        gaps = [] if _ACTED.search(text) else ["rol"]
        return gaps + ([] if _ENDING.search(text) else ["afloop"])
    missing = []
    for key, pattern in (("verwachting", _EXPECT), ("zorg", _FEAR), ("hoop", _HOPE)):
        if not pattern.search(text):
            missing.append(key)
    return missing


def _short(sentence: str, limit: int = 14) -> str:
    """A phrase short enough to quote back whole: the sentence, else its longest clause that
    fits, else its first words with an ellipsis."""
    sentence = sentence.strip()
    if len(sentence.split()) <= limit:
        return sentence
    clauses = [c.strip(" ,;:") for c in re.split(r"[,;:]\s+|\s+(?=maar\b)", sentence)]
    fitting = [c for c in clauses if 4 <= len(c.split()) <= limit]
    if fitting:
        return max(fitting, key=lambda c: len(c.split()))
    return " ".join(sentence.split()[:limit]).rstrip(",;:") + "…"


def _clause(sentence: str, match: re.Match[str]) -> str:
    """The clause of `sentence` that holds the match (split on commas and semicolons); a
    clause that announces what follows its colon ("Wat ik anders had kunnen doen: mijn
    bodycam aanzetten") keeps it."""
    start = 0
    parts = re.split(r"(?<=[,;:])\s+", sentence)
    for i, part in enumerate(parts):
        end = start + len(part)
        if start <= match.start() < end + 1:
            if part.endswith(":") and i + 1 < len(parts):
                return f"{part} {parts[i + 1]}".strip().rstrip(",;:")
            return part.strip().rstrip(",;:")
        start = end + 1
    return sentence


# "Maar" as a particle, not two sides: "dat hij maar bij vrienden moest slapen", "doe maar",
# "maar even".
_MAAR = re.compile(r"\bmaar\b(?! (even|eens|wat|net|raak|zo|een beetje)\b)", re.IGNORECASE)
_PARTICLE_AFTER = frozenset("hij zij ze je ik we het dat doe ga laat zeg moest moet mag".split())


# "Die zat erop maar stond uit": in a short sentence, a verb right after "maar" goes on about
# the same thing, a fact told in two steps, not two sides to hold together (read from a06).
_SAME_SUBJECT_VERB = frozenset(
    "stond stonden zat zaten lag lagen was waren is zijn had hadden deed deden ging gingen kwam "
    "kwamen werd werden bleef bleven werkte werkten".split()
)


def _two_sides(sentence: str) -> bool:
    """Whether a "maar" sets two sides against each other ("positief maar verdeeld")."""
    short = len(sentence.split()) <= 8
    for match in _MAAR.finditer(sentence):
        before = sentence[: match.start()].split()
        after = sentence[match.end() :].split()
        if short and after and after[0].lower().strip(",;:.") in _SAME_SUBJECT_VERB:
            continue
        if not before or before[-1].lower().strip(",;:") not in _PARTICLE_AFTER:
            return True
    return False


# "Niet per mail maar echt even bij hem zitten": a correction, not two sides in tension.
_NOT_BUT = re.compile(r"\bniet\b[^,.;:]*\bmaar\b", re.IGNORECASE)


_MAAR_FIRST = re.compile(r"^\s*maar\b", re.IGNORECASE)
_LABEL = re.compile(r"\b(zien|ziet|noemen|noemt|kennen|kent)\b[^,.;]*\bals een\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(ik|me|mij|mijn|we|wij|ons|onze)\b", re.IGNORECASE)
# "(Vragen) waar hij precies bang voor is": a guess at someone else's feeling, not one seen.
_ASKED_ABOUT_ANOTHER = re.compile(r"\b(waar|wat|waarom|hoe|of)\s+(hij|zij|ze)\b", re.IGNORECASE)


def _someone_elses(clause: str) -> bool:
    """A feeling the user wonders about in someone else, not one the user has or saw ("Ze
    was zo bang haar huis kwijt te raken" is seen, and may be asked on)."""
    return bool(_ASKED_ABOUT_ANOTHER.search(clause)) and not _FIRST_PERSON.search(clause)


def _contrast(sentence: str) -> str:
    """The part of a long sentence that holds both sides of its "maar": the clause with it,
    and the clause before when it opens with "maar" (quoted alone, the first clause of "Ik ga
    bij hem langs, maar …" would show no contrast at all)."""
    if len(sentence.split()) <= 16:
        return sentence.strip()
    parts = re.split(r"(?<=[,;:])\s+", sentence.strip())
    for i, part in enumerate(parts):
        if " maar " in f" {part.lower()} ":
            both = f"{parts[i - 1]} {part}" if part.lower().startswith("maar") and i else part
            # Both sides may take a few more words than a phrase of one kind.
            return _short(both.strip().rstrip(",;:"), limit=24)
    return _short(sentence, limit=16)


def phrases(text: str) -> list[Phrase]:
    """The phrases of a turn worth taking up, most telling first."""
    found: list[Phrase] = []
    for match in _QUOTE.finditer(text):
        quoted = (match.group(1) or match.group(2) or match.group(3) or "").strip()
        if len(quoted.split()) >= 3:  # two words alone are rarely what someone said
            found.append(Phrase(_short(quoted), Kind.CITAAT))
    told = split_sentences(text)
    for i, sentence in enumerate(told):
        for pattern, kind in (
            (_SILENCE, Kind.STILTE),
            (_FEELING, Kind.GEVOEL),
            (_METAPHOR, Kind.METAFOOR),
            (_REGRET, Kind.SPIJT),
            (_JUDGEMENT, Kind.OORDEEL),
            (_ROLE, Kind.ROL),
        ):
            if (hit := pattern.search(sentence)) is not None:
                clause = _clause(sentence, hit) or sentence
                if kind is Kind.GEVOEL and _someone_elses(clause):
                    continue  # "vragen waar hij precies bang voor is": not the user's feeling
                if kind is Kind.METAFOOR and _LABEL.search(clause):
                    continue  # "binnen zien ze me als een activist": a label, not a picture
                if (
                    kind is Kind.OORDEEL
                    and hit.group().lower().startswith("gewoon")
                    and _PLAIN_PLAN.search(sentence)
                ):
                    continue
                found.append(Phrase(_short(clause), kind))
        if _two_sides(sentence) and not _NOT_BUT.search(sentence):
            # "Formeel heb ik weinig ruimte. Maar niemand heeft gezegd…": the first side is
            # the sentence before.
            both = f"{told[i - 1]} {sentence}" if i and _MAAR_FIRST.match(sentence) else ""
            fits = both and len(both.split()) <= 24
            found.append(Phrase(both if fits else _contrast(sentence), Kind.CONTRAST))
    order = list(Kind)
    found.sort(key=lambda p: order.index(p.kind))
    sentences = [s for s in split_sentences(text) if len(s.split()) >= 4]
    if sentences:
        found.append(Phrase(_short(max(sentences, key=_weight)), Kind.KERN))
    seen: set[str] = set()
    unique = []
    for phrase in found:
        key = fold(phrase.text)
        if key not in seen and len(phrase.text.split()) >= 2:
            seen.add(key)
            unique.append(phrase)
    return unique


# A sentence that opens with one of these leans on the one before; quoted alone it is lost.
POINTERS = frozenset({"dat", "dit", "het", "die", "deze", "ze", "zij", "hij", "daar", "daarom"})


def _weight(sentence: str) -> float:
    """How telling a sentence is: long words and first-person verbs, not filler, and not a
    sentence that points back ("Dat hebben we nu wel gezien.")."""
    tokens = words(sentence)
    content = [t for t in tokens if len(t) > 5]
    first_person = sum(t.lower() in {"ik", "we", "wij", "mijn", "ons", "onze"} for t in tokens)
    pointer = 3 if tokens and tokens[0].lower() in POINTERS else 0
    return len(content) + 2 * first_person - 0.1 * max(0, len(tokens) - 20) - pointer


# A question sharing this share of its content words with an earlier one repeats it.
REPEAT_OVERLAP = 0.6
_QUOTED = re.compile(r"‘[^’]*’")


# Words nearly every question of the method has; sharing them does not make two questions alike.
_COMMON_STEMS = frozenset(
    analyse(
        "gesprek gesprekken ander anderen willen wil moment situatie jullie wij ons onze mijn "
        "zegt zeggen precies"  # the lead of a question on the user's words, and its "precies"
    )
)


def _question_stems(text: str) -> set[str]:
    """The content stems of a question, without the user's words it quotes."""
    return set(analyse(_QUOTED.sub("", text))) - _COMMON_STEMS


def largely_repeats(question: str, earlier: list[str]) -> bool:
    """Does `question` largely repeat one of the earlier questions (the same content words,
    counted against the longer of the two, quoted user words left out)?"""
    new = _question_stems(question)
    for text in earlier:
        old = _question_stems(text)
        if new and old and len(new & old) / max(len(new), len(old)) >= REPEAT_OVERLAP:
            return True
    return False


_WHEN = re.compile(
    r"\b(toen|gisteren|vorige|afgelopen|laatst|vanochtend|vanmiddag|geleden|terug|maandag|"
    r"dinsdag|woensdag|donderdag|vrijdag|volgende|straks|morgen|binnenkort)\b",
    re.IGNORECASE,
)
_INTRO = re.compile(r"^(ik ben|ik werk|wij zijn|we zijn|wij werken|we werken)\b", re.IGNORECASE)


# Who sent the user to the tool, before what the moment is: "… stuurde me hierheen na …".
_SENT_HERE = re.compile(
    r"^.*?\b(hierheen|hier naartoe|naar deze tool)\s+(na|vanwege|over|om)\s+", re.IGNORECASE
)


def story_moment(text: str) -> str | None:
    """The phrase of a description that names the moment (a meeting, a day, a place), to zoom
    into: not an introduction of who one is, parentheticals left out, at least four words."""
    sentences = [re.sub(r"\s*\([^)]*\)", "", s).strip() for s in split_sentences(text)]
    # "Mijn teamleider stuurde me hierheen na een casus waarin …": the moment is the casus.
    sentences = [_SENT_HERE.sub("", s) for s in sentences]
    candidates = [s for s in sentences if len(s.split()) >= 4 and not _INTRO.match(s)]
    when = [s for s in candidates if _WHEN.search(s)]
    moment = [s for s in candidates if _MOMENT.search(s)]
    chosen = (when or moment or candidates)[:1]
    return _short(chosen[0]) if chosen else None


_ACTED = re.compile(
    r"\b(ik|we|wij)\s+(\w+\s+){0,2}?(\w+(de|te|den|ten)|zei|deed|ging|kwam|stond|zat|liep|vroeg|"
    r"belde|schreef|heb|hebben|had|hadden)\b"
    # and inverted: "zei ik niks", "Daarna heb ik de wethouder gemaild"
    r"|\b(\w+(de|te|den|ten)|zei|deed|ging|kwam|stond|zat|liep|vroeg|belde|schreef|heb|hebben|"
    r"had|hadden)\s+(ik|we|wij)\b",
    re.IGNORECASE,
)


def story_weight(sentence: str) -> float:
    """How much of the moment a sentence carries (toen, daar, met wie, wat ik deed, hoe het
    afliep or what one hopes, what was said): for the kenmerkende ervaring."""
    weight = 0.0
    weight += 1.0 if _PAST.search(sentence) else 0.0
    weight += 1.0 if _WHEN.search(sentence) or _MOMENT.search(sentence) else 0.0
    weight += 1.5 if _QUOTE.search(sentence) else 0.0
    weight += 1.0 if _ACTED.search(sentence) else 0.0
    weight += 1.0 if _ENDING.search(sentence) else 0.0
    # Ahead of a meeting what one hopes is where the story ends (the handreiking asks it).
    weight += 1.0 if _HOPE.search(sentence) else 0.0
    weight += 0.5 if _EXPECT.search(sentence) or _FEAR.search(sentence) else 0.0
    weight -= 2.0 if _INTRO.match(sentence) and not _WHEN.search(sentence) else 0.0
    return weight
