"""Pages that belong to no app: the health check and the error page."""

import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache

DATABASE_DOWN = (OperationalError, InterfaceError)


@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 when this server can reach the database, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_DOWN:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """A page that needs nothing that may have failed: no database, no context processors.

    When the database is away (a restart, a failover) the visitor is asked to try again
    in a moment; their saved answers are safe.
    """
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
