"""Reading text as operators write it: sentences, clauses and phrases, and what an update says.

Used by the text rules and, with no rule machinery, by whatever checks a posted update. Only
English grammar lives here (inflections, contractions, where a clause starts); every word list
that decides a verdict comes from the caller, that is from a ruleset's options.

A phrase is words separated by spaces. Each word matches its inflections (``roll`` matches
``rolls``, ``rolled``, ``rolling``; a word already inflected, such as ``caused``, matches only
itself); ``be`` matches ``is``, ``are``, ``was`` and ``were``; ``...`` stands for up to five
words; and a phrase that ends in a particle (``roll back``, ``turn off``) lets up to six words
stand before it (``roll the release back``), within its clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

# --- words -----------------------------------------------------------------------------------


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_IRREGULAR = {
    "be": ("is", "are", "was", "were", "am"),
    "break": ("broke", "broken"),
    "bring": ("brought",),
    "build": ("built",),
    "come": ("came", "come"),
    "cut": ("cut",),
    "do": ("did", "does", "done"),
    "fall": ("fell", "fallen"),
    "find": ("found",),
    "go": ("went", "goes", "gone"),
    "lead": ("led",),
    "make": ("made",),
    "put": ("put",),
    "rebuild": ("rebuilt",),
    "run": ("ran",),
    "say": ("said",),
    "see": ("saw", "seen"),
    "set": ("set",),
    "shut": ("shut",),
    "take": ("took", "taken"),
    "think": ("thought",),
    "undo": ("undid", "undoes", "undone"),
    "withdraw": ("withdrew", "withdrawn"),
}
# Words that do not inflect: inflecting them would invent other words ("not" → "noted").
_CLOSED = _word_set(
    "a about after all an and any are as at before but by can could did do does down for "
    "from had has have how if in into is it its may might must no not now of off on or "
    "our out over so some than that the their them then there these they this those to "
    "too up us was we were what when where which while who why will with would yet you "
    "your"
)
PARTICLES = _word_set("aside away back down off out over up")
_VOWELS = frozenset("aeiou")
_GAP = "..."
_GAP_WORDS = 5  # how many words ``...`` stands for
_PARTICLE_GAP = 6  # how many words may stand between a verb and its particle

_CONTRACTIONS = {"'ve": "have", "'re": "are", "'ll": "will", "'m": "am", "'d": "would"}
_NOT_STEMS = {"ca": "can", "wo": "will", "sha": "shall"}
_IS_BEFORE = _word_set("it that there here what who where he she")


_PAST_FORMS = (
    frozenset(form for base, written in _IRREGULAR.items() if base != "be" for form in written)
    - _IRREGULAR.keys()
)


def forms(word: str) -> tuple[str, ...]:
    """The ways one word is written: itself, its irregular forms and, for an open-class word,
    its regular inflections."""
    irregular = _IRREGULAR.get(word, ())
    if len(word) < 3 or word in _CLOSED or not word.isalpha():
        return (word, *irregular)
    return (word, *irregular, *_regular(word))


def _regular(word: str) -> tuple[str, ...]:
    if _suffixed(word):
        return ()  # written inflected: it matches only itself
    if word.endswith("ie"):
        return (word + "s", word + "d", word[:-2] + "ying")
    if word.endswith(("ee", "ye", "oe")):
        return (word + "s", word + "d", word + "ing")
    if word.endswith("e"):
        return (word + "s", word + "d", word[:-1] + "ing")
    if word.endswith("y") and word[-2:-1] not in _VOWELS:
        return (word[:-1] + "ies", word[:-1] + "ied", word + "ing")
    plural = word + ("es" if word.endswith(("s", "x", "z", "ch", "sh")) else "s")
    found = [plural, word + "ed", word + "ing"]
    last, before, first = word[-1], word[-2], word[-3]
    if last not in _VOWELS and last not in "wxy" and before in _VOWELS and first not in _VOWELS:
        found += [word + last + "ed", word + last + "ing"]  # stop → stopped, admit → admitted
    return tuple(found)


def _suffixed(word: str) -> bool:
    """Whether a word ends in a regular ``-ed`` or ``-ing`` ("caused", "rolling"; not
    "bring", "need", "shed")."""
    for suffix in ("ing", "ed"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and not word.endswith("eed") and set(stem) & _VOWELS:
            return True
    return False


def _written_inflected(word: str) -> bool:
    """Whether a listed word is itself an inflected form ("caused", "broke")."""
    return _suffixed(word) or word in _PAST_FORMS


_TOKEN = re.compile(
    r"\w+(?:[-'\u2019]\w+|\.\d+)*(?:['\u2019](?=\W|$))?"  # a word: re-deploy, v1.4.2, it's
    r"|[,;()\u2014\u2013!?]|:"  # punctuation that ends a clause; a colon (kept as ":")
)
_OPENER = re.compile(r"\{[{%#]")
_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}


def template_spans(text: str) -> list[tuple[int, int]]:
    """Where template syntax stands (``{{ x }}``, ``{% if %}``, ``{# #}``), in one pass: an
    opener with no closer after it is text, and so is everything after it."""
    spans: list[tuple[int, int]] = []
    position = 0
    while (opener := _OPENER.search(text, position)) is not None:
        close = text.find(_CLOSERS[opener.group()], opener.end())
        if close < 0:
            break
        spans.append((opener.start(), close + 2))
        position = close + 2
    return spans


def template_pieces(text: str) -> Iterator[tuple[str, bool]]:
    """The text in order as pieces, each with whether it is template syntax."""
    position = 0
    for start, end in template_spans(text):
        if start > position:
            yield text[position:start], False
        yield text[start:end], True
        position = end
    if position < len(text):
        yield text[position:], False


BOUNDARY = "|"  # the token that stands for clause-ending punctuation
_CLAUSE_PUNCTUATION = frozenset(",;()\u2014\u2013!?")
COLON = ":"  # ends an action's clause ("Mitigate: roll back"), not a statement's ("Cause: unknown")


def words(text: str) -> list[str]:
    """A text's words as phrases see them: lower case, contractions written out, hyphens
    read as spaces except after a prefix (``known-good`` → ``known good``, ``re-deploy`` →
    ``redeploy``), a template expression as one token (``{{ impact }}`` → ``{impact}``),
    template statements and comments dropped, and clause punctuation as :data:`BOUNDARY`
    (a colon as :data:`COLON`)."""
    found: list[str] = []
    for piece, is_template in template_pieces(text):
        if not is_template:
            found += _plain_words(piece)
        elif piece.startswith("{{"):
            found.append("{" + "".join(piece[2:-2].lower().split()) + "}")
    return found


def _plain_words(text: str) -> list[str]:
    found: list[str] = []
    for match in _TOKEN.finditer(text):
        raw = match.group().lower().replace("\u2019", "'")
        if raw == ":":
            found.append(COLON)
        elif raw in _CLAUSE_PUNCTUATION:
            found.append(BOUNDARY)
        else:
            found.extend(part for piece in _hyphened(raw) for part in _expand(piece) if part)
    return found


_PREFIXES = _word_set("re un de pre non co on")  # "on-call" → "oncall"


def _hyphened(token: str) -> list[str]:
    """``re-deploy`` → ``redeploy`` (a prefix joins), ``known-good`` → ``known good``."""
    pieces = token.split("-")
    joined = [pieces[0]]
    for piece in pieces[1:]:
        if joined[-1] in _PREFIXES:
            joined[-1] += piece
        else:
            joined.append(piece)
    return joined


def _expand(raw: str) -> list[str]:
    """``don't`` → ``do not``, ``we've`` → ``we have``, ``it's`` → ``it is``, ``night's`` →
    ``night``; ``cannot`` → ``can not``."""
    if raw == "cannot":
        return ["can", "not"]
    if raw.endswith("n't"):
        stem = raw[:-3]
        return [_NOT_STEMS.get(stem, stem), "not"]  # an empty stem is dropped by the caller
    head, apostrophe, tail = raw.rpartition("'")
    if not apostrophe or not tail:
        return [head or raw]
    if "'" + tail in _CONTRACTIONS:
        return [head, _CONTRACTIONS["'" + tail]]
    if tail == "s":
        return [head, "is"] if head in _IS_BEFORE else [head]
    return [raw]


# --- sentences and clauses -------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?]+(?=[\s\"')\]]|$)|\n")
_NEXT_ON_LINE = re.compile(r"[ \t]*(\S?)")
_NEXT = re.compile(r"\s*(\S?)")
_LAST_WORD = re.compile(r"(\S*)\s*$")
_LIST_ITEM = re.compile(r"\s*(?:[-*+\u2022]|\d{1,2}[.)])\s+")
ABBREVIATIONS = _word_set("approx ca cf dr e.g eg fig i.e ie incl inc ltd mr mrs ms no nr vs")


class Sentence(NamedTuple):
    """One sentence of a text: as written, and its words."""

    text: str
    words: tuple[str, ...]

    def clauses(self) -> list[tuple[str, ...]]:
        """The sentence cut at clause punctuation, at words such as "but" and "while", and at
        "and" before a new subject ("…, and we are …", "the impact and a bad deploy …")."""
        found: list[list[str]] = [[]]
        for index, word in enumerate(self.words):
            follows = self.words[index + 1] if index + 1 < len(self.words) else ""
            opens = word in _CLAUSE_OPENERS or (word == "and" and follows in _SUBJECTS)
            if word == BOUNDARY or opens:
                found.append([])
            else:
                found[-1].append(word)
        return [tuple(clause) for clause in found if clause]


_SUBJECTS = _word_set("we i it they our are is will have has was were a an the this")
_CLAUSE_OPENERS = _word_set("but while although though whereas")


def sentences(text: str) -> list[Sentence]:
    """A text cut into sentences. Template syntax never ends one (``{{ x.y }}``), and a
    template expression after a full stop starts one; abbreviations and a full stop before a
    lower-case word do not end one; a line ends one unless the next line goes on in lower
    case or the line ends in a word such as "the"; list markers are not part of it."""
    plain = "".join(
        "X" * len(piece) if syntax else piece for piece, syntax in template_pieces(text)
    )
    found: list[Sentence] = []
    start = 0
    for end in _sentence_ends(plain):
        _add_sentence(found, text[start:end])
        start = end
    _add_sentence(found, text[start:])
    return found


def _sentence_ends(masked: str) -> Iterator[int]:
    """Where sentences end; each look is local, so a long text is cut in linear time."""
    line_start = 0
    for match in _SENTENCE_END.finditer(masked):
        window = masked[max(line_start, match.start() - 40) : match.start()]
        last = _LAST_WORD.search(window)
        previous = last.group(1).lower() if last else ""
        if match.group() == "\n":
            line_start = match.end()
            following = _NEXT_ON_LINE.match(masked, match.end())
            if (following and following.group(1).islower()) or previous in _GOES_ON:
                continue  # the sentence goes on on the next line
        else:
            following = _NEXT.match(masked, match.end())
            number = match.start() - line_start < 4 and window.strip().isdigit()
            if previous in ABBREVIATIONS or number or (following and following.group(1).islower()):
                continue  # "e.g.", a list item's number, "approx. 5"
        yield match.end()


# A line ending in one of these goes on on the next: "Customers in the\nEU are affected".
_GOES_ON = _word_set("a an and at by for from in of on or the to with")


def _add_sentence(found: list[Sentence], piece: str) -> None:
    item = _LIST_ITEM.match(piece)
    written = " ".join(piece[item.end() if item else 0 :].split())
    tokens = tuple(words(written))
    if any(token not in (BOUNDARY, COLON) for token in tokens):
        found.append(Sentence(written, tokens))


# --- phrases ---------------------------------------------------------------------------------


class Hit(NamedTuple):
    """Where a listed phrase was found: which phrase, and the words it covers."""

    phrase: str
    start: int
    end: int

    def said(self, tokens: Sequence[str]) -> str:
        """The words it covers, as the text wrote them (in lower case): "rolled back"."""
        return " ".join(tokens[self.start : self.end]).replace(" :", ":")

    def inflected(self, tokens: Sequence[str]) -> bool:
        """Whether its verb stands inflected ("rolled", "breaking", or as the list wrote it:
        "caused"), so it is used as a verb rather than named ("the rollback", "corrupt
        data")."""
        first = _first_word(self.phrase)
        if _written_inflected(first) or _IRREGULAR.get(first, ())[:1] == (first,):
            return True  # "caused" as listed; "cut", whose past is itself
        return tokens[self.start] != first


@lru_cache(maxsize=1024)
def _first_word(phrase: str) -> str:
    return words(phrase)[0]


Gap = tuple[int, frozenset[str]]  # up to so many words, none of them one of these
Slot = frozenset[str] | Gap  # the forms one word may take, or a gap


def _slots(phrase: str) -> tuple[Slot, ...]:
    """A phrase as what each of its places may hold; ``...`` and a particle's gap as counts."""
    parts: list[str] = []
    for index, piece in enumerate(phrase.split(_GAP)):
        parts += [_GAP] if index else []
        parts += [word for word in words(piece) if word != BOUNDARY]
    while parts and parts[0] == _GAP:
        del parts[0]
    slots: list[Slot] = []
    for index, part in enumerate(parts):
        if part == _GAP:
            slots.append((_GAP_WORDS, _CLAUSE_ENDS))
            continue
        last = index == len(parts) - 1
        if last and index > 0 and part in PARTICLES and parts[index - 1] != _GAP:
            slots.append((_PARTICLE_GAP, _PARTICLE_STOPS))  # "roll the release back"
        slots.append(frozenset(forms(part)))
    return tuple(slots)


# A gap never crosses clause punctuation; a particle's gap not another clause either ("Roll
# out the fix and back up the database" does not roll back).
_CLAUSE_ENDS = frozenset([BOUNDARY, COLON])
_PARTICLE_STOPS = _CLAUSE_ENDS | {"and", "or", "then", "but", "instead", "rather"}


def _match(slots: Sequence[Slot], tokens: Sequence[str], position: int) -> int | None:
    """Where a phrase that starts at ``position`` ends (its shortest reading), in time linear
    in its slots and gaps: the set of places each slot can end at, slot by slot."""
    ends = {position}
    for slot in slots:
        if isinstance(slot, tuple):
            most, stops = slot
            reach = set()
            for end in ends:
                reach.add(end)
                for skipped in range(end, min(end + most, len(tokens))):
                    if tokens[skipped] in stops:
                        break
                    reach.add(skipped + 1)
            ends = reach
        else:
            ends = {end + 1 for end in ends if end < len(tokens) and tokens[end] in slot}
        if not ends:
            return None
    return min(ends)


class Phrases:
    """A list of phrases, indexed by the forms of their first word, to find in a text's words.
    Matching works on words, so setting a list up costs next to nothing."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._by_first: dict[str, list[tuple[str, tuple[Slot, ...]]]] = {}
        for phrase in sorted(phrases, key=len, reverse=True):  # the longest phrase first
            slots = _slots(phrase)
            if not slots or isinstance(slots[0], tuple):
                continue  # a phrase of no words (a gap or punctuation alone) matches nothing
            for form in slots[0]:
                self._by_first.setdefault(form, []).append((phrase, slots[1:]))

    def starting(self, tokens: Sequence[str], position: int) -> Iterator[Hit]:
        """Every listed phrase that starts exactly at word ``position``, longest first."""
        if position < len(tokens):
            for phrase, rest in self._by_first.get(tokens[position], ()):
                end = _match(rest, tokens, position + 1)
                if end is not None:
                    yield Hit(phrase, position, end)

    def at(self, tokens: Sequence[str], position: int) -> Hit | None:
        """The phrase that starts exactly at word ``position``, if any."""
        return next(self.starting(tokens, position), None)

    def find(self, tokens: Sequence[str]) -> Iterator[Hit]:
        """The places where one of the phrases stands in ``tokens``, left to right (a hit
        that overlaps an earlier one is not reported)."""
        position = 0
        while position < len(tokens):
            hit = self.at(tokens, position)
            if hit is None:
                position += 1
            else:
                yield hit
                position = hit.end

    def every(self, tokens: Sequence[str]) -> Iterator[Hit]:
        """Every hit of every phrase, overlapping ones too, left to right."""
        for position in range(len(tokens)):
            yield from self.starting(tokens, position)

    def first(self, text: str) -> str | None:
        """The first of the phrases that ``text`` says, anywhere in it."""
        return next((hit.phrase for hit in self.find(words(text))), None)


@lru_cache(maxsize=256)
def phrases(listed: tuple[str, ...]) -> Phrases:
    """:class:`Phrases` for a list, compiled once per list."""
    return Phrases(listed)


# --- what a step does ------------------------------------------------------------------------

# Where the verb of an action may stand: after these words, and after clause punctuation.
_ACTION_OPENERS = _word_set("and then or by to so")
# Words that may come before the verb: "Manually fail over", "We rolled back", "Then drain".
_BEFORE_VERB = _word_set("we i then first now please also just next")
# After these, a verb is not what the step does: "Before rolling back, confirm …", "Verify
# the release was rolled back", "instead of rolling back", "Ask whether to roll back".
_NOT_DONE = _word_set(
    "before after if unless until without whether when once how not of is are was were be been"
)


@lru_cache(maxsize=512)
def action_hit(text: str, listed: Phrases) -> Hit | None:
    """The first listed phrase that is what ``text`` does: one standing where a verb of it
    stands (at its start or a clause's, after adverbs), or one whose verb is in the past or
    progressive ("Config rolled back at 16:32"); not one it merely names ("Verify the
    rollback") or makes a condition ("Before rolling back, confirm …")."""
    for sentence in sentences(text):
        tokens = sentence.words
        for start in _verb_positions(tokens):
            hit = listed.at(tokens, start)
            if hit is not None:
                return hit
        for hit in listed.find(tokens):
            if _done(tokens, hit):
                return hit
    return None


def _done(tokens: Sequence[str], hit: Hit) -> bool:
    """A past or progressive verb the step does: not "drains" (a noun, as like as not), not
    after "before", "was", "not" and the like."""
    written = tokens[hit.start]
    inflected = _written_inflected(written)
    after = tokens[hit.start - 1] if hit.start else ""
    return inflected and written != _first_word(hit.phrase) and after not in _NOT_DONE


def _verb_positions(tokens: Sequence[str]) -> Iterator[int]:
    opens = True
    for position, word in enumerate(tokens):
        if word in (BOUNDARY, COLON) or word in _ACTION_OPENERS:
            asked = word == "to" and position > 0 and tokens[position - 1] in _NOT_DONE
            opens = not asked  # "Ask whether to roll back" does not roll back
        elif opens:
            yield position
            opens = word in _BEFORE_VERB or (word.endswith("ly") and len(word) > 4)


# --- what an update says ---------------------------------------------------------------------

_BE = frozenset(forms("be"))


class UpdateCues(NamedTuple):
    """The word lists an update is judged by; each is a ruleset option of the text rules."""

    causes: Phrases  # link something to the incident as its cause: "caused by", "due to"
    cause_verbs: Phrases  # the cause is their subject: "a bad push broke logins", "X caused"
    effects: Phrases  # symptoms, and the incident itself: "elevated errors", "this incident"
    actors: Phrases  # who acts, not what broke: "the team", "engineers", "on-call"
    hedges: Phrases  # make a cause a suggestion: "we believe", "likely"
    topics: Phrases  # refer to the cause without naming it: "the cause", "why"
    unknowns: Phrases  # mark an inquiry still open: "investigating", "too early", "unknown"
    negations: Phrases  # "not", "no", "never"

    @classmethod
    def of(cls, **lists: Sequence[str]) -> UpdateCues:
        """Cues from plain lists (missing ones empty)."""
        return cls(**{name: phrases(tuple(lists.get(name, ()))) for name in cls._fields})


class Judgement(NamedTuple):
    """What one sentence of an update does: names or suggests a cause (``claim``, with the
    ``hedge`` that softens it), or admits the cause is not known (``admits``)."""

    sentence: Sentence
    claim: str | None = None
    hedge: str | None = None
    admits: tuple[str, str] | None = None  # what refers to the cause, and what says unknown

    @property
    def why(self) -> str:
        """The words that decided it, as a reader wants them: ``'believe', 'responsible'``."""
        if self.claim:
            return ", ".join(f"'{cue}'" for cue in (self.hedge, self.claim) if cue)
        return " … ".join(f"'{cue}'" for cue in self.admits or ())


@lru_cache(maxsize=512)
def judge(text: str, cues: UpdateCues) -> tuple[Judgement, ...]:
    """Each sentence of ``text``, judged: does it name or suggest a cause, or admit that the
    cause is not known? A cause cue does not count when it is negated ("not caused by"), when
    it points at an effect ("due to elevated errors"), or when its clause is still asking
    ("we are investigating what caused this"), unless a hedge makes it a suggestion. Runbooks
    share templates, so each text is judged once per set of cues."""
    found = []
    for sentence in sentences(text):
        hedge = next(cues.hedges.find(sentence.words), None)
        claim = admits = None
        for clause in sentence.clauses():
            asks = _first(cues.unknowns, clause)
            topic = _first(cues.topics, clause)
            negated = _first(cues.negations, clause)
            marker = asks or negated
            if topic and marker and admits is None:
                admits = (topic.said(clause), marker.said(clause))
            if claim is None and (hedge is not None or not (asks or (topic and negated))):
                claim = _claim(clause, cues)
        hedged = hedge.said(sentence.words) if hedge and claim else None
        found.append(Judgement(sentence, claim, hedged, admits))
    return tuple(found)


def _first(listed: Phrases, clause: Sequence[str]) -> Hit | None:
    return next(listed.find(clause), None)


def _claim(clause: Sequence[str], cues: UpdateCues) -> str | None:
    """The words of ``clause`` that name or suggest a cause, if any. A cue followed by a
    template expression is left alone: what fills it in is judged when it is posted."""
    for hit in cues.causes.every(clause):
        after = clause[hit.end] if hit.end < len(clause) else ""
        if _negated(clause, hit, cues) or after.startswith("{"):
            continue
        if cues.effects.at(clause, hit.end) is not None:
            continue  # "due to elevated errors": an effect
        if clause[hit.end - 1] in _BE and _participle(after):
            continue  # "until the root cause is tracked down": no cause named
        return hit.said(clause)
    for hit in cues.cause_verbs.every(clause):
        if _negated(clause, hit, cues) or not hit.inflected(clause) or _topic(clause, hit, cues):
            continue
        if hit.end < len(clause) and clause[hit.end] == "by":  # "caused by", "set off by"
            if cues.effects.at(clause, hit.end + 1) is None:
                return f"{hit.said(clause)} by"
        elif not _passive(clause, hit) and not _no_fault(_subject(clause, hit), cues):
            return hit.said(clause)
    return None


def _topic(clause: Sequence[str], hit: Hit, cues: UpdateCues) -> bool:
    """Whether a verb is part of a phrase that only refers to the cause ("root causes")."""
    return any(t.start <= hit.start < t.end for t in cues.topics.find(clause))


# Words between a subject and its verb: "a bad push has probably broken", "which we think led".
_BETWEEN = _word_set("have has had will would may might could can must also then not just")


def _subject(clause: Sequence[str], verb: Hit) -> list[str]:
    """The words of the noun phrase right before a verb: "the issue causing" → ``issue``,
    "a database connection issue is affecting" → ``database connection issue``; through a
    relative pronoun to what it stands for ("an incident that broke logins" → ``incident``)."""
    position = verb.start - 1
    while position >= 0 and (clause[position] in _BETWEEN or clause[position] in _BE):
        position -= 1
    while position >= 0 and clause[position].endswith("ly") and len(clause[position]) > 4:
        position -= 1  # "unintentionally reduced"
    if position >= 0 and clause[position] in _RELATIVE:
        position -= 1
    end = position + 1
    while position >= 0 and clause[position] not in _CLOSED and clause[position] != COLON:
        position -= 1
    return list(clause[position + 1 : end])


_RELATIVE = _word_set("that which who")


def _participle(word: str) -> bool:
    return word.endswith("ed") or word in _PARTICIPLES


_PARTICIPLES = frozenset(written[-1] for base, written in _IRREGULAR.items() if base != "be")


def _negated(clause: Sequence[str], hit: Hit, cues: UpdateCues) -> bool:
    """A negation right before the cue, over ``be`` and adverbs: "is not related to"."""
    position = hit.start - 1
    while position >= 0 and (clause[position] in _BE or clause[position] in ("yet", "been")):
        position -= 1
    if position < 0:
        return False
    return any(found.end == position + 1 for found in cues.negations.find(clause[: position + 1]))


def _passive(clause: Sequence[str], hit: Hit) -> bool:
    """``logins were broken``: the verb after ``be`` is a participle, so the subject is what
    suffered, not what did it (``is affecting`` is still active)."""
    before = [word for word in clause[: hit.start] if word != "not"]
    return bool(before) and before[-1] in _BE and _participle(clause[hit.start])


def _no_fault(subject: Sequence[str], cues: UpdateCues) -> bool:
    """A subject that names no fault: none ("we", "which"), or only effects and actors ("an
    issue", "elevated errors", "the on-call engineer")."""
    covered: set[int] = set()
    for listed in (cues.effects, cues.actors):
        for hit in listed.every(subject):
            covered.update(range(hit.start, hit.end))
    return len(covered) == len(subject)


class UpdateFinding(NamedTuple):
    """Something a reader of an update should hear about: a cause named too early, or no
    word on what is not known."""

    kind: str  # "premature-cause" or "no-unknowns"
    message: str
    sentence: str | None = None


def premature_causes(judgements: Iterable[Judgement]) -> Iterator[UpdateFinding]:
    """The sentences that name or suggest a cause, each with the words that show it."""
    for judgement in judgements:
        if judgement.claim:
            verb = "suggests" if judgement.hedge else "names"
            message = f"'{judgement.sentence.text}' {verb} a cause ({judgement.why})"
            yield UpdateFinding("premature-cause", message, judgement.sentence.text)


def admits_unknowns(judgements: Iterable[Judgement]) -> bool:
    return any(judgement.admits for judgement in judgements)


def check_update(
    text: str, causes: UpdateCues | None, unknowns: UpdateCues | None
) -> list[UpdateFinding]:
    """An update as the incident engine posts it: every premature cause (judged with the
    ``causes`` cues), and a finding when nothing in it admits what is not known yet (with the
    ``unknowns`` cues); ``None`` leaves that check out."""
    found = list(premature_causes(judge(text, causes))) if causes is not None else []
    if unknowns is not None and not admits_unknowns(judge(text, unknowns)):
        message = "nothing says what is not known yet (such as 'the cause is not yet known')"
        found.append(UpdateFinding("no-unknowns", message))
    return found
