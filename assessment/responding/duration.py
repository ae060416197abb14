"""How long filling in a version takes, from what it asks: said on the start page and
beside each version where a facilitator opens a round.

A statement is read and weighed: about 7 seconds. Every other answer (importance, wanting
to work on it, the report mark) is one quick tap on a question already understood: about 3.
That puts version 1 (54 statements, 162 answers) at about 12 minutes, and a short form of
14 statements with importance and wanting asked per dimension (43 answers) under 5.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessment.questionnaire.structure import Structure

SECONDS_PER_STATEMENT = 7
SECONDS_PER_OTHER_ANSWER = 3
# Below this, "about 3 minutes" promises more precision than we have.
SHORT = 5


def estimated_seconds(statements: int, answers: int) -> int:
    """`answers`: all a respondent gives who answers everything, statements included."""
    return statements * SECONDS_PER_STATEMENT + (answers - statements) * SECONDS_PER_OTHER_ANSWER


def estimated_minutes(shape: Structure) -> int:
    """Rounded up to whole minutes: a promise to keep, not to break by a few seconds."""
    seconds = estimated_seconds(len(shape.all_items), shape.answer_count)
    return max(1, -(-seconds // 60))


def duration_text(shape: Structure) -> str:
    """ "about 12 minutes" or "less than 5 minutes", to go in a sentence."""
    seconds = estimated_seconds(len(shape.all_items), shape.answer_count)
    if seconds < SHORT * 60:
        return _("less than %(minutes)d minutes") % {"minutes": SHORT}
    minutes = estimated_minutes(shape)
    return ngettext("about %(minutes)d minute", "about %(minutes)d minutes", minutes) % {
        "minutes": minutes
    }
