"""The public directory of clubs and its open data: for anyone, without logging in, and with no personal data."""

import csv
import io

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import override
from django.views.decorators.cache import cache_control

from ksr_portal.collation import Polish

from .choices import ClubStatusChoices
from .filters import DirectoryFilter
from .models import Club, Service
from .opendata import ATTRIBUTION, DATASETS, LICENCE, LICENCE_URL

PAGE_SIZE = 25


def directory(request):
    clubs = (
        Club.objects.filter(status=ClubStatusChoices.ACTIVE)
        .select_related("region", "municipality", "operator")
        .prefetch_related(Prefetch("services", Service.objects.filter(is_active=True).order_by(Polish("name"))))
        .order_by(Polish("region__name"), Polish("municipality__name"), Polish("name"))
    )
    filtered = DirectoryFilter(request.GET, queryset=clubs)
    page = Paginator(filtered.qs, PAGE_SIZE).get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    return render(request, "clubs/directory.html", {"filter": filtered, "page": page, "query": query.urlencode()})


def open_data(request):
    """What the open data are, their licence and each file's data dictionary."""
    return render(
        request,
        "clubs/open_data.html",
        {"datasets": DATASETS.values(), "licence": LICENCE, "licence_url": LICENCE_URL, "attribution": ATTRIBUTION},
    )


@cache_control(public=True, max_age=3600)
def open_data_file(request, slug, file_format):
    dataset = DATASETS.get(slug)
    if dataset is None:
        raise Http404
    records = dataset.records()
    if file_format == "json":
        response = JsonResponse(records, safe=False, json_dumps_params={"ensure_ascii": False, "indent": 1})
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([column.name for column in dataset.columns])
        for record in records:
            writer.writerow(
                ["; ".join(v) if isinstance(v, list) else ("" if v is None else v) for v in record.values()]
            )
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slug}.{file_format}"'
    return response


@cache_control(public=True, max_age=3600)
def open_data_dictionary(request, slug):
    """The data dictionary of one dataset as CSV: column, type, meaning (in Polish, like the values)."""
    dataset = DATASETS.get(slug)
    if dataset is None:
        raise Http404
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with override("pl"):
        writer.writerow(["kolumna", "typ", "opis"])
        for column in dataset.columns:
            writer.writerow([column.name, str(column.kind), str(column.description)])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slug}-slownik.csv"'
    return response
