"""What the Polish sentences of the interface need of each model's name beyond its `verbose_name`.

Django builds the workbench's titles and links from `verbose_name` in the nominative: "Change %s",
"Add another %(verbose_name)s". Polish wants the accusative after these verbs ("Zmień uczestnika",
"Dodaj zgodę") and an adjective in the name's gender ("Dodaj kolejnego uczestnika", "kolejną zgodę",
"kolejne spotkanie"). Every model of the portal is declared here once: its grammatical gender in Polish,
the interface's own language, and the accusative where it differs from the nominative, as a
translation with the context "accusative" (an English name is the same in either case).

The workbench's admin classes word their titles, links and permission names with it (`WordingMixin`
in admin.py, the `accusative` template filter); the translations of the sentences that name a model
in the nominative are worded so that the nominative stands right (locale/pl).
"""

from dataclasses import dataclass

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

MASCULINE_PERSONAL = "masculine personal"  # uczestnik: Dodaj kolejnego uczestnika
MASCULINE = "masculine"  # klub: Dodaj kolejny klub
FEMININE = "feminine"  # zgoda: Dodaj kolejną zgodę
NEUTER = "neuter"  # spotkanie: Dodaj kolejne spotkanie
PLURAL = "plural"  # zajęcia, a noun with no singular: Dodaj kolejne zajęcia

ADD_ANOTHER = {
    MASCULINE_PERSONAL: pgettext_lazy("masculine personal", "Add another %(name)s"),
    MASCULINE: pgettext_lazy("masculine", "Add another %(name)s"),
    FEMININE: pgettext_lazy("feminine", "Add another %(name)s"),
    NEUTER: pgettext_lazy("neuter", "Add another %(name)s"),
    PLURAL: pgettext_lazy("plural", "Add another %(name)s"),
}

# A model's default permissions, named with the model in the accusative ("Może dodać uczestnika").
PERMISSION_NAMES = {
    "add": pgettext_lazy("permission", "Can add %s"),
    "change": pgettext_lazy("permission", "Can change %s"),
    "delete": pgettext_lazy("permission", "Can delete %s"),
    "view": pgettext_lazy("permission", "Can view %s"),
}


@dataclass(frozen=True)
class Name:
    gender: str
    accusative: str | Promise | None = None  # None: as the nominative


NAMES = {
    # Django and the libraries the workbench shows
    "admin.logentry": Name(MASCULINE),
    "auth.permission": Name(NEUTER),
    "auth.group": Name(FEMININE, pgettext_lazy("accusative", "group")),
    "auth.user": Name(MASCULINE_PERSONAL, pgettext_lazy("accusative", "user")),
    "contenttypes.contenttype": Name(MASCULINE),
    "sessions.session": Name(FEMININE, pgettext_lazy("accusative", "session")),
    "auditlog.logentry": Name(MASCULINE),
    "axes.accessattempt": Name(FEMININE, pgettext_lazy("accusative", "access attempt")),
    "axes.accessattemptexpiration": Name(NEUTER),
    "axes.accesslog": Name(NEUTER),
    "axes.accessfailurelog": Name(NEUTER),
    "otp_totp.totpdevice": Name(NEUTER),
    "otp_static.staticdevice": Name(MASCULINE),
    "otp_static.statictoken": Name(MASCULINE),
    "django_tasks_database.dbtaskresult": Name(MASCULINE),
    # the portal
    "ksr_portal.userscope": Name(MASCULINE),
    "ksr_portal.importjob": Name(MASCULINE),
    "ksr_portal.exportjob": Name(MASCULINE),
    "networks.region": Name(NEUTER),
    "networks.county": Name(MASCULINE),
    "networks.municipality": Name(FEMININE, pgettext_lazy("accusative", "municipality")),
    "networks.network": Name(FEMININE),
    "networks.meeting": Name(NEUTER),
    "networks.animationteam": Name(MASCULINE),
    "networks.animationdeliverable": Name(MASCULINE),
    "stakeholders.organization": Name(FEMININE, pgettext_lazy("accusative", "organisation")),
    "stakeholders.contactperson": Name(FEMININE, pgettext_lazy("accusative", "contact person")),
    "stakeholders.membership": Name(NEUTER),
    "stakeholders.serviceoffer": Name(FEMININE, pgettext_lazy("accusative", "service offer")),
    "clubs.pillar": Name(MASCULINE),
    "clubs.service": Name(FEMININE, pgettext_lazy("accusative", "catalogue service")),
    "clubs.club": Name(MASCULINE),
    "clubs.staffposition": Name(NEUTER),
    "clubs.annualsettlement": Name(NEUTER),
    "clubs.activity": Name(PLURAL),
    "participants.eligibilitycategory": Name(FEMININE, pgettext_lazy("accusative", "eligibility category")),
    "participants.participant": Name(MASCULINE_PERSONAL, pgettext_lazy("accusative", "participant")),
    "participants.consent": Name(FEMININE, pgettext_lazy("accusative", "consent")),
    "participants.enrollment": Name(MASCULINE),
    "participants.enrollmentstatuschange": Name(FEMININE, pgettext_lazy("accusative", "enrollment status change")),
    "participants.referral": Name(NEUTER),
    "participants.actionplan": Name(MASCULINE),
    "participants.goal": Name(MASCULINE),
    "participants.goalprogress": Name(MASCULINE),
    "participants.review": Name(MASCULINE),
    "participants.socialcontract": Name(MASCULINE),
    "participants.attendance": Name(FEMININE),
    "participants.outcome": Name(MASCULINE),
    "participants.followup": Name(MASCULINE),
    "reporting.enrollmentfigures": Name(PLURAL),  # dane zgłoszenia do sprawozdań
    "reporting.followupfigures": Name(PLURAL),
    "reporting.activityfigures": Name(PLURAL),
    "reporting.activitymonth": Name(PLURAL),  # zajęcia miesiąca
    "reporting.periodcount": Name(FEMININE, pgettext_lazy("accusative", "period count")),
    "reporting.counthorizon": Name(MASCULINE),  # miesiąc
    "participants.casenote": Name(FEMININE, pgettext_lazy("accusative", "case note")),
    "participants.casedocument": Name(MASCULINE),
    "participants.digestoptout": Name(FEMININE, pgettext_lazy("accusative", "opt-out of the morning digest")),
    "participants.householdmember": Name(
        MASCULINE_PERSONAL, pgettext_lazy("accusative", "family member covered by the contract")
    ),
    "participants.transfer": Name(NEUTER),
    "api.apikey": Name(MASCULINE),
    "api.inboundreferral": Name(NEUTER),
}


def name_of(model):
    """The declared `Name` of a model (or its `_meta`); a model not declared is taken as masculine."""
    return NAMES.get(model._meta.label_lower, Name(MASCULINE))


def accusative(model):
    """The model's name in the accusative: "uczestnika" (Zmień uczestnika), "zgodę" (Dodaj zgodę)."""
    return str(name_of(model).accusative or model._meta.verbose_name)


def add_another(model):
    """ "Add another …" in the name's gender: "Dodaj kolejnego uczestnika", "Dodaj kolejną zgodę"."""
    return ADD_ANOTHER[name_of(model).gender] % {"name": accusative(model)}


def permission_name(permission):
    """A permission's name in the interface's language: a model's default permission worded with the
    model in the accusative, any other one by its translated name (the database holds it in English)."""
    action, _sep, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if model is not None and action in PERMISSION_NAMES and model_name == model._meta.model_name:
        return PERMISSION_NAMES[action] % accusative(model)
    return gettext(permission.name)


# Libraries' apps with no name of their own (Django shows their labels: "Axes", "Otp_Totp"), and models
# whose names are not marked for translation: the same English names, translatable.
APP_NAMES = {
    "axes": _("Sign-in security"),
    "otp_totp": _("Authenticator apps"),
    "otp_static": _("Recovery codes"),
    "django_tasks_database": _("Background jobs"),
}
MODEL_NAMES = {
    "otp_totp.totpdevice": (_("TOTP device"), _("TOTP devices")),
    "otp_static.staticdevice": (_("static device"), _("static devices")),
    "otp_static.statictoken": (_("static token"), _("static tokens")),
    "django_tasks_database.dbtaskresult": (_("task result"), _("task results")),
}


def name_apps():
    """Give the libraries' apps and models their names in the interface (from the portal's AppConfig.ready)."""
    for label, name in APP_NAMES.items():
        apps.get_app_config(label).verbose_name = name
    for label, (singular, plural) in MODEL_NAMES.items():
        opts = apps.get_model(label)._meta
        opts.verbose_name, opts.verbose_name_plural = singular, plural
