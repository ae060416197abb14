from assessment.models.conversation import ConversationQuestion
from assessment.models.installation import Installation
from assessment.models.invitations import RoundInvitation
from assessment.models.meetings import Meeting, MeetingPhone, MeetingVote
from assessment.models.plans import Action
from assessment.models.questionnaire import (
    KEY_VALIDATOR,
    Dimension,
    ImmutableVersionError,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    ScaleLabel,
    Source,
)
from assessment.models.rounds import (
    Answer,
    DimensionAnswer,
    DimensionScore,
    DimensionTotal,
    Position,
    Response,
    Round,
    Sector,
    StartCount,
    StatementTotal,
)
from assessment.models.summaries import DimensionSummary, RoundSummary

__all__ = [
    "Action",
    "KEY_VALIDATOR",
    "Answer",
    "ConversationQuestion",
    "Dimension",
    "DimensionAnswer",
    "DimensionScore",
    "DimensionSummary",
    "DimensionTotal",
    "ImmutableVersionError",
    "Installation",
    "Item",
    "Meeting",
    "MeetingPhone",
    "MeetingVote",
    "Position",
    "Questionnaire",
    "QuestionnaireVersion",
    "Response",
    "RoundInvitation",
    "RoundSummary",
    "Round",
    "ScaleLabel",
    "Sector",
    "Source",
    "StartCount",
    "StatementTotal",
]
