"""The coverage matrix of a local network and the network-health summary built from it.

A local reintegration network (LSR) works when its partners cover the six pillars of the service
profile, and two conditions are critical (seed 001): the club works at least under the mayor's
auspices, and type-C partners (culture, education, health, sport, employers) take part. Each cell
of the matrix, pillar × stakeholder type, lists the current members serving that pillar and the
offers valid today; an empty cell is a gap.

Everything is computed from three queries for any number of networks, so the region and national
summaries cost the same as one network.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from clubs.models import Pillar
from ksr_portal.collation import Polish
from networks.choices import NetworkKindChoices
from networks.models import Network
from stakeholders.choices import OrganizationStakeholderTypeChoices
from stakeholders.models import Membership, Organization, ServiceOffer

TYPES = OrganizationStakeholderTypeChoices.values  # A, B, C


@dataclass
class Cell:
    members: list = field(default_factory=list)
    offers: list = field(default_factory=list)

    @property
    def gap(self):
        return not self.members and not self.offers


@dataclass
class Coverage:
    network: Network
    rows: list  # [(pillar, [Cell for A, B, C])]
    members: list  # current member organisations
    mayor_auspices: bool
    type_c_present: bool

    @property
    def gaps(self):
        return sum(cell.gap for _pillar, cells in self.rows for cell in cells)

    @property
    def pillars_covered(self):
        return sum(any(not cell.gap for cell in cells) for _pillar, cells in self.rows)

    @property
    def works(self):
        return self.mayor_auspices and self.type_c_present

    def members_by_type(self):
        grouped = {kind: [] for kind in TYPES}
        for organization in self.members:
            grouped[organization.stakeholder_type].append(organization)
        return grouped


def current_memberships(today):
    return Q(joined_on__lte=today) & (Q(left_on__isnull=True) | Q(left_on__gte=today))


def coverage(networks, today):
    """{network pk: Coverage} for the given local networks."""
    networks = list(networks)
    pillars = list(Pillar.objects.order_by("order"))
    memberships = (
        Membership.objects.filter(current_memberships(today), network__in=networks)
        .select_related("organization")
        .prefetch_related(
            Prefetch("organization__pillars", Pillar.objects.only("pk")),
            Prefetch("agreement_pillars", Pillar.objects.only("pk")),
        )
    )
    offers = (
        ServiceOffer.objects.filter(network__in=networks, valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("organization", "service")
    )
    members_of = defaultdict(list)
    served = defaultdict(set)  # (network, organization) -> pillar pks
    for membership in memberships:
        organization = membership.organization
        members_of[membership.network_id].append(organization)
        served[membership.network_id, organization.pk] |= {p.pk for p in organization.pillars.all()}
        served[membership.network_id, organization.pk] |= {p.pk for p in membership.agreement_pillars.all()}
    offers_of = defaultdict(list)
    for offer in offers:
        offers_of[offer.network_id].append(offer)
    result = {}
    for network in networks:
        rows = []
        for pillar in pillars:
            cells = {kind: Cell() for kind in TYPES}
            for organization in members_of[network.pk]:
                if pillar.pk in served[network.pk, organization.pk]:
                    cells[organization.stakeholder_type].members.append(organization)
            for offer in offers_of[network.pk]:
                if offer.service.pillar_id == pillar.pk:
                    cells[offer.organization.stakeholder_type].offers.append(offer)
            rows.append((pillar, [cells[kind] for kind in TYPES]))
        members = sorted(members_of[network.pk], key=lambda o: o.name)
        result[network.pk] = Coverage(
            network=network,
            rows=rows,
            members=members,
            mayor_auspices=bool(network.hub_club_id and network.hub_club.under_mayor_auspices),
            type_c_present=any(o.stakeholder_type == OrganizationStakeholderTypeChoices.C for o in members),
        )
    return result


@dataclass
class Standing:
    """What the network lists and the network-health summary read of a local network's coverage: the cells
    (pillar, stakeholder type) that are not gaps, without who fills them."""

    network: Network
    mayor_auspices: bool
    type_c_present: bool
    covered: set
    cells: int  # pillars × stakeholder types

    @property
    def gaps(self):
        return self.cells - len(self.covered)

    @property
    def pillars_covered(self):
        return len({pillar for pillar, _type in self.covered})

    @property
    def works(self):
        return self.mayor_auspices and self.type_c_present


def standings(networks, today):
    """{network pk: Standing} for the given local networks, as `coverage()` would give them, from a few queries
    of values: no model instance per member or offer, whatever their number."""
    networks = list(networks)
    members = Membership.objects.filter(current_memberships(today), network__in=networks)
    of_organization, of_membership = defaultdict(set), defaultdict(set)
    organizations = Organization.pillars.through.objects.filter(organization__in=members.values("organization"))
    for organization, pillar in organizations.values_list("organization_id", "pillar_id"):
        of_organization[organization].add(pillar)
    agreements = Membership.agreement_pillars.through.objects.filter(membership__in=members)
    for membership, pillar in agreements.values_list("membership_id", "pillar_id"):
        of_membership[membership].add(pillar)
    covered, type_c = defaultdict(set), set()
    rows = members.values_list("pk", "network_id", "organization_id", "organization__stakeholder_type")
    for membership, network, organization, stakeholder_type in rows:
        covered[network] |= {(p, stakeholder_type) for p in of_organization[organization] | of_membership[membership]}
        if stakeholder_type == OrganizationStakeholderTypeChoices.C:
            type_c.add(network)
    offers = (
        ServiceOffer.objects.filter(network__in=networks, valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values_list("network_id", "service__pillar_id", "organization__stakeholder_type")
    )
    for network, pillar, stakeholder_type in offers:
        covered[network].add((pillar, stakeholder_type))
    cells = Pillar.objects.count() * len(TYPES)
    return {
        network.pk: Standing(
            network=network,
            mayor_auspices=bool(network.hub_club_id and network.hub_club.under_mayor_auspices),
            type_c_present=network.pk in type_c,
            covered=covered[network.pk],
            cells=cells,
        )
        for network in networks
    }


@dataclass
class Health:
    """How the local networks of one region (or of the country) stand."""

    label: str
    networks: int = 0
    with_auspices: int = 0
    with_type_c: int = 0
    working: int = 0
    pillars_covered: int = 0
    organizations: int = 0  # distinct organisations in any of its networks, counted once

    @property
    def average_pillars(self):
        return round(self.pillars_covered / self.networks, 1) if self.networks else 0


def health(coverages, today, label_of, members_in=None):
    """[Health per region] and the national Health, from local networks' Coverage (or Standing) and distinct
    member counts."""
    regions, total = {}, Health(label="")
    for item in coverages:
        network = item.network
        row = regions.setdefault(network.region_id, Health(label=label_of(network)))
        for summary in (row, total):
            summary.networks += 1
            summary.with_auspices += item.mayor_auspices
            summary.with_type_c += item.type_c_present
            summary.working += item.works
            summary.pillars_covered += item.pillars_covered
    if members_in is not None:
        # An organisation in several networks is one organisation: counted once per region and once in all.
        counted = members_in.filter(current_memberships(today))
        per_region = counted.values("network__region").annotate(n=Count("organization", distinct=True))
        for row in per_region.order_by():
            if row["network__region"] in regions:
                regions[row["network__region"]].organizations = row["n"]
        total.organizations = counted.aggregate(n=Count("organization", distinct=True))["n"]
    return sorted(regions.values(), key=lambda h: h.label), total


def working_networks(networks, today):
    """{region pk: how many of these local networks work}, in one query: `Coverage.works` without the
    matrix (the hub club under the mayor's auspices and a current type-C member)."""
    type_c = Membership.objects.filter(
        current_memberships(today),
        network=OuterRef("pk"),
        organization__stakeholder_type=OrganizationStakeholderTypeChoices.C,
    )
    working = networks.filter(kind=NetworkKindChoices.LOCAL, hub_club__under_mayor_auspices=True).filter(Exists(type_c))
    return dict(working.values("region").annotate(n=Count("pk")).order_by().values_list("region", "n"))


def local_networks(queryset):
    return queryset.filter(kind=NetworkKindChoices.LOCAL).select_related("hub_club", "region").order_by(Polish("name"))
