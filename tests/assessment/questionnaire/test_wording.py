"""The word-level diff of a reworded statement (assessment/questionnaire/wording.py)."""

from hypothesis import given
from hypothesis import strategies as st

from assessment.questionnaire import wording
from assessment.questionnaire.wording import Segment, word_diff
from tests.purity import imported_modules


def _text(segments, kinds=("same", "removed", "added")) -> str:
    return " ".join(s.text for s in segments if s.kind in kinds)


def test_a_replaced_word_is_removed_before_and_added_after():
    diff = word_diff("We delen een visie", "We delen één visie")
    assert diff.before == (
        Segment("same", "We delen"),
        Segment("removed", "een"),
        Segment("same", "visie"),
    )
    assert diff.after == (
        Segment("same", "We delen"),
        Segment("added", "één"),
        Segment("same", "visie"),
    )
    assert diff.changed


def test_neighbouring_changed_words_are_one_stretch():
    diff = word_diff("In ons team werken we samen", "In ons hele brede team werken we samen")
    assert diff.before == (Segment("same", "In ons team werken we samen"),)
    assert diff.after == (
        Segment("same", "In ons"),
        Segment("added", "hele brede"),
        Segment("same", "team werken we samen"),
    )


def test_words_taken_out_show_only_on_the_old_side():
    diff = word_diff("We bespreken het elk jaar", "We bespreken het")
    assert diff.before[-1] == Segment("removed", "elk jaar")
    assert diff.after == (Segment("same", "We bespreken het"),)


def test_changed_punctuation_marks_the_word_and_spacing_marks_nothing():
    assert word_diff("Wij delen visie", "Wij delen visie.").after[-1] == Segment("added", "visie.")
    assert not word_diff("Wij  delen\tvisie ", "Wij delen visie").changed


def test_an_empty_side_gives_no_segments():
    diff = word_diff("", "Nieuw")
    assert diff.before == ()
    assert diff.after == (Segment("added", "Nieuw"),)


def test_markup_in_a_statement_stays_plain_text_in_the_segments():
    diff = word_diff("Wij <b>delen</b>", "Wij <script>alert(1)</script>")
    assert Segment("added", "<script>alert(1)</script>") in diff.after


words = st.lists(
    st.sampled_from(["we", "de", "het", "team", "visie", "delen", "één", "<i>"]), max_size=12
)


@given(words, words)
def test_each_side_keeps_its_own_words_in_order_and_the_kept_words_agree(old, new):
    diff = word_diff(" ".join(old), " ".join(new))
    assert _text(diff.before).split() == old
    assert _text(diff.after).split() == new
    assert _text(diff.before, ("same",)) == _text(diff.after, ("same",))
    assert not any(s.kind == "added" for s in diff.before)
    assert not any(s.kind == "removed" for s in diff.after)
    assert diff.changed == (old != new)


def test_the_module_is_pure():
    assert imported_modules(wording.__file__) <= {"dataclasses", "difflib", "typing"}
