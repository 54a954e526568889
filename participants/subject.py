"""Everything the portal holds about one person, within the reader's scope (GDPR art. 15 and 20).

One structure feeds both the JSON download and the printable page. A coordinator gets the person and
only their own club's enrollments with everything hanging from them; another club's records of the
same person are out of scope and simply absent.
"""

from django.db.models import Prefetch

from .models import Attendance, Consent, Enrollment, Goal, Referral, Review, SocialContract

HIDDEN_FIELDS = {"id", "created_at", "updated_at"}
SINGLE_OBJECTS = {"enrollment", "action_plan", "outcome"}


def fields_of(obj):
    """(name, label, value as shown) for each field of `obj`; choices and relations as their text."""
    if obj is None:
        return None
    rows = []
    for field in obj._meta.get_fields():
        if field.auto_created or field.name in HIDDEN_FIELDS or field.one_to_many:
            continue
        if field.many_to_many:
            value = ", ".join(str(item) for item in getattr(obj, field.name).all())
        elif field.choices:
            value = getattr(obj, f"get_{field.name}_display")()
        else:
            value = getattr(obj, field.name)
            if field.is_relation:
                value = str(value) if value is not None else None
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            elif isinstance(value, bool | int | float | str) or value is None:
                pass
            else:
                value = str(value)
        rows.append((field.name, str(field.verbose_name), value if value != "" else None))
    return rows


def subject_record(participant, user):
    enrollments = (
        Enrollment.objects.restrict(user)
        .filter(participant=participant)
        .select_related("club", "referred_by", "action_plan", "outcome")
        .prefetch_related(
            "eligibility_categories",
            Prefetch("action_plan__goals", Goal.objects.select_related("pillar").prefetch_related("planned_services")),
            Prefetch("action_plan__reviews", Review.objects.all()),
            Prefetch("social_contracts", SocialContract.objects.select_related("referring_organization")),
            Prefetch("referrals", Referral.objects.select_related("organization", "service", "offer")),
            Prefetch("attendances", Attendance.objects.select_related("activity").order_by("activity__held_on")),
            "outcome__follow_ups",
        )
        .order_by("applied_on")
    )
    records = []
    for enrollment in enrollments:
        plan = getattr(enrollment, "action_plan", None)
        outcome = getattr(enrollment, "outcome", None)
        records.append(
            {
                "enrollment": fields_of(enrollment),
                "action_plan": fields_of(plan),
                "goals": [fields_of(goal) for goal in plan.goals.all()] if plan else [],
                "reviews": [fields_of(review) for review in plan.reviews.all()] if plan else [],
                "social_contracts": [fields_of(contract) for contract in enrollment.social_contracts.all()],
                "referrals": [fields_of(referral) for referral in enrollment.referrals.all()],
                "attendance": [fields_of(attendance) for attendance in enrollment.attendances.all()],
                "outcome": fields_of(outcome),
                "follow_ups": [fields_of(follow_up) for follow_up in outcome.follow_ups.all()] if outcome else [],
            }
        )
    consents = Consent.objects.restrict(user).filter(participant=participant).order_by("given_on")
    return {
        "participant": fields_of(participant),
        "consents": [fields_of(consent) for consent in consents],
        "enrollments": records,
    }


def as_json(record):
    """The record with each object as {field name: value}, for a machine-readable download."""

    def plain(rows):
        return None if rows is None else {name: value for name, _label, value in rows}

    def plain_enrollment(item):
        return {
            key: plain(value) if key in SINGLE_OBJECTS else [plain(rows) for rows in value]
            for key, value in item.items()
        }

    return {
        "participant": plain(record["participant"]),
        "consents": [plain(rows) for rows in record["consents"]],
        "enrollments": [plain_enrollment(item) for item in record["enrollments"]],
    }
