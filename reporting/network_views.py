"""Network pages for ROPS staff, animators and the national level: lists with health, a network's page."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from ksr_portal.scoping import permits
from networks.choices import NetworkKindChoices
from networks.models import Meeting, Network
from networks.picture import chain_of, picture
from stakeholders.models import Membership

from .coverage import coverage, health, local_networks, standings

# Agreements ending within this time are listed on the network's page for renewal.
RENEWAL_WARNING = datetime.timedelta(days=60)


def region_label(network):
    return network.region.name if network.region_id else "—"


@login_required
def network_list(request):
    today = timezone.localdate()
    networks = Network.objects.restrict(request.user)
    locals_ = list(local_networks(networks))
    per_network = standings(locals_, today)
    members = Membership.objects.restrict(request.user).filter(network__in=networks)
    regions, total = health(per_network.values(), today, region_label, members_in=members)
    return render(
        request,
        "networks/list.html",
        {
            "regions": regions,
            "total": total,
            "rows": [per_network[n.pk] for n in locals_],
            "others": networks.exclude(kind=NetworkKindChoices.LOCAL).select_related("region").order_by("kind", "name"),
        },
    )


@login_required
def network_detail(request, pk):
    today = timezone.localdate()
    network = get_object_or_404(
        Network.objects.restrict(request.user).select_related("region", "hub_club", "parent__parent"), pk=pk
    )
    meetings = (
        Meeting.objects.restrict(request.user)
        .filter(network=network)
        .prefetch_related("attending_organizations")
        .order_by("held_on")
    )
    user = request.user
    may = {  # only the links that open: the scope decides, as on the pages they lead to
        "change": permits(user, network, "change"),
        "add_member": permits(user, Membership(network=network), "add"),
        "add_meeting": permits(user, Meeting(network=network), "add"),
    }
    context = {"network": network, "meetings": meetings, "today": today, "may": may}
    if network.kind == NetworkKindChoices.LOCAL:
        item = coverage([network], today)[network.pk]
        leaves = [(o.name, f"type-{o.stakeholder_type}", "") for o in item.members]
        context |= {"coverage": item, "picture": picture(chain_of(network), leaves)}
        context["renewals"] = (
            Membership.objects.restrict(request.user)
            .filter(network=network, left_on__isnull=True, agreement_valid_until__lte=today + RENEWAL_WARNING)
            .select_related("organization")
            .order_by("agreement_valid_until")
        )
    else:
        children = list(
            Network.objects.restrict(request.user).filter(parent=network).select_related("region", "hub_club")
        )
        leaves = [
            (child.name, f"net-{child.kind}", reverse("reporting:network_detail", args=[child.pk]))
            for child in children
        ]
        context |= {
            "children": children,
            "picture": picture(chain_of(network), leaves),
            "members": Membership.objects.restrict(request.user)
            .filter(network=network, left_on__isnull=True)
            .select_related("organization")
            .order_by("organization__name"),
        }
    return render(request, "networks/detail.html", context)
