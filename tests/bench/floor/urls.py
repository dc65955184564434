"""The floor's one page: a stored HTML row, as a cached page would be served."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

TABLE = "bench_floor_page"


def page(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT html FROM {TABLE} WHERE id = 1")  # noqa: S608 - a constant name
        (html,) = cursor.fetchone()
    return HttpResponse(html)


urlpatterns = [path("floor/", page)]
