"""Networks and stakeholders: the registry's rules, coverage and health, network pages, the public directory."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from clubs.models import Pillar
from ksr_portal import roles
from ksr_portal.models import UserScope
from reporting.coverage import coverage, health, standings
from stakeholders.models import Membership, Organization, ServiceOffer
from stakeholders.registry import merge, similar_organizations

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def pillars(*codes):
    return [Pillar.objects.get(code=code) for code in codes]


def regional_user(region, role=roles.ROPS_STAFF):
    user = f.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(role))
    UserScope.objects.create(user=user, level="region", region=region)
    return user


# --- coverage ------------------------------------------------------------------------------------------


@pytest.fixture
def lsr():
    """A hand-built local network: its matrix is written out in the test below."""
    region = f.RegionFactory(terc="26")
    hub = f.ClubFactory(region=region, under_mayor_auspices=True)
    network = f.LocalNetworkFactory(region=region, hub_club=hub)
    ops = f.OrganizationFactory(region=region, stakeholder_type="B", name="OPS", pillars=pillars("social"))
    kis = f.OrganizationFactory(
        region=region, stakeholder_type="A", name="KIS", pillars=pillars("social", "vocational")
    )
    library = f.OrganizationFactory(region=region, stakeholder_type="C", name="Biblioteka", pillars=pillars("culture"))
    gone = f.OrganizationFactory(region=region, stakeholder_type="C", name="Dawny", pillars=pillars("sport"))
    f.MembershipFactory(network=network, organization=ops, joined_on=TODAY - 100 * DAY)
    f.MembershipFactory(network=network, organization=kis, joined_on=TODAY - 100 * DAY)
    library_membership = f.MembershipFactory(network=network, organization=library, joined_on=TODAY - 50 * DAY)
    library_membership.agreement_pillars.set(pillars("education"))  # committed to in the agreement
    f.MembershipFactory(network=network, organization=gone, joined_on=TODAY - 300 * DAY, left_on=TODAY - 10 * DAY)
    health_service = f.ServiceFactory(pillar=pillars("health")[0], name="Profilaktyka")
    f.ServiceOfferFactory(network=network, organization=library, service=health_service, valid_from=TODAY - DAY)
    f.ServiceOfferFactory(  # expired: not counted
        network=network,
        organization=library,
        service=f.ServiceFactory(pillar=pillars("sport")[0]),
        valid_from=TODAY - 90 * DAY,
        valid_until=TODAY - DAY,
    )
    return network


def test_the_coverage_matrix_of_a_hand_built_network(lsr):
    item = coverage([lsr], TODAY)[lsr.pk]
    written = {
        pillar.code: [
            "+".join([o.name for o in cell.members] + [f"offer:{x.service.name}" for x in cell.offers]) or "gap"
            for cell in cells
        ]
        for pillar, cells in item.rows
    }
    assert written == {
        #              A       B      C
        "social": ["KIS", "OPS", "gap"],
        "vocational": ["KIS", "gap", "gap"],
        "education": ["gap", "gap", "Biblioteka"],
        "culture": ["gap", "gap", "Biblioteka"],
        "health": ["gap", "gap", "offer:Profilaktyka"],
        "sport": ["gap", "gap", "gap"],  # the sports partner left, its offer expired
    }
    assert item.gaps == 12 and item.pillars_covered == 5
    assert item.mayor_auspices and item.type_c_present and item.works


@pytest.mark.parametrize("seed", range(4))
def test_the_standing_of_networks_is_what_their_coverage_matrix_says(lsr, seed):
    """The lists and the region report read a network's standing without its matrix: the same gaps, pillars
    and critical conditions, for networks of members with pillars of their own and by agreement, offers
    current and expired, members gone."""
    rng = random.Random(seed)
    every = list(Pillar.objects.all())
    networks = [lsr]
    for _i in range(4):
        network = f.LocalNetworkFactory(
            region=lsr.region, parent=lsr.parent, hub_club=rng.choice([None, f.ClubFactory(region=lsr.region)])
        )
        networks.append(network)
        for _j in range(rng.randrange(5)):
            organization = f.OrganizationFactory(
                region=lsr.region, stakeholder_type=rng.choice("ABC"), pillars=rng.sample(every, rng.randrange(3))
            )
            membership = f.MembershipFactory(
                network=network,
                organization=organization,
                joined_on=TODAY - rng.randrange(1, 300) * DAY,
                left_on=rng.choice([None, TODAY - DAY, TODAY + DAY]),
            )
            membership.agreement_pillars.set(rng.sample(every, rng.randrange(2)))
            if rng.random() < 0.5:
                f.ServiceOfferFactory(
                    network=network,
                    organization=rng.choice(Organization.objects.all()),
                    service=f.ServiceFactory(pillar=rng.choice(every)),
                    valid_from=TODAY - 10 * DAY,
                    valid_until=rng.choice([None, TODAY - DAY, TODAY]),
                )
    matrices, found = coverage(networks, TODAY), standings(networks, TODAY)
    facts = ("mayor_auspices", "type_c_present", "works", "gaps", "pillars_covered")
    for network in networks:
        assert [getattr(found[network.pk], name) for name in facts] == [
            getattr(matrices[network.pk], name) for name in facts
        ]
    assert len({found[n.pk].gaps for n in networks}) > 1


def test_the_critical_conditions_fail_without_auspices_or_type_c(lsr):
    lsr.hub_club.under_mayor_auspices = False
    lsr.hub_club.save()
    Membership.objects.filter(organization__stakeholder_type="C").update(left_on=TODAY - DAY)
    item = coverage([lsr], TODAY)[lsr.pk]
    assert not item.mayor_auspices and not item.type_c_present and not item.works


def test_an_organisation_in_several_networks_is_counted_once(lsr):
    second = f.LocalNetworkFactory(region=lsr.region, parent=lsr.parent)
    shared = Organization.objects.get(name="OPS")
    f.MembershipFactory(network=second, organization=shared, joined_on=TODAY - DAY)
    f.MembershipFactory(network=lsr.parent, organization=shared, joined_on=TODAY - DAY)  # and in the RSR
    other_region = f.LocalNetworkFactory(region=f.RegionFactory(terc="24"))
    f.MembershipFactory(network=other_region, organization=f.OrganizationFactory(region=other_region.region))
    per_network = coverage([lsr, second, other_region], TODAY)
    regions, total = health(per_network.values(), TODAY, lambda n: n.region.terc, members_in=Membership.objects.all())
    by_region = {row.label: row for row in regions}
    assert by_region["26"].organizations == 3  # OPS, KIS, Biblioteka; the departed one not counted
    assert by_region["26"].networks == 2
    assert by_region["24"].organizations == 1
    assert total.organizations == 4 and total.networks == 3


# --- registry ------------------------------------------------------------------------------------------


def test_same_nip_or_regon_is_refused():
    first = f.OrganizationFactory(regon="732065814")
    with pytest.raises(ValidationError):
        f.OrganizationFactory.build(nip=first.nip, region=first.region, municipality=None).validate_constraints()
    with transaction.atomic(), pytest.raises(IntegrityError):
        f.OrganizationFactory(regon="732065814", nip="")


def test_a_similar_name_in_the_same_municipality_is_a_likely_duplicate():
    library = f.OrganizationFactory(name="Gminna Biblioteka Publiczna w Górnie")
    same_place = f.OrganizationFactory.build(
        name="Gminna Biblioteka Publiczna Górno", municipality=library.municipality, region=library.region
    )
    elsewhere = f.OrganizationFactory.build(name="Gminna Biblioteka Publiczna w Górnie", region=library.region)
    elsewhere.municipality = f.MunicipalityFactory(region=library.region)
    assert similar_organizations(same_place) == [library]
    assert similar_organizations(elsewhere) == []


def test_the_admin_warns_of_a_likely_duplicate_and_saves_after_confirmation(client):
    library = f.OrganizationFactory(name="Biblioteka Publiczna w Morawicy")
    client.force_login(regional_user(library.region))
    data = {
        "name": "Biblioteka Publiczna Morawica",
        "legal_form": "public_institution",
        "stakeholder_type": "C",
        "region": library.region_id,
        "municipality": library.municipality_id,
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    warned = client.post(reverse("admin:stakeholders_organization_add"), data)
    assert warned.status_code == 200 and "Biblioteka Publiczna w Morawicy" in warned.content.decode()
    assert Organization.objects.count() == 1
    saved = client.post(reverse("admin:stakeholders_organization_add"), data | {"confirm_not_duplicate": "on"})
    assert saved.status_code == 302
    assert Organization.objects.count() == 2


def test_merge_keeps_memberships_offers_and_references():
    region = f.RegionFactory(terc="26")
    keep = f.OrganizationFactory(region=region, name="Stowarzyszenie Razem", nip="", pillars=pillars("social"))
    twin = f.OrganizationFactory(region=region, name="Stow. Razem", pillars=pillars("sport"))
    shared = f.LocalNetworkFactory(region=region)
    only_twin = f.LocalNetworkFactory(region=region, parent=shared.parent)
    f.MembershipFactory(network=shared, organization=keep, joined_on=TODAY - 10 * DAY)
    f.MembershipFactory(network=shared, organization=twin, joined_on=TODAY - 100 * DAY, agreement_signed_on=TODAY)
    f.MembershipFactory(network=only_twin, organization=twin)
    offer = f.ServiceOfferFactory(network=only_twin, organization=twin)
    club = f.ClubFactory(region=region, operator=twin)
    twin_nip = twin.nip
    merge(twin, keep)
    assert not Organization.objects.filter(pk=twin.pk).exists()
    assert set(Membership.objects.filter(organization=keep).values_list("network", flat=True)) == {
        shared.pk,
        only_twin.pk,
    }
    kept = Membership.objects.get(organization=keep, network=shared)
    assert kept.joined_on == TODAY - 100 * DAY and kept.agreement_signed_on == TODAY
    assert ServiceOffer.objects.get(pk=offer.pk).organization == keep
    club.refresh_from_db()
    assert club.operator == keep
    keep.refresh_from_db()
    assert keep.nip == twin_nip
    assert set(keep.pillars.values_list("code", flat=True)) == {"social", "sport"}


def test_merge_refuses_across_regions_and_changes_nothing():
    one, other = f.OrganizationFactory(region=f.RegionFactory(terc="26")), f.OrganizationFactory()
    other.region = f.RegionFactory(terc="24")
    other.save()
    with pytest.raises(ValidationError):
        merge(one, other)
    assert Organization.objects.count() == 2


def test_merge_from_the_admin_action(client):
    region = f.RegionFactory(terc="26")
    keep, twin = f.OrganizationFactory(region=region), f.OrganizationFactory(region=region)
    client.force_login(regional_user(region))
    url = reverse("admin:stakeholders_organization_changelist")
    data = {"action": "merge_organizations", "_selected_action": [keep.pk, twin.pk]}
    confirm = client.post(url, data)
    assert confirm.status_code == 200 and "keep" in confirm.content.decode()
    client.post(url, data | {"keep": keep.pk})
    assert list(Organization.objects.values_list("pk", flat=True)) == [keep.pk]


def test_a_merge_leaves_its_provenance_in_the_audit_trail(client):
    from auditlog.models import LogEntry

    region = f.RegionFactory(terc="26")
    keep = f.OrganizationFactory(region=region)
    twin = f.OrganizationFactory(region=region, email="biuro@razem.example.org")
    contact = f.ContactPersonFactory(organization=twin)
    club = f.ClubFactory(region=region, operator=twin)
    user = regional_user(region)
    client.force_login(user)
    url = reverse("admin:stakeholders_organization_changelist")
    client.post(url, {"action": "merge_organizations", "_selected_action": [keep.pk, twin.pk], "keep": keep.pk})
    by_user = LogEntry.objects.filter(actor=user)
    removed = by_user.get(action=LogEntry.Action.DELETE)
    assert removed.object_pk == str(twin.pk) and removed.changes_dict["name"][0] == twin.name  # what it was
    updated = LogEntry.objects.get_for_object(keep).get(actor=user, action=LogEntry.Action.UPDATE)
    assert updated.changes_dict["email"][1] == twin.email
    for moved in (contact, club):
        entry = LogEntry.objects.get_for_object(moved).get(actor=user)
        assert next(iter(entry.changes_dict.values())) == [str(twin.pk), str(keep.pk)]


# --- meeting files ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, accepted",
    [
        ("protokol.pdf", b"%PDF-1.7 minutes", True),
        ("protokol.docx", b"PK\x03\x04 docx", True),
        ("protokol.exe", b"MZ\x90\x00", False),
        ("protokol.pdf", b"MZ\x90\x00 renamed program", False),
    ],
)
def test_meeting_minutes_file_type_is_checked(name, content, accepted):
    meeting = f.MeetingFactory.build(network=f.LocalNetworkFactory())
    meeting.minutes_file = SimpleUploadedFile(name, content)
    if accepted:
        meeting.full_clean()
    else:
        with pytest.raises(ValidationError) as excinfo:
            meeting.full_clean()
        assert "minutes_file" in excinfo.value.error_dict


def test_meeting_minutes_file_size_is_limited(settings):
    settings.KSR_MAX_DOCUMENT_MB = 1
    meeting = f.MeetingFactory.build(network=f.LocalNetworkFactory())
    meeting.minutes_file = SimpleUploadedFile("protokol.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as excinfo:
        meeting.full_clean()
    assert "minutes_file" in excinfo.value.error_dict


def test_minutes_are_downloaded_only_within_scope(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = f.MeetingFactory(network=f.LocalNetworkFactory(region=f.RegionFactory(terc="26")))
    meeting.minutes_file.save("protokol.pdf", SimpleUploadedFile("protokol.pdf", b"%PDF-1.7"))
    url = reverse("networks:document", args=["protokol", meeting.pk])
    client.force_login(regional_user(f.RegionFactory(terc="24")))
    assert client.get(url).status_code == 404
    client.force_login(regional_user(meeting.network.region))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.7"


# --- pages -------------------------------------------------------------------------------------------------


def test_network_page_shows_hub_members_matrix_meetings_and_picture(client, lsr, django_assert_max_num_queries):
    f.MeetingFactory(network=lsr, held_on=TODAY - 5 * DAY, topic="Drugie spotkanie")
    f.MeetingFactory(network=lsr, held_on=TODAY - 50 * DAY, topic="Pierwsze spotkanie")
    client.force_login(regional_user(lsr.region))
    with django_assert_max_num_queries(20):
        page = client.get(reverse("reporting:network_detail", args=[lsr.pk]))
    html = page.content.decode()
    assert "<svg" in html and str(lsr.hub_club) in html and "Biblioteka" in html
    assert html.index("Pierwsze spotkanie") < html.index("Drugie spotkanie")
    for _i in range(10):  # more members and meetings: the same number of queries
        f.MembershipFactory(
            network=lsr, organization=f.OrganizationFactory(region=lsr.region, pillars=pillars("sport"))
        )
        f.MeetingFactory(network=lsr, attending_organizations=[Organization.objects.first()])
    with django_assert_max_num_queries(20):
        client.get(reverse("reporting:network_detail", args=[lsr.pk]))


def test_network_list_rolls_up_health_in_bounded_queries(client, lsr, django_assert_max_num_queries):
    client.force_login(regional_user(lsr.region))
    with django_assert_max_num_queries(17):
        page = client.get(reverse("reporting:network_list"))
    assert page.context["total"].networks == 1
    for _i in range(5):
        f.MembershipFactory(network=f.LocalNetworkFactory(region=lsr.region, parent=lsr.parent))
    with django_assert_max_num_queries(17):
        page = client.get(reverse("reporting:network_list"))
    assert page.context["total"].networks == 6


def test_out_of_region_network_is_404(client, lsr):
    client.force_login(regional_user(f.RegionFactory(terc="24")))
    assert client.get(reverse("reporting:network_detail", args=[lsr.pk])).status_code == 404


def test_public_directory_lists_active_clubs_with_services_and_no_personal_data(client, django_assert_max_num_queries):
    region = f.RegionFactory(terc="26")
    service = f.ServiceFactory(pillar=pillars("culture")[0], name="Warsztaty teatralne")
    active = f.ClubFactory(region=region, name="KIS Aktywny", manager_name="Kierowniczka Tajna", services=[service])
    f.ClubFactory(region=region, name="KIS Zamknięty", status="closed", closed_on=TODAY)
    f.ClubFactory(region=f.RegionFactory(terc="24"), name="KIS Śląski")
    with django_assert_max_num_queries(7):
        page = client.get(reverse("clubs:directory"))
    html = page.content.decode()
    assert "KIS Aktywny" in html and "Warsztaty teatralne" in html and "KIS Śląski" in html
    assert "KIS Zamknięty" not in html and "Kierowniczka Tajna" not in html
    by_region = client.get(reverse("clubs:directory"), {"region": region.pk}).content.decode()
    assert "KIS Aktywny" in by_region and "KIS Śląski" not in by_region
    by_pillar = client.get(reverse("clubs:directory"), {"pillar": pillars("sport")[0].pk}).content.decode()
    assert "KIS Aktywny" not in by_pillar
    for i in range(30):  # a longer directory costs no more queries
        f.ClubFactory(region=region, name=f"KIS nr {i}", services=[service, active.services.first()])
    with django_assert_max_num_queries(7):
        client.get(reverse("clubs:directory"))
