"""An admin keeps the questionnaire up to date in Django admin, in a real browser: a draft,
a reworded and a new statement, the preview, the changes, publishing; the trend goes on."""

import random

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessment.demo import TeamProfile, make_responses
from assessment.models import Item, QuestionnaireVersion, Round
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_publishes_version_two_and_the_trend_runs_through_both(
    page, questionnaire, admin, team
):
    spring = Round.objects.create(
        team=team, version=questionnaire, title="Voorjaar", closed_at=timezone.now()
    )
    make_responses([(spring, 8, TeamProfile(level=3.0))], rng=random.Random(5))

    page.goto("/admin/")
    page.fill("#id_username", admin.email)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()

    # A new draft from version 1, with the admin action.
    page.goto("/admin/assessment/questionnaireversion/")
    page.locator(f"input[name=_selected_action][value='{questionnaire.pk}']").check()
    page.select_option("select[name=action]", "make_draft")
    page.locator("button[name=index]").click()
    draft = QuestionnaireVersion.objects.get(number=2)

    # Reword one statement and add one, in the first dimension's inline.
    dimension = draft.ordered_dimensions().first()
    page.goto(f"/admin/assessment/dimension/{dimension.pk}/change/")
    page.fill("#id_items-0-text_nl", "In ons team werken we vanuit één gedeelde visie.")
    page.fill("#id_items-0-text_en", "In our team we work from one shared vision.")
    page.locator("#items-group .add-row a").click()
    new_row = dimension.items.count()
    page.fill(f"#id_items-{new_row}-order", "9")
    page.fill(f"#id_items-{new_row}-key", "shared-vision.new-statement")
    page.fill(f"#id_items-{new_row}-text_nl", "We bespreken onze visie elk jaar opnieuw.")
    page.fill(f"#id_items-{new_row}-text_en", "We discuss our vision again every year.")
    page.select_option(f"#id_items-{new_row}-sources", index=0)
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()

    # The preview and the changes against version 1.
    page.goto(f"/admin/assessment/questionnaireversion/{draft.pk}/change/")
    page.get_by_role("link", name="Voorbeeld").click()
    expect(page.get_by_text("In ons team werken we vanuit één gedeelde visie.")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/admin/assessment/questionnaireversion/{draft.pk}/changes/")
    expect(page.locator("#reworded")).to_contain_text("gedeelde visie")
    expect(page.locator("#added")).to_contain_text("shared-vision.new-statement")

    # Publish it.
    page.goto("/admin/assessment/questionnaireversion/")
    page.locator(f"input[name=_selected_action][value='{draft.pk}']").check()
    page.select_option("select[name=action]", "publish_versions")
    page.locator("button[name=index]").click()
    expect(page.locator("#publish-immutable")).to_be_visible()
    assert_accessible(page)
    assert QuestionnaireVersion.objects.get(pk=draft.pk).is_draft
    page.locator(f"#retire-{draft.pk}").check()
    page.locator("#publish-form input[type=submit]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    draft.refresh_from_db()
    assert draft.status == QuestionnaireVersion.Status.PUBLISHED
    assert Item.objects.filter(dimension__version=draft).count() == 55
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireVersion.Status.RETIRED

    # A new round uses version 2; its results carry the trend through both versions.
    autumn = Round.objects.create(
        team=team,
        version=QuestionnaireVersion.objects.latest_published(),
        title="Najaar",
        closed_at=timezone.now(),
    )
    assert autumn.version == draft
    make_responses([(autumn, 8, TeamProfile(level=4.0))], rng=random.Random(6))
    page.goto(f"/r/{autumn.token}/results/")
    expect(page.locator("#trend-table tbody tr")).to_have_count(13)
    expect(page.locator("[data-figure='trend-figure'] svg.main-svg").first).to_be_visible()

    page.goto(f"/admin/assessment/questionnaireversion/{questionnaire.pk}/quality/")
    expect(page.locator("#quality-dimensions tbody tr")).to_have_count(13)
