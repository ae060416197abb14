"""Which words of a statement changed: a word-level diff for the version's changes page.

Pure: text in, segments out. The segments carry plain text, never markup, so the template
escapes every word as it shows it; a statement with `<script>` in it stays text.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Kind = Literal["same", "removed", "added"]


@dataclass(frozen=True)
class Segment:
    kind: Kind
    text: str  # one or more words, separated by single spaces


@dataclass(frozen=True)
class WordDiff:
    before: tuple[Segment, ...]  # the old text: words kept and words removed
    after: tuple[Segment, ...]  # the new text: words kept and words added

    @property
    def changed(self) -> bool:
        return any(segment.kind != "same" for segment in self.before + self.after)


def _joined(parts: list[tuple[Kind, list[str]]]) -> tuple[Segment, ...]:
    """Neighbouring runs of the same kind as one segment, so that "two words" are marked
    as one stretch instead of word by word."""
    merged: list[tuple[Kind, list[str]]] = []
    for kind, words in parts:
        if not words:
            continue
        if merged and merged[-1][0] == kind:
            merged[-1][1].extend(words)
        else:
            merged.append((kind, list(words)))
    return tuple(Segment(kind, " ".join(words)) for kind, words in merged)


def word_diff(before: str, after: str) -> WordDiff:
    """The words removed from `before` and added in `after`. Words are split on white
    space, so a word with changed punctuation ("visie" → "visie.") counts as changed:
    a reader sees the mark and judges it. Spacing itself is not a change."""
    old, new = before.split(), after.split()
    # autojunk would ignore frequent words ("de", "het") in long texts; statements are short.
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    removed: list[tuple[Kind, list[str]]] = []
    added: list[tuple[Kind, list[str]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            removed.append(("same", old[i1:i2]))
            added.append(("same", new[j1:j2]))
        else:  # replace, delete, insert: a side without words adds nothing
            removed.append(("removed", old[i1:i2]))
            added.append(("added", new[j1:j2]))
    return WordDiff(before=_joined(removed), after=_joined(added))
