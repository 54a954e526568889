"""No identity leaves its scope: every role × every admin page and portal URL, searched for markers.

The data span two regions with two clubs each. Every name, number and text that could identify a
person or a scoped record carries a unique marker, tagged with where it belongs. For each role the
test opens every admin model's changelist and add page, the change, history and delete pages of
every object, every autocomplete endpoint, and every portal URL, and searches each response for
markers out of that role's scope. The walk reads the admin registry and the URL list, so a model or
page added later is under the test without new code. Change pages render their inline rows and
those rows' choices, so inline rows are walked too (tests/test_inlines.py posts them). Out of scope
are also, for the instructor, the PESELs and the case of people of their own club (the record page,
its JSON and the timeline show them only the name and attendance), and, for the national
coordinator, whatever the audit trail's entries of people's records say.
"""

from dataclasses import dataclass, field

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.urls import reverse

from clubs.models import Activity
from ksr_portal import roles
from ksr_portal.admin import PortalImportExportMixin
from ksr_portal.models import UserScope
from networks.models import Meeting, Network
from participants.models import ActionPlan, CaseDocument, Enrollment, Participant, SocialContract

from . import factories as f

pytestmark = pytest.mark.django_db

REGIONS = ["26", "24"]
CLUBS = ["A", "B"]
HOME_REGION, HOME_CLUB = "26", "A"
USERS = {
    # label: (role, scope level, region, club)
    "analyst": (roles.MINISTRY_ANALYST, "national", None, None),
    "national": (roles.NATIONAL_COORDINATOR, "national", None, None),
    "rops": (roles.ROPS_STAFF, "region", HOME_REGION, None),
    "animator": (roles.REGIONAL_ANIMATOR, "region", HOME_REGION, None),
    "coordinator": (roles.KIS_COORDINATOR, "club", HOME_REGION, HOME_CLUB),
    "instructor": (roles.KIS_INSTRUCTOR, "club", HOME_REGION, HOME_CLUB),
    "coordinator-24": (roles.KIS_COORDINATOR, "club", "24", HOME_CLUB),
}


@dataclass
class Marker:
    text: str
    # "person" (a name), "identity" (a PESEL), "record" (a club's case: plan, contract, referral),
    # "regional", "club" (a club's work), "public" (a club's name, listed in the directory)
    kind: str
    region: str
    clubs: set = field(default_factory=set)


class World:
    def __init__(self):
        self.markers = []
        self.clubs = {}
        self.users = {}
        self.club_names = {r: set() for r in REGIONS}

    def mark(self, kind, region, *clubs):
        text = f"QX{len(self.markers):03d}QX"
        self.markers.append(Marker(text, kind, region, set(clubs)))
        return text

    def forbidden(self, label):
        role, level, region, club = USERS[label]
        hidden = []
        for m in self.markers:
            if m.kind == "public":
                out = False
            elif level == "national":
                out = m.kind in PERSONAL
            elif level == "region":
                out = m.kind in PERSONAL or m.region != region
            elif m.kind == "regional":
                out = m.region != region
            elif role == roles.KIS_INSTRUCTOR and m.kind in ("identity", "record"):
                out = True  # the instructor sees a person's name and attendance, not the PESEL or the case
            else:
                out = (region, club) not in m.clubs
            if out:
                hidden.append(m.text)
        return hidden


def enroll(world, person, key, region):
    club = world.clubs[key]
    enrollment = f.EnrollmentFactory(participant=person, club=club, referral_contact=world.mark("record", region, key))
    plan = f.ActionPlanFactory(enrollment=enrollment, barriers=world.mark("record", region, key))
    f.GoalFactory(plan=plan, description=world.mark("record", region, key))
    f.ReviewFactory(plan=plan, progress=world.mark("record", region, key))
    f.SocialContractFactory(enrollment=enrollment, number=world.mark("record", region, key))
    f.CaseNoteFactory(enrollment=enrollment, text=world.mark("record", region, key))
    f.CaseDocumentFactory(enrollment=enrollment, file__data=b"%PDF-1.7 " + world.mark("record", region, key).encode())
    activity = f.ActivityFactory(club=club, provider=club.operator, title=world.mark("club", region, key))
    f.AttendanceFactory(activity=activity, enrollment=enrollment)
    return enrollment


@pytest.fixture
def world():
    w = World()
    national = f.NationalNetworkFactory()
    for r in REGIONS:
        region = f.RegionFactory(terc=r)
        regional = f.RegionalNetworkFactory(region=region, parent=national, name=w.mark("regional", r))
        team = f.AnimationTeamFactory(region=region, name=w.mark("regional", r))
        f.AnimationDeliverableFactory(team=team, title=w.mark("regional", r))
        for c in CLUBS:
            key = (r, c)
            operator = f.OrganizationFactory(region=region, name=w.mark("regional", r))
            f.ContactPersonFactory(organization=operator, name=w.mark("regional", r))
            # A club's name is public, as the directory lists it: a transfer may name any club of the country.
            club = f.ClubFactory(region=region, operator=operator, name=w.mark("public", r))
            w.club_names[r].add(club.name)
            w.clubs[key] = club
            lsr = f.LocalNetworkFactory(region=region, parent=regional, hub_club=club, name=w.mark("regional", r))
            f.MembershipFactory(network=lsr, organization=operator)
            f.ServiceOfferFactory(network=lsr, organization=operator, terms=w.mark("regional", r))
            f.MeetingFactory(network=lsr, topic=w.mark("regional", r), attending_organizations=[operator])
            person = f.ParticipantFactory(last_name=w.mark("person", r, key))
            w.markers.append(Marker(person.pesel, "identity", r, {key}))
            f.ConsentFactory(participant=person)
            enrollment = enroll(w, person, key, r)
            f.OutcomeFactory(enrollment=f.EnrollmentFactory(participant=person, club=club, completed=True))
            f.FollowUpFactory(outcome=enrollment.participant.enrollments.get(status="completed").outcome)
    # One person in two clubs of two regions: each club sees the person, and only its own records.
    shared = f.ParticipantFactory(last_name=w.mark("person", "shared", ("26", "A"), ("24", "A")))
    w.markers.append(Marker(shared.pesel, "identity", "shared", {("26", "A"), ("24", "A")}))
    enroll(w, shared, ("26", "A"), "26")
    enroll(w, shared, ("24", "A"), "24")
    for label, (role, level, region, club) in USERS.items():
        user = f.UserFactory(username=f"matrix-{label}", is_staff=True)
        user.groups.add(roles.role_group(role))
        UserScope.objects.create(
            user=user,
            level=level,
            region=f.RegionFactory(terc=region) if region else None,
            club=w.clubs[(region, club)] if club else None,
        )
        w.users[label] = user
    return w


def admin_paths():
    """Every admin page of every registered model and object, and every autocomplete endpoint."""
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        info = (model._meta.app_label, model._meta.model_name)
        yield model, reverse("admin:{}_{}_changelist".format(*info))
        yield model, reverse("admin:{}_{}_add".format(*info))
        pks = model._base_manager.order_by("pk").values_list("pk", flat=True)[:40]
        if model is LogEntry:  # the trail: entries of every kind of record, people's included
            kinds = LogEntry.objects.order_by().values_list("content_type", flat=True).distinct()
            pks = [
                pk
                for kind in kinds
                for pk in LogEntry.objects.filter(content_type=kind).values_list("pk", flat=True)[:3]
            ]
        for pk in pks:
            for action in ("change", "history", "delete"):
                yield model, reverse(f"admin:{info[0]}_{info[1]}_{action}", args=[pk])
        if isinstance(model_admin, PortalImportExportMixin):
            yield EXPORT, reverse("admin:{}_{}_export".format(*info))
        sources = [(model, model_admin)] + [(inline.model, inline) for inline in model_admin.inlines]
        for source, owner in sources:
            for name in owner.autocomplete_fields:
                for term in ("", "QX"):
                    yield (
                        model,
                        f"{reverse('admin:autocomplete')}?app_label={source._meta.app_label}"
                        f"&model_name={source._meta.model_name}&field_name={name}&term={term}",
                    )


PERSONAL = ("person", "identity", "record")
PUBLIC = "public"  # pages for anyone: they may name any club, never a person
EXPORT = "export"  # a spreadsheet export: the file itself is searched


def portal_paths():
    yield PUBLIC, reverse("clubs:directory")
    for name in ("home", "participants:worklist", "participants:register", "reporting:network_list"):
        yield None, reverse(name)
    for name in ("reporting:dashboard", "reporting:annual", "reporting:eu"):
        for query in ("", "?format=csv"):
            yield None, reverse(name) + query
    for terc in REGIONS:
        yield None, reverse("reporting:region", args=[terc])
    for pk in Network.objects.values_list("pk", flat=True):
        yield Network, reverse("reporting:network_detail", args=[pk])
    for pk in Meeting.objects.values_list("pk", flat=True):
        yield Meeting, reverse("networks:document", args=["protokol", pk])
    for pk in Participant.objects.values_list("pk", flat=True):
        for name in ("timeline", "record", "record_json"):
            yield Participant, reverse(f"participants:{name}", args=[pk])
    for pk in Enrollment.objects.values_list("pk", flat=True):
        yield Enrollment, reverse("participants:certificate", args=[pk])
        yield Enrollment, reverse("participants:case_file", args=[pk])
    for pk in CaseDocument.objects.values_list("pk", flat=True):
        yield CaseDocument, reverse("participants:document", args=[pk])
    for pk in SocialContract.objects.values_list("pk", flat=True):
        yield SocialContract, reverse("participants:contract_paper", args=[pk])
    for pk in ActionPlan.objects.values_list("pk", flat=True):
        yield ActionPlan, reverse("participants:plan_paper", args=[pk])
    for pk in Activity.objects.values_list("pk", flat=True):
        yield Activity, reverse("participants:attendance", args=[pk])


@pytest.mark.parametrize("label", list(USERS))
def test_no_out_of_scope_marker_in_any_response(client, world, label):
    user = world.users[label]
    client.force_login(user)
    forbidden = world.forbidden(label)
    allowed = [m.text for m in world.markers if m.text not in forbidden]
    leaks, seen, requests = [], set(), 0
    for model, url in [*admin_paths(), *portal_paths()]:
        response = client.get(url)
        if model == EXPORT and response.status_code == 200:
            fields = {name: "on" for name in response.context["form"].fields if name not in ("format", "export_items")}
            response = client.post(url, fields | {"format": 0, "resource": 0})
        requests += 1
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
        if model == PUBLIC:
            leaks += [(url, m.text) for m in world.markers if m.kind in PERSONAL and m.text in body]
            continue
        leaks += [(url, text) for text in forbidden if text in body]
        seen.update(text for text in allowed if text in body)
    print(f"\n{label}: {requests} requests, {len(forbidden)} out-of-scope markers, {len(leaks)} leaks")
    kinds = {m.text: (m.kind, m.region, sorted(m.clubs)) for m in world.markers}
    assert [(url, text, kinds[text]) for url, text in leaks] == []
    # The walk is not vacuous: each role does see what its scope holds.
    _role, level, region, _club = USERS[label]
    if level == "national":
        expected = set().union(*world.club_names.values())
    elif level == "region":
        expected = world.club_names[region]
    else:
        kinds = ("person", "identity", "record") if _role == roles.KIS_COORDINATOR else ("person",)
        expected = {m.text for m in world.markers if m.kind in kinds and (region, HOME_CLUB) in m.clubs}
    assert expected and expected <= seen
