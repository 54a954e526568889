"""The API's endpoints. Every one takes its rows from `restrict(user, action)`, the user being the key's service
account, so it reaches nothing that role and scope could not reach in the pages; out of scope is 404."""

import datetime
from contextlib import ExitStack

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, views, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings

from clubs.models import Club, Pillar, Service
from ksr_portal.audit import log_access, log_bulk
from ksr_portal.scoping import permits
from networks.models import Municipality, Network
from reporting import views as reports
from reporting.forms import ComparisonForm, YearForm, errors_of
from reporting.periods import Period
from reporting.tables import Hidden, legend, suppress
from stakeholders.models import Organization

from . import serializers
from .exceptions import drf_validation_error
from .models import REFERENCE_TAKEN, InboundReferral

REGION_FILTER = OpenApiParameter(
    "region", str, description=_("Only the rows of the voivodeship of this TERC code (2 digits).")
)


def not_found(request):
    return JsonResponse({"detail": str(_("Not found."))}, status=404)


class ClientActs:
    """The request's writes and reads of personal data are logged as the client's (its service account)."""

    def initial(self, request, *args, **kwargs):
        self.audit = ExitStack()
        super().initial(request, *args, **kwargs)
        self.audit.enter_context(set_actor(request.user))

    def finalize_response(self, request, response, *args, **kwargs):
        if hasattr(self, "audit"):
            self.audit.close()
        return super().finalize_response(request, response, *args, **kwargs)


class ScopedViewSet(ClientActs, viewsets.GenericViewSet):
    """Rows from `restrict()`."""

    region_path = None  # the lookup to the row's region, for `?region=<TERC>`

    def get_queryset(self):
        rows = self.queryset.all().restrict(self.request.user, "view")
        region = self.request.query_params.get("region")
        if region is not None and self.region_path:
            rows = rows.filter(**{f"{self.region_path}__terc": region})
        return rows


def reference(model_serializer, tag, description, region_path=None, lookup="pk", queryset=None):
    """A read-only endpoint of reference data."""

    model = model_serializer.Meta.model
    parameters = [REGION_FILTER] if region_path else []
    schema = extend_schema_view(
        list=extend_schema(tags=[tag], description=description, parameters=parameters),
        retrieve=extend_schema(tags=[tag], description=description),
    )
    return schema(
        type(
            f"{model.__name__}ViewSet",
            (mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet),
            {
                "queryset": queryset if queryset is not None else model.objects.all(),
                "serializer_class": model_serializer,
                "region_path": region_path,
                "lookup_field": lookup,
            },
        )
    )


REFERENCE = _("Reference data")
RegionViewSet = reference(
    serializers.RegionSerializer,
    REFERENCE,
    _("Voivodeships with their regional social policy centre (ROPS), by TERC code."),
    lookup="terc",
)
MunicipalityViewSet = reference(
    serializers.MunicipalitySerializer,
    REFERENCE,
    _("Municipalities (gminy) by TERC code, with their county, voivodeship and DEGURBA class."),
    region_path="region",
    lookup="terc",
    queryset=Municipality.objects.select_related("region", "county"),
)
NetworkViewSet = reference(
    serializers.NetworkSerializer,
    REFERENCE,
    _("The national, regional and local reintegration networks."),
    region_path="region",
    queryset=Network.objects.select_related("region"),
)
ClubViewSet = reference(
    serializers.ClubSerializer,
    REFERENCE,
    _("Social integration clubs (KIS) and centres (CIS), as the directory and the registry show them."),
    region_path="region",
    queryset=Club.objects.select_related("region", "municipality").prefetch_related("services"),
)
PillarViewSet = reference(
    serializers.PillarSerializer,
    REFERENCE,
    _("The six pillars of the service catalogue."),
    lookup="code",
    queryset=Pillar.objects.all(),
)
ServiceViewSet = reference(
    serializers.ServiceSerializer,
    REFERENCE,
    _("The services of the catalogue, each under its pillar."),
    queryset=Service.objects.select_related("pillar"),
)
OrganizationViewSet = reference(
    serializers.OrganizationSerializer,
    REFERENCE,
    _("Partner organisations of the networks (stakeholders of type A, B and C)."),
    region_path="region",
    queryset=Organization.objects.select_related("region", "municipality").prefetch_related("pillars"),
)


REFERRALS = _("Referrals")


@extend_schema_view(
    list=extend_schema(tags=[REFERRALS], description=_("The referrals your organisation sent, newest first.")),
    retrieve=extend_schema(
        tags=[REFERRALS], description=_("A referral your organisation sent, by your own reference, with the answer.")
    ),
    create=extend_schema(
        tags=[REFERRALS],
        description=_(
            "Refer a person to a club. The club sees the referral in its workbench and accepts or declines it "
            "with an answer; read the answer back by your reference."
        ),
    ),
)
class ReferralViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """A referrer's referrals: each key's organisation reads only the referrals it sent."""

    queryset = InboundReferral.objects.prefetch_related("eligibility_categories").order_by("-created_at", "-pk")
    serializer_class = serializers.InboundReferralSerializer
    lookup_field = "reference"
    lookup_value_regex = ".+"

    def get_queryset(self):
        return super().get_queryset().filter(referrer_id=getattr(self.request.auth, "organization_id", None))

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        shown = [row["reference"] for row in response.data["results"]]
        pks = self.get_queryset().filter(reference__in=shown).values_list("pk", flat=True)
        log_bulk(InboundReferral, pks, LogEntry.Action.ACCESS, actor=request.user)
        return response

    def retrieve(self, request, *args, **kwargs):
        referral = self.get_object()
        log_access(referral)
        return Response(self.get_serializer(referral).data)

    def perform_create(self, serializer):
        key = self.request.auth
        data = dict(serializer.validated_data)
        categories = data.pop("eligibility_categories", [])
        referral = InboundReferral(client=key, referrer=key.organization, **data)
        try:
            referral.full_clean()
        except ValidationError as error:
            raise drf_validation_error(error) from None
        if not permits(self.request.user, referral, "add"):
            raise Http404
        try:
            with transaction.atomic():
                referral.save()
                referral.eligibility_categories.set(categories)
        except IntegrityError:  # the same reference posted twice at once: full_clean() saw neither
            raise drf_validation_error(ValidationError({"reference": REFERENCE_TAKEN})) from None
        serializer.instance = referral


FIGURES = _("Figures")
PERIOD = [
    OpenApiParameter("od", datetime.date, description=_("Start of the period (default: 1 January this year).")),
    OpenApiParameter("do", datetime.date, description=_("End of the period (default: today).")),
]


class FiguresView(ClientActs, views.APIView):
    """A report's tables as JSON: the regions the key's scope reads, the same suppression as its pages."""

    permission_classes = [IsAuthenticated]

    def answer(self, title, period, tables):
        if reports.suppressed_for(self.request.user):
            for table in tables:
                suppress(table)
        data = {
            "title": title,
            "period_start": period.start,
            "period_end": period.end,
            "tables": [
                {
                    "title": str(table.title),
                    "columns": [str(column) for column in table.columns],
                    "rows": [
                        {"label": str(label), "values": [figure(value) for value in values]}
                        for label, values in table.display_rows()
                    ],
                    "hidden": sorted([r, c] for r, c in table.hidden),
                }
                for table in tables
            ],
            "legend": legend(tables),
        }
        return Response(serializers.FiguresSerializer(data).data)

    def period(self, *forms):
        today = timezone.localdate()
        period, errors = reports.period_from(self.request, datetime.date(today.year, 1, 1))
        errors += [error for form in forms for error in errors_of(form)]
        if errors:
            raise exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: errors})
        return period


def figure(value):
    if isinstance(value, Hidden):
        return None
    return value if isinstance(value, int | float) or value is None else str(value)


class RegionFiguresView(FiguresView):
    @extend_schema(
        tags=[FIGURES],
        description=_("The region report's tables for a voivodeship (by TERC code) the key's scope reads."),
        parameters=[
            *PERIOD,
            OpenApiParameter("porownanie", str, description=_("What the period is compared with.")),
        ],
        responses=serializers.FiguresSerializer,
    )
    def get(self, request, terc):
        region = reports.readable_regions(request.user).filter(terc=terc).first()
        if region is None:
            raise Http404
        comparison = ComparisonForm(request.GET)
        period = self.period(comparison)
        title = _("Region report: %(region)s, %(period)s") % {"region": region, "period": period}
        return self.answer(title, period, reports.region_tables(region, period, comparison.compared(period)))


class DashboardFiguresView(FiguresView):
    @extend_schema(
        tags=[FIGURES],
        description=_(
            "The dashboard's tables: the regions compared (a region's own figures for a regional key), "
            "the monthly trend and the records to put right."
        ),
        parameters=PERIOD,
        responses=serializers.FiguresSerializer,
    )
    def get(self, request):
        regions = list(reports.readable_regions(request.user))
        if not regions:
            raise Http404
        period = self.period()
        national = reports.reads_nationally(request.user)
        if national:
            title = _("National dashboard, %(period)s") % {"period": period}
        else:
            title = _("Region dashboard: %(region)s, %(period)s") % {"region": regions[0], "period": period}
        return self.answer(title, period, reports.dashboard_tables(regions, period, national))


class AnnualFiguresView(FiguresView):
    @extend_schema(
        tags=[FIGURES],
        description=_(
            "The annual report's tables (art. 18 of the Social Employment Act) over the clubs the key's scope "
            "reads, of one voivodeship if asked."
        ),
        parameters=[
            OpenApiParameter("rok", int, description=_("The year reported on (default: last year).")),
            OpenApiParameter("region", str, description=_("A voivodeship's TERC code.")),
        ],
        responses=serializers.FiguresSerializer,
    )
    def get(self, request):
        form = YearForm(request.GET)
        if not form.is_valid():
            raise exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: errors_of(form)})
        year = form.cleaned_data["rok"] or timezone.localdate().year - 1
        tables = reports.annual_tables(request.user, year, request.GET.get("region"))
        title = _("Annual report on social integration clubs, %(year)s") % {"year": year}
        return self.answer(title, Period.year(year), tables)
