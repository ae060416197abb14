from modeltranslation.translator import TranslationOptions, register

from assessment.models import (
    ConversationQuestion,
    Dimension,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    ScaleLabel,
    Source,
)


@register(Source)
class SourceTranslation(TranslationOptions):
    fields = ("description",)


@register(Questionnaire)
class QuestionnaireTranslation(TranslationOptions):
    fields = ("name",)


@register(QuestionnaireVersion)
class QuestionnaireVersionTranslation(TranslationOptions):
    fields = ("notes",)


@register(ScaleLabel)
class ScaleLabelTranslation(TranslationOptions):
    fields = ("label",)


@register(Dimension)
class DimensionTranslation(TranslationOptions):
    fields = ("name", "description", "suggestions")


@register(Item)
class ItemTranslation(TranslationOptions):
    fields = ("text",)


@register(ConversationQuestion)
class ConversationQuestionTranslation(TranslationOptions):
    fields = ("text",)
