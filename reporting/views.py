"""Report pages and their CSV/XLSX exports: the same tables, the same suppression, logged when exported."""

import datetime

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clubs.models import Club
from ksr_portal.audit import log_bulk, log_export
from ksr_portal.collation import Polish
from ksr_portal.routers import replica_reads
from ksr_portal.scoping import user_scope
from networks.models import Region
from participants.models import Enrollment, Participant
from participants.visibility import sees_identities

from . import esf, figures, quality
from .counts import Scope
from .exports import csv_response, sheet_response, xlsx_response
from .forms import FIRST_YEAR, LAST_YEAR, ComparisonForm, PeriodForm, YearForm, errors_of
from .periods import Period, months_back
from .tables import Table, legend, suppress

# The voivodeships in their geographic arrangement: (column, row) of each tile.
TILES = {
    "32": (0, 0), "22": (1, 0), "28": (2, 0), "20": (3, 0),
    "08": (0, 1), "30": (1, 1), "04": (2, 1), "14": (3, 1),
    "02": (0, 2), "10": (1, 2), "26": (2, 2), "06": (3, 2),
    "16": (0, 3), "24": (1, 3), "12": (2, 3), "18": (3, 3),
}  # fmt: skip
TILE = 120


def readable_regions(user):
    """Regions whose reports the user may read: all for a national scope, their own for a regional one."""
    scope = user_scope(user)
    if user.is_superuser or (scope and scope.level == "national"):
        return Region.objects.order_by(Polish("name"))
    if scope and scope.level == "region":
        return Region.objects.filter(pk=scope.region_id)
    return Region.objects.none()


def suppressed_for(user):
    """Roles that must not identify people get small cells suppressed; club staff and superusers do not."""
    return not (user.is_superuser or user.has_perm("participants.view_participant"))


def period_from(request, default_start):
    """The period of ?od= and ?do= (each may be left out), and what was wrong with them.

    Input outside the dates a report may cover is refused: the page then shows the default period with
    the form's messages, and answers 400.
    """
    today = timezone.localdate()
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return Period(default_start, today), errors_of(form)
    start = form.cleaned_data["od"] or default_start
    end = form.cleaned_data["do"] or today
    if end < start:
        start, end = end, start
    return Period(start, end), []


def respond(request, template, title, tables, context, regions, filename, errors=()):
    """The page, or its export when ?format=csv|xlsx; suppression first, whichever it is.

    With `errors` in the parameters, the page shows them and answers 400, and nothing is exported.
    """
    if suppressed_for(request.user):
        for table in tables:
            suppress(table)
    file_format = request.GET.get("format")
    if file_format in ("csv", "xlsx") and not errors:
        log_bulk(
            Region,
            [region.pk for region in regions],
            LogEntry.Action.ACCESS,
            {"export": f"{filename}.{file_format}", "query": request.GET.urlencode()},
            actor=request.user,
        )
        export = csv_response if file_format == "csv" else xlsx_response
        return export(title, tables, filename)
    query = request.GET.copy()
    query.pop("format", None)
    context = {
        "title": title,
        "tables": tables,
        "legend": legend(tables),
        "query": query.urlencode(),
        "errors": errors,
        **context,
    }
    return render(request, template, context, status=400 if errors else 200)


def reads_nationally(user):
    return user.is_superuser or user_scope(user).level == "national"


def region_tables(region, period, compared):
    """The region report's tables, not yet suppressed."""
    with replica_reads():
        return figures.region_report(region, period, compared)


def dashboard_tables(regions, period, national):
    """The dashboard's tables (not yet suppressed): the regions compared, or a region's own figures, the
    monthly trend of the last 12 months, and the records to put right today over the whole scope."""
    today = timezone.localdate()
    months = months_back(today, 12)
    scope = Scope.of_regions(regions)
    with replica_reads():
        values, totals = figures.national_figures(regions, period, scope)
        table = figures.national_table(regions, values, totals, national)
        trend = figures.monthly_trend(scope, months)
        problems = quality.counts([scope], quality.CHECKS, today)[scope.key]
    to_put_right = Table(
        _("Records to put right"),
        [_("records")],
        [(check.label, [n]) for check, n in zip(quality.CHECKS, problems, strict=True)],
    )
    return [table, trend, to_put_right]


def annual_tables(user, year, terc=None):
    """The annual report's tables (not yet suppressed) over the clubs the user reads, of one region if asked."""
    clubs = Club.objects.restrict(user)
    if terc:
        clubs = clubs.filter(region__terc=terc)
    if not clubs.exists() and (terc or not readable_regions(user).exists()):
        raise Http404
    with replica_reads():
        return figures.annual_club_report(clubs, year)


@login_required
def region_report(request, terc):
    region = get_object_or_404(readable_regions(request.user), terc=terc)
    today = timezone.localdate()
    period, errors = period_from(request, datetime.date(today.year, 1, 1))
    comparison = ComparisonForm(request.GET)
    compared = comparison.compared(period)
    errors = [*errors, *errors_of(comparison)]
    title = _("Region report: %(region)s, %(period)s") % {"region": region, "period": period}
    tables = region_tables(region, period, compared)
    context = {"region": region, "period": period, "compared": compared, "comparison": comparison}
    return respond(request, "reporting/report.html", title, tables, context, [region], f"raport-{terc}", errors)


@login_required
def annual_report(request):
    today = timezone.localdate()
    form = YearForm(request.GET)
    valid = form.is_valid()
    year = (form.cleaned_data["rok"] if valid else None) or today.year - 1
    regions = list(readable_regions(request.user))
    tables = annual_tables(request.user, year, request.GET.get("region"))
    title = _("Annual report on social integration clubs, %(year)s") % {"year": year}
    context = {"year": year, "regions": regions, "first_year": FIRST_YEAR, "last_year": LAST_YEAR}
    errors = [] if valid else errors_of(form)
    return respond(request, "reporting/report.html", title, tables, context, regions, f"sprawozdanie-{year}", errors)


@login_required
def eu_indicators(request):
    regions = list(readable_regions(request.user))
    if not regions:
        raise Http404
    today = timezone.localdate()
    period, errors = period_from(request, datetime.date(today.year, 1, 1))
    title = _("EU indicators (ESF+), %(period)s") % {"period": period}
    with replica_reads():
        tables = figures.eu_indicators(Scope.of_regions(regions), period)
    context = {"period": period, "sheet": sees_identities(request.user)}
    return respond(request, "reporting/report.html", title, tables, context, regions, "wskazniki-ue", errors)


@login_required
def esf_participants(request):
    """The ESF+ participant sheet, one row per person per project, with the indicators of the same people
    above it; only for readers who see the people of their scope whole (everyone else reads the indicators
    as counts on the EU page). Reading the sheet and exporting it leave an access entry per person."""
    user = request.user
    if not sees_identities(user):
        raise Http404
    today = timezone.localdate()
    period, errors = period_from(request, datetime.date(today.year, 1, 1))
    stays = esf.stays(user, period)
    rows = esf.sheet_rows(stays)
    people = sorted({stay.person.pk for stay in stays})
    file_format = request.GET.get("format")
    if file_format in ("csv", "xlsx") and not errors:
        log_export(user, Participant, people, f"uczestnicy-efs.{file_format}")
        return sheet_response(file_format, esf.HEADERS, rows, "uczestnicy-efs")
    log_bulk(Participant, people, LogEntry.Action.ACCESS, actor=user)
    indicators = figures.eu_indicators(Scope.of_clubs(Club.objects.restrict(user)), period)
    query = request.GET.copy()
    query.pop("format", None)
    context = {
        "title": _("ESF+ participants, %(period)s") % {"period": period},
        "period": period,
        "headers": esf.HEADERS,
        "rows": rows,
        "tables": indicators,
        "query": query.urlencode(),
        "errors": errors,
    }
    return render(request, "reporting/esf_participants.html", context, status=400 if errors else 200)


@login_required
def dashboard(request):
    regions = list(readable_regions(request.user))
    if not regions:
        raise Http404
    today = timezone.localdate()
    period, errors = period_from(request, datetime.date(today.year, 1, 1))
    measure = request.GET.get("miara")
    measure = measure if measure in figures.MEASURES else "active_people"
    national = reads_nationally(request.user)
    tables = dashboard_tables(regions, period, national)
    table, trend, to_put_right = tables
    if national:
        title = _("National dashboard, %(period)s") % {"period": period}
    else:
        title = _("Region dashboard: %(region)s, %(period)s") % {"region": regions[0], "period": period}
    if request.GET.get("format") in ("csv", "xlsx") and not errors:
        return respond(request, "", title, tables, {}, regions, "pulpit")
    if suppressed_for(request.user):
        for t in tables:
            suppress(t)
    column = list(figures.MEASURES).index(measure)
    shown = {region.pk: table.cell(r, column) for r, region in enumerate(regions)}
    numbers = [v for v in shown.values() if isinstance(v, int | float)]
    high = max(numbers) if numbers else 0
    by_terc = {region.terc: region for region in Region.objects.order_by("terc")}
    readable = {region.pk for region in regions}
    tiles = []
    for terc, (col, row) in TILES.items():
        region = by_terc.get(terc)
        value = shown.get(region.pk) if region else None
        level = (
            min(4, int(5 * value / high)) if isinstance(value, int | float) and high else (None if value is None else 0)
        )
        tiles.append(
            {
                "x": col * TILE,
                "y": row * TILE,
                "name": region.name if region else terc,
                "terc": terc,
                "value": value,
                "level": level,
                "readable": region is not None and region.pk in readable,
            }
        )
    peak = max([values[0] for _label, values in trend.rows] + [1])
    bars = []
    for i, (label, values) in enumerate(trend.display_rows()):
        height = int(150 * values[0] / peak) if peak and isinstance(values[0], int) else 0
        bars.append({"x": 20 + i * 50, "y": 170 - height, "height": height, "label": label})
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "title": title,
            "period": period,
            "table": table,
            "trend": trend,
            "to_put_right": to_put_right,
            "legend": legend(tables),
            "tiles": tiles,
            "bars": bars,
            "measures": figures.MEASURES,
            "measure": measure,
            "measure_label": figures.MEASURES[measure],
            "query": query.urlencode(),
            "size": TILE * 4,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def data_quality(request):
    """The records that contradict each other or lack what reports need: a club's staff get the records
    they may see, linked to where each is fixed; a region's or the country's readers get counts per club
    or region, over every check, as the other reports count."""
    user = request.user
    today = timezone.localdate()
    regions = list(readable_regions(user))
    scope = user_scope(user)
    if not regions:
        checks = quality.checks_for(user)
        if not (checks and scope and scope.level == "club"):
            raise Http404
        records = quality.records(user, Enrollment.objects.restrict(user), checks, today)
        context = {"title": _("Data quality: %(club)s") % {"club": scope.club}, "records": records}
        return render(request, "reporting/quality.html", {"shown": quality.SHOWN, **context})
    checks = quality.CHECKS
    region = None
    if request.GET.get("region"):
        region = next((r for r in regions if r.terc == request.GET["region"]), None)
        if region is None:
            raise Http404
        regions = [region]
    by_region = len(regions) > 1
    if by_region:
        places = regions
        scopes = [Scope.of_region(place) for place in places]
    else:
        places = list(Club.objects.filter(region=regions[0]).order_by(Polish("name")))
        scopes = [Scope.of_clubs([place]) for place in places]
    found = quality.counts(scopes, checks, today)
    rows = [(str(place), found[scope.key]) for place, scope in zip(places, scopes, strict=True)]
    rows.append((_("Total"), [sum(values[i] for _label, values in rows) for i in range(len(checks))]))
    table = Table(
        _("Records to put right, by region") if by_region else _("Records to put right, by club"),
        [check.label for check in checks],
        rows,
        total_row=True,
    )
    if suppressed_for(user):
        suppress(table)
    context = {
        "title": _("Data quality: %(region)s") % {"region": regions[0]} if not by_region else _("Data quality"),
        "table": table,
        "legend": legend([table]),
        "regions": regions if by_region else [],
    }
    return render(request, "reporting/quality.html", context)
