"""How fast is a respondent page? Median server time and queries of showing and saving.

.venv/bin/python bench/respondent.py            # SQLite
DATABASE_URL=postgres://postgres@127.0.0.1:5432/samenspel .venv/bin/python bench/respondent.py
"""

from common import database_name, measure, test_database
from django.test import Client


def main() -> None:
    destroy = test_database()
    try:
        from assessment.models import Item, Response, Round
        from assessment.questionnaire.importexport import install_shipped_questionnaire
        from teams.models import Network, Team

        [version] = install_shipped_questionnaire(up_to=1)
        team = Team.objects.create(network=Network.objects.create(name="Bench"), name="Bench")
        round = Round.objects.create(team=team, version=version, title="Bench")
        client = Client()
        client.post(round.respondent_path())
        response = Response.objects.get(round=round)
        client.post(f"/a/{response.token}/background/", {"sector": "school", "position": "staff"})
        items = list(Item.objects.filter(dimension__version=version, dimension__order=4))
        page = list(version.dimensions.order_by("order")).index(items[0].dimension) + 1
        form = {}
        for item in items:
            form |= {f"s-{item.pk}": "4", f"i-{item.pk}": "2", f"w-{item.pk}": "yes"}
        url = f"/a/{response.token}/p/{page}/"
        assert client.get(url).status_code == 200 and client.post(url, form).status_code == 302
        item_count = Item.objects.filter(dimension__version=version).count()

        print(
            f"Respondent pages on {database_name()}: {item_count}-item questionnaire, "
            f"a page of {len(items)} items"
        )
        measure("show a questionnaire page (GET)", lambda: client.get(url))
        measure("save a questionnaire page (POST)", lambda: client.post(url, form))
        measure("show the review page (GET)", lambda: client.get(f"/a/{response.token}/review/"))
        measure("show the round's landing page (GET)", lambda: client.get(round.respondent_path()))
    finally:
        destroy()


if __name__ == "__main__":
    main()
