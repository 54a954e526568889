"""The portal's roles: each is a group holding model permissions; where it applies is the user's scope.

The groups are kept in step with this table after every `migrate` (and by `sync_roles`), so the
table is the one place where a role's reach is decided. Data minimisation is decided here too:
only the club roles hold any permission on the participants' models, so the ministry, the national
coordinator, ROPS staff and animators never get a person's identity from any path; they see
people only as counts in reports.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

MINISTRY_ANALYST = "ministry_analyst"
NATIONAL_COORDINATOR = "national_coordinator"
ROPS_STAFF = "rops_staff"
REGIONAL_ANIMATOR = "regional_animator"
KIS_COORDINATOR = "kis_coordinator"
KIS_INSTRUCTOR = "kis_instructor"
REFERRER = "referrer"

VIEW = ("view",)
ALL = ("view", "add", "change", "delete")
NO_DELETE = ("view", "add", "change")

REFERENCE = {
    "networks.region": VIEW,
    "networks.county": VIEW,
    "networks.municipality": VIEW,
    "clubs.pillar": VIEW,
    "clubs.service": VIEW,
    "participants.eligibilitycategory": VIEW,
}
NETWORKS_READ = {
    "networks.network": VIEW,
    "networks.meeting": VIEW,
    "networks.animationteam": VIEW,
    "networks.animationdeliverable": VIEW,
    "stakeholders.organization": VIEW,
    "stakeholders.membership": VIEW,
    "stakeholders.serviceoffer": VIEW,
    "clubs.club": VIEW,
    "clubs.activity": VIEW,
    "clubs.staffposition": VIEW,
    "clubs.annualsettlement": VIEW,
}

# role code: (group name, {"app_label.model": actions}). Group names are data, like region names, so
# they are stored in Polish and stay the same whatever the interface language.
ROLES = {
    MINISTRY_ANALYST: (
        "Analityk ministerstwa",
        REFERENCE | NETWORKS_READ,
    ),
    NATIONAL_COORDINATOR: (
        "Koordynator krajowy",
        REFERENCE
        | NETWORKS_READ
        | {
            "networks.region": ("view", "change"),
            "networks.county": NO_DELETE,
            "networks.municipality": NO_DELETE,
            "clubs.service": ALL,
            "networks.network": ALL,
            "networks.meeting": ALL,
            "networks.animationteam": ALL,
            "networks.animationdeliverable": (*ALL, "accept"),
            "stakeholders.organization": ALL,
            "stakeholders.contactperson": ALL,
            "stakeholders.membership": ALL,
            "stakeholders.serviceoffer": ALL,
            "clubs.club": ALL,
            "auth.user": NO_DELETE,
            "auth.group": VIEW,
            "ksr_portal.userscope": ALL,
            "auditlog.logentry": VIEW,
            "api.apikey": NO_DELETE,
        },
    ),
    ROPS_STAFF: (
        "Pracownik ROPS",
        REFERENCE
        | NETWORKS_READ
        | {
            "networks.network": ALL,
            "networks.meeting": ALL,
            "networks.animationdeliverable": ("view", "change", "accept"),
            "stakeholders.organization": ALL,
            "stakeholders.contactperson": ALL,
            "stakeholders.membership": ALL,
            "stakeholders.serviceoffer": ALL,
            "clubs.club": NO_DELETE,
            "api.apikey": NO_DELETE,
        },
    ),
    REGIONAL_ANIMATOR: (
        "Animator regionalny (ZRAR)",
        REFERENCE
        | NETWORKS_READ
        | {
            "networks.network": ("view", "change"),
            "networks.meeting": ALL,
            "networks.animationdeliverable": ALL,
            "stakeholders.organization": NO_DELETE,
            "stakeholders.contactperson": ALL,
            "stakeholders.membership": ALL,
            "stakeholders.serviceoffer": ALL,
        },
    ),
    KIS_COORDINATOR: (
        "Koordynator KIS",
        REFERENCE
        | NETWORKS_READ
        | {
            "stakeholders.contactperson": VIEW,
            "clubs.activity": ALL,
            "clubs.staffposition": ALL,
            "clubs.annualsettlement": NO_DELETE,
            # Nobody deletes a person: what the law allows is anonymisation after retention.
            "participants.participant": (*NO_DELETE, "view_identity"),
            "participants.consent": NO_DELETE,
            "participants.enrollment": (*NO_DELETE, "view_eligibility"),
            "participants.referral": NO_DELETE,
            "participants.actionplan": NO_DELETE,
            "participants.goal": ALL,
            "participants.review": ALL,
            "participants.socialcontract": NO_DELETE,
            "participants.attendance": ALL,
            "participants.outcome": NO_DELETE,
            "participants.followup": ALL,
            "participants.casenote": NO_DELETE,
            "participants.casedocument": ALL,
            "participants.householdmember": ALL,
            "participants.transfer": NO_DELETE,
            "api.inboundreferral": ("view", "change"),
        },
    ),
    KIS_INSTRUCTOR: (
        "Instruktor KIS",
        REFERENCE
        | {
            "clubs.club": VIEW,
            "clubs.activity": VIEW,
            "participants.participant": VIEW,
            "participants.enrollment": VIEW,
            "participants.attendance": ALL,
        },
    ),
    # Only an API key holds it: an OPS's or a PUP's system, which refers people to the clubs within its
    # scope and reads back the referrals its organisation sent.
    REFERRER: (
        "Instytucja kierująca (OPS, PUP)",
        REFERENCE
        | {
            "networks.network": VIEW,
            "stakeholders.organization": VIEW,
            "clubs.club": VIEW,
            "api.inboundreferral": ("view", "add"),
        },
    ),
}


# Who may grant (and revoke) which role to another user; nobody changes their own. The national
# coordinator's role itself is granted only by a superuser, the portal's operator: no national
# coordinator makes another, so national reach is never granted from inside.
GRANTS = {
    NATIONAL_COORDINATOR: {MINISTRY_ANALYST, ROPS_STAFF, REGIONAL_ANIMATOR, KIS_COORDINATOR, KIS_INSTRUCTOR},
}
# Who may issue an API key (to another system) with which role, within their own scope.
KEY_GRANTS = {
    NATIONAL_COORDINATOR: GRANTS[NATIONAL_COORDINATOR] | {REFERRER},
    ROPS_STAFF: {REFERRER, ROPS_STAFF},
}
# The roles that read people's identities apply within one club: with a regional or national scope
# they would read every person of a region or of the country.
CLUB_ROLES = {KIS_COORDINATOR, KIS_INSTRUCTOR}


# Who holds one of these permissions reads people's identities or grants access (to a user or, by an
# API key, to another system), and signs in with a second factor (ksr_portal/second_factor.py).
SECOND_FACTOR_PERMISSIONS = (
    "participants.view_participant",
    "auth.change_user",
    "api.add_apikey",
    "ksr_portal.add_userscope",
    "ksr_portal.change_userscope",
)


def reads_identities_or_grants(user):
    return any(user.has_perm(permission) for permission in SECOND_FACTOR_PERMISSIONS)


# Where each role lands after signing in: its everyday work.
LANDING = {
    KIS_COORDINATOR: "participants:worklist",
    KIS_INSTRUCTOR: "participants:worklist",
    ROPS_STAFF: "reporting:region",
    REGIONAL_ANIMATOR: "reporting:region",
    MINISTRY_ANALYST: "reporting:dashboard",
    NATIONAL_COORDINATOR: "reporting:dashboard",
}


def landing_url(user):
    """The page `user` starts from: their role's (a region's report for their region), else the workbench."""
    held = roles_of(user.groups.all())
    scope = getattr(user, "scope", None) if user.is_authenticated else None
    for role, name in LANDING.items():
        if role not in held or scope is None:
            continue
        if name == "reporting:region":
            if scope.region_id:
                return reverse(name, args=[scope.region.terc])
            continue
        if name == "participants:worklist" and not scope.club_id:
            continue
        return reverse(name)
    return reverse("admin:index")


def roles_of(groups):
    names = {group.name for group in groups}
    return {role for role, (name, _grants) in ROLES.items() if name in names}


def grantable_roles(user):
    """The roles `user` may grant to or take from someone else."""
    if user.is_superuser:
        return set(ROLES)
    held = roles_of(user.groups.all())
    return set().union(*(GRANTS.get(role, set()) for role in held))


def key_roles(user):
    """The roles `user` may give an API key."""
    if user.is_superuser:
        return set(ROLES)
    held = roles_of(user.groups.all())
    return set().union(*(KEY_GRANTS.get(role, set()) for role in held))


def may_manage(user, other):
    """Whether `user` may change `other`'s account (roles, scope, password): never their own, and
    only an account all of whose roles `user` could grant."""
    if user.is_superuser:
        return True
    if other.pk == user.pk or other.is_superuser:
        return False
    return roles_of(other.groups.all()) <= grantable_roles(user)


def scope_problem(groups, level):
    """Why roles held through `groups` cannot apply at the scope `level` ("national", "region",
    "club"), or None."""
    if level and level != "club" and roles_of(groups) & CLUB_ROLES:
        return _("A role that reads participants' personal data applies to one club only: choose a club scope.")
    return None


def role_group_name(role):
    return ROLES[role][0]


def role_group(role):
    return Group.objects.get(name=role_group_name(role))


def sync_role_groups(using="default", **kwargs):
    """Create or update every role's group so that it holds exactly the table's permissions.

    Runs after every `migrate` (a post_migrate receiver), when the permissions of later apps may not
    exist yet; so it first makes sure all of them do.
    """
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    with transaction.atomic(using=using):
        _sync_groups(using)


def _sync_groups(using):
    permissions = Permission.objects.using(using).select_related("content_type")
    by_codename = {(p.content_type.app_label, p.codename): p for p in permissions}
    for name, grants in ROLES.values():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        permissions = []
        for label, actions in grants.items():
            app_label, model_name = label.split(".")
            permissions += [by_codename[(app_label, f"{action}_{model_name}")] for action in actions]
        group.permissions.set(permissions)
