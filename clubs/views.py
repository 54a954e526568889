"""The public directory of clubs: for anyone, without logging in, and with no personal data."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render

from ksr_portal.collation import Polish

from .choices import ClubStatusChoices
from .filters import DirectoryFilter
from .models import Club, Service

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
