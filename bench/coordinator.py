"""How fast are the coordinator pages at 10, 100 and 1,000 teams (10 respondents each)?

Reports median server time, query count and peak Python memory per page.

    .venv/bin/python bench/coordinator.py            # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samenspel .venv/bin/python bench/coordinator.py
"""

import sys
import tracemalloc

from common import database_name, measure, test_database
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

SIZES = [int(n) for n in sys.argv[1:]] or [10, 100, 1000]


def peak_memory_mb(call) -> float:
    tracemalloc.start()
    call()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def fetch(client: Client, url: str, *, anew: bool = False):
    """The whole response, a streamed CSV's rows too: they are read while it is sent.
    `anew`: as the first view after a summary in scope was written (nothing kept)."""
    if anew:
        cache.clear()
    response = client.get(url)
    response.getvalue()
    return response


def main() -> None:
    destroy = test_database()
    try:
        from teams.models import Network, Team, User

        coordinator = User.objects.create_user(email="bench@example.org", password="x" * 12)
        client = Client()
        client.force_login(coordinator)
        made = 0
        print(f"Coordinator pages on {database_name()}")
        for size in SIZES:
            call_command(
                "generate_load_data",
                teams=size - made,
                respondents=10,
                network="Bench",
                seed=size,
                stdout=open("/dev/null", "w"),  # noqa: SIM115
            )
            made = size
            network = Network.objects.get(name="Bench")
            network.coordinators.add(coordinator)
            assert Team.objects.filter(network=network).count() == size
            pages = {
                "compare teams (GET /compare/)": "/compare/",
                "compare, first view after a write": ("/compare/", True),
                "compare, sorted by a dimension": "/compare/?sort=communication&order=desc",
                "compare CSV (GET /compare.csv)": "/compare.csv",
                "network page (GET /networks/<id>/)": f"/networks/{network.pk}/",
            }
            for label, page in pages.items():
                url, anew = page if isinstance(page, tuple) else (page, False)
                assert fetch(client, url).status_code == 200, url
                result = measure(
                    f"{size:>5} teams: {label}",
                    lambda url=url, anew=anew: fetch(client, url, anew=anew),
                    repeat=15 if size >= 1000 else 30,
                )
                peak = peak_memory_mb(lambda url=url, anew=anew: fetch(client, url, anew=anew))
                print(f"{'':<48} peak memory {peak:6.1f} MB   ({result['queries']} queries)")
    finally:
        destroy()


if __name__ == "__main__":
    main()
