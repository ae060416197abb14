"""Respondent-facing Dutch of version 2 and the short form is plain language (B1).

What a respondent reads is checked: every statement, every dimension name, and every
dimension description (the respondent page shows it under the name).

The bars, and why:

- **At most 20 words per statement** (and per sentence of a description). Plain-language
  guidance for B1 puts the average sentence at about 10 to 15 words and treats more than
  20 as long; a statement is read once, on a phone, next to five answer buttons.
- **No jargon** from JARGON: the words the issue names ("werkvloer", "managementniveau")
  and the policy and management words that B1 guidance tells writers to replace. A bso
  pedagogical worker, a teacher and a youth-care worker must all be able to answer.
- **Flesch-Douma reading ease**, the Dutch Flesch formula (Douma 1960):
  206.84 - 0.77 x syllables per 100 words - 0.93 x words per sentence. textstat's "nl"
  flesch_reading_ease uses exactly these constants (206.835, 77 per syllable per word, 0.93);
  a test below holds it to our own computation, so an upgrade that changed them would show.
  Syllables come from textstat's count, which for Dutch is pyphen's hyphenation points
  plus one (it undercounts a few words such as "idee" by a syllable).
  On a single short sentence the score is noisy: it is driven almost only by syllables
  per word, so one unavoidable long word ("samenwerking", "leidinggevenden",
  "organisaties") moves a 9-word statement by 15 to 20 points. Hence two bars:
  * every statement scores at least 30 (below 30 is "very difficult" on Douma's scale;
    above it, only such domain words pull a statement down), and
  * the mean over a version's statements is at least 60 (60 to 70 is "normal" text;
    B1 material usually scores from about 60 up). Version 1 had a mean of 53 and a
    lowest statement of -4.
  Descriptions are several sentences, so less noisy: each scores at least 50.
  Dimension names are titles of 3 to 6 words; a reading-ease formula says nothing about
  them, so they are held to the word count and the jargon list only.
"""

import json
import re

import pytest
from textstat.textstat import textstatistics

from assessment.questionnaire.importexport import SHIPPED_DIRECTORY

FILES = ("samenspel-v2.json", "samenspel-v2-kort.json")
MAX_WORDS = 20
MAX_NAME_WORDS = 6
MIN_STATEMENT_EASE = 30.0
MIN_MEAN_EASE = 60.0
MIN_DESCRIPTION_EASE = 50.0

# Matched against the lowercased text, so a stem catches its forms and compounds.
JARGON = (
    "werkvloer",
    "managementniveau",
    "domeinoverstijg",
    "interprofession",
    "interdisciplin",
    "multidisciplin",
    "integratie",
    "integraal",
    "verticale",
    "horizontale",
    "implement",
    "mandaat",
    "faciliter",
    "optimali",
    "structureel",
    "adequa",
    "stakeholder",
    "ketenpartner",
    "casuïstiek",
    "persoonsafhankelijk",
    "doorgaande lijn",
    "toegerust",
    "preventi",
    "inclusi",
    "middels",
    "inzake",
    "ten behoeve van",
    "ongeacht",
    "desbetreffend",
)

_nl = textstatistics()
_nl.set_lang("nl")


def flesch_douma(text: str) -> float:
    words = _nl.lexicon_count(text)
    syllables = _nl.syllable_count(text)
    sentences = _nl.sentence_count(text)
    return 206.84 - 0.77 * (100 * syllables / words) - 0.93 * (words / sentences)


def _load(name: str) -> dict:
    return json.loads((SHIPPED_DIRECTORY / name).read_text(encoding="utf-8"))


def _statements(name: str) -> list[tuple[str, str]]:
    return [
        (item["key"], item["text"]["nl"])
        for dimension in _load(name)["dimensions"]
        for item in dimension["items"]
    ]


STATEMENTS = [(name, key, text) for name in FILES for key, text in _statements(name)]
DIMENSIONS = [(name, dimension) for name in FILES for dimension in _load(name)["dimensions"]]


def _words(text: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


def _jargon(text: str) -> list[str]:
    lowered = text.lower()
    return [word for word in JARGON if word in lowered]


def test_textstats_dutch_reading_ease_is_flesch_douma():
    for text in ("Er is genoeg tijd om samen te werken.", _statements(FILES[0])[0][1]):
        assert _nl.flesch_reading_ease(text) == pytest.approx(flesch_douma(text), abs=0.01)


def test_the_readability_check_would_fail_version_1():
    """The bar is not so low that version 1's wording would pass it."""
    scores = [flesch_douma(text) for _key, text in _statements("samenspel-v1.json")]
    assert min(scores) < MIN_STATEMENT_EASE
    assert sum(scores) / len(scores) < MIN_MEAN_EASE
    assert any(_jargon(text) for _key, text in _statements("samenspel-v1.json"))


@pytest.mark.parametrize(("name", "key", "text"), STATEMENTS, ids=[s[1] for s in STATEMENTS])
def test_every_statement_is_short_plain_and_readable(name, key, text):
    assert _words(text) <= MAX_WORDS, f"{key}: {_words(text)} words"
    assert not _jargon(text), f"{key}: jargon {_jargon(text)}"
    assert flesch_douma(text) >= MIN_STATEMENT_EASE, f"{key}: {flesch_douma(text):.1f}"
    assert text.endswith("."), f"{key}: one statement, one sentence"
    assert text.count(".") == 1 and "?" not in text, f"{key}: one statement, one sentence"


@pytest.mark.parametrize("name", FILES)
def test_the_mean_reading_ease_of_a_version_reaches_the_bar(name):
    scores = [flesch_douma(text) for _key, text in _statements(name)]
    assert sum(scores) / len(scores) >= MIN_MEAN_EASE


@pytest.mark.parametrize(
    ("name", "dimension"), DIMENSIONS, ids=[f"{n}:{d['key']}" for n, d in DIMENSIONS]
)
def test_every_dimension_name_and_description_is_plain(name, dimension):
    title = dimension["name"]["nl"]
    assert _words(title) <= MAX_NAME_WORDS, title
    assert not _jargon(title), title
    description = dimension["description"]["nl"]
    assert not _jargon(description), f"{dimension['key']}: jargon {_jargon(description)}"
    for sentence in re.split(r"(?<=[.!?])\s+", description):
        assert _words(sentence) <= MAX_WORDS, sentence
    assert flesch_douma(description) >= MIN_DESCRIPTION_EASE, dimension["key"]
