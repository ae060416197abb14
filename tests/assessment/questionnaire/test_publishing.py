import pytest
from django.utils import translation

from assessment.models import Dimension, ImmutableVersionError, Item, QuestionnaireVersion
from assessment.questionnaire.publishing import PublishError, create_draft, publish, replaced_by


@pytest.fixture
def draft(questionnaire):
    return create_draft(source=questionnaire)


def test_a_new_draft_copies_everything_and_keeps_the_keys(questionnaire, draft):
    assert draft.number == 2
    assert draft.based_on == questionnaire
    assert draft.is_draft

    def content(version):
        return [
            (
                d.key,
                d.name_nl,
                d.name_en,
                sorted(s.key for s in d.sources.all()),
                [
                    (
                        i.key,
                        i.text_nl,
                        i.text_en,
                        i.reverse_scored,
                        sorted(s.key for s in i.sources.all()),
                    )
                    for i in d.items.all()
                ],
            )
            for d in version.ordered_dimensions()
        ]

    assert content(draft) == content(questionnaire)
    assert draft.scale_labels.count() == questionnaire.scale_labels.count() == 8
    assert draft.strength_threshold == questionnaire.strength_threshold


def test_a_complete_draft_is_published_and_earlier_versions_stay_published(questionnaire, draft):
    publish(version=draft)
    draft.refresh_from_db()
    questionnaire.refresh_from_db()
    assert draft.status == QuestionnaireVersion.Status.PUBLISHED
    assert draft.published_at is not None
    assert questionnaire.status == QuestionnaireVersion.Status.PUBLISHED
    assert QuestionnaireVersion.objects.latest_published() == draft


def test_publishing_an_incomplete_draft_is_refused_with_every_reason(draft):
    first = draft.ordered_dimensions().first()
    Item.objects.filter(dimension=first).delete()
    item = Item.objects.filter(dimension__version=draft).first()
    item.text_en = ""
    item.save()
    item.sources.clear()
    last = draft.ordered_dimensions().last()
    last.sources.clear()

    with pytest.raises(PublishError) as refused:
        publish(version=draft)

    problems = refused.value.problems
    assert len(problems) == 4
    assert any(first.name_nl in p for p in problems)
    assert sum(item.key in p for p in problems) == 2
    assert any(last.name_nl in p for p in problems)
    draft.refresh_from_db()
    assert draft.is_draft


def test_a_draft_without_dimensions_cannot_be_published(draft):
    Dimension.objects.filter(version=draft).delete()
    with translation.override("en"):
        assert draft.publication_problems() == ["The version has no dimensions."]
    assert draft.publication_problems() == ["Deze versie heeft geen dimensies."]


def test_a_published_version_cannot_be_published_again(questionnaire):
    with pytest.raises(PublishError):
        publish(version=questionnaire)


def test_a_published_version_cannot_change(questionnaire):
    dimension = questionnaire.dimensions.first()
    item = dimension.items.first()
    label = questionnaire.scale_labels.first()

    item.text_nl = "Iets anders"
    with pytest.raises(ImmutableVersionError):
        item.save()
    with pytest.raises(ImmutableVersionError):
        item.delete()
    dimension.name_nl = "Anders"
    with pytest.raises(ImmutableVersionError):
        dimension.save()
    with pytest.raises(ImmutableVersionError):
        Item.objects.create(dimension=dimension, key="new.item", text_nl="x", text_en="x")
    label.label_nl = "Anders"
    with pytest.raises(ImmutableVersionError):
        label.save()
    questionnaire.strength_threshold = 2
    with pytest.raises(ImmutableVersionError):
        questionnaire.save()
    assert Item.objects.get(pk=item.pk).text_nl != "Iets anders"


def test_a_draft_can_change(draft):
    item = Item.objects.filter(dimension__version=draft).first()
    item.text_nl = "Nieuwe formulering"
    item.save()
    assert Item.objects.get(pk=item.pk).text_nl == "Nieuwe formulering"


def test_a_draft_replaces_the_latest_published_version_of_its_own_questionnaire(
    questionnaire, draft
):
    assert replaced_by(draft) == questionnaire
    assert replaced_by(questionnaire) is None


def test_publishing_with_retire_retires_the_replaced_version_only(questionnaire, draft):
    retired = publish(version=draft, retire=questionnaire)

    assert retired == questionnaire
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireVersion.Status.RETIRED
    assert list(QuestionnaireVersion.objects.published()) == [draft]
    # Its content stays as it was: a retired version is as immutable as a published one.
    item = Item.objects.filter(dimension__version=questionnaire).first()
    item.text_nl = "Anders"
    with pytest.raises(ImmutableVersionError):
        item.save()


def test_publishing_retires_nothing_when_the_named_version_is_not_the_one_replaced(
    questionnaire, draft
):
    newer = create_draft(source=questionnaire)
    newer.set_status(QuestionnaireVersion.Status.PUBLISHED)

    assert publish(version=draft, retire=questionnaire) is None

    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireVersion.Status.PUBLISHED


def test_a_refused_publication_retires_nothing(questionnaire, draft):
    Dimension.objects.filter(version=draft).delete()
    with pytest.raises(PublishError):
        publish(version=draft, retire=questionnaire)
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireVersion.Status.PUBLISHED


def test_a_new_draft_of_version_two_asks_as_version_two_does(questionnaire_v2):
    draft = create_draft(source=questionnaire_v2)

    assert draft.importance_asked_per == QuestionnaireVersion.AskedPer.DIMENSION
    assert draft.separate_not_applicable
    assert draft.asks_mark
    assert draft.form == questionnaire_v2.form
