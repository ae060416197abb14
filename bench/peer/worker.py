"""The peer's side of bench/journey.py: one complete response per line read from stdin.

Run by journey.py with the peer's virtualenv (/tmp/peer-venv, see bench/journey.py); prints
one JSON line per journey: its server time in ms, requests and queries.
The questionnaire: as many radio questions (five choices) as Samenspel's version has
statements, all on one page, as the peer shows a survey by default: one GET of the
form and one POST of the whole form.
"""

import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "peer.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def main() -> None:
    setup_test_environment()
    # As bench/common.py's uninstrument_templates(): no context copies for the test client.
    from django.template import Template
    from django.test.utils import _TestState

    Template._render = _TestState.saved_data.template_render
    call_command("migrate", verbosity=0, run_syncdb=True)
    from survey.models import Category, Question, Survey

    items = int(sys.argv[1]) if len(sys.argv) > 1 else 52
    survey = Survey.objects.create(
        name="Bench",
        description="Bench",
        need_logged_user=False,
        display_method=Survey.ALL_IN_ONE_PAGE,
    )
    choices = ", ".join(["not at all", "a little", "partly", "mostly", "fully"])
    questions = []
    for dimension in range(8):
        category = Category.objects.create(
            name=f"Dimension {dimension}", survey=survey, order=dimension
        )
        for number in range(dimension, items, 8):
            questions.append(
                Question.objects.create(
                    text=f"Statement {number} about how the team works together",
                    order=number,
                    required=True,
                    survey=survey,
                    category=category,
                    type=Question.RADIO,
                    choices=choices,
                )
            )
    url = f"/survey/{survey.pk}/"

    def journey() -> dict:
        client = Client()
        form = {f"question_{q.pk}": "mostly" for q in questions}
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            shown = client.get(url)
            # As a browser sends a form.
            saved = client.post(
                url, urlencode(form), content_type="application/x-www-form-urlencoded"
            )
            elapsed = (time.perf_counter() - start) * 1000
        assert shown.status_code == 200, shown.status_code
        assert saved.status_code == 302 and "confirm" in saved["Location"], saved.status_code
        return {"ms": elapsed, "requests": 2, "queries": len(captured)}

    print(json.dumps({"ready": len(questions)}), flush=True)
    for line in sys.stdin:
        if line.strip() != "go":
            break
        print(json.dumps(journey()), flush=True)


if __name__ == "__main__":
    main()
