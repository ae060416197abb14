"""How fast is a round's results page? Median server time and queries, 50 respondents.

A closed round: the facilitator opens its page again and again during the team's
conversation (kept, results/kept.py), and the first view after a change renders it afresh
(measured with the cache emptied before each request).

.venv/bin/python bench/results.py            # SQLite
DATABASE_URL=postgres://postgres@127.0.0.1:5432/samenspel .venv/bin/python bench/results.py
"""

import random

from common import database_name, measure, test_database
from django.core.cache import cache
from django.test import Client
from django.utils import timezone


def main(respondents: int = 50) -> None:
    destroy = test_database()
    try:
        from assessment.demo import TeamProfile, make_responses
        from assessment.models import Round, Sector
        from assessment.questionnaire.importexport import install_shipped_questionnaire
        from teams.models import Membership, Network, Team, User

        [version] = install_shipped_questionnaire(up_to=1)
        team = Team.objects.create(network=Network.objects.create(name="Bench"), name="Bench")
        user = User.objects.create_user(email="bench@example.org", password="x" * 12)
        Membership.objects.create(team=team, user=user, role=Membership.Role.FACILITATOR)
        round = Round.objects.create(
            team=team, version=version, title="Bench", closed_at=timezone.now()
        )
        profile = TeamProfile(
            level=3.4, sectors=(Sector.CHILDCARE, Sector.SCHOOL, Sector.YOUTH_CARE)
        )
        answers = make_responses([(round, respondents, profile)], rng=random.Random(1))
        client = Client()
        client.force_login(user)
        page = f"/rounds/{round.pk}/results/"
        assert client.get(page).status_code == 200

        print(f"Results on {database_name()}: {respondents} respondents, {answers} answers")
        measure("show the closed round's results page (GET)", lambda: client.get(page))

        def first_view():
            cache.clear()
            return client.get(page)

        measure("show it first, after a change (GET)", first_view)
        measure(
            "download the results CSV (GET)", lambda: client.get(f"/rounds/{round.pk}/results.csv")
        )
    finally:
        destroy()


if __name__ == "__main__":
    main()
