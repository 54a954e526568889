import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.collation import Polish
from networks.models import Region

from .models import Club, Pillar


class DirectoryFilter(django_filters.FilterSet):
    """Filters of the public directory of clubs."""

    q = django_filters.CharFilter(label=_("Name or town"), method="search")
    region = django_filters.ModelChoiceFilter(label=_("Region"), queryset=Region.objects.order_by(Polish("name")))
    municipality = django_filters.CharFilter(
        label=_("Municipality"), field_name="municipality__name", lookup_expr="icontains"
    )
    pillar = django_filters.ModelChoiceFilter(
        label=_("Services of the pillar"),
        queryset=Pillar.objects.order_by("order"),
        field_name="services__pillar",
        distinct=True,
    )

    class Meta:
        model = Club
        fields = ["q", "region", "municipality", "pillar"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(town__icontains=value))
