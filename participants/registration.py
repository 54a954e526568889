"""Registering a person in a club without ever making a second record of the same person.

A PESEL already in the portal always means that person: the coordinator who enters it enrolls them
in their own club and sees nothing of other clubs' records. Without a PESEL, a person with the same
names and date of birth is a likely duplicate: the coordinator must say whether it is the same
person (then they are enrolled) or a different one (then a new record is made).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .choices import ConsentPurposeChoices, EnrollmentStatusChoices
from .models import OPEN_ENROLLMENT_STATUSES, Consent, Enrollment, Participant

SAME_PERSON = "same"
DIFFERENT_PERSON = "different"


class LikelyDuplicate(Exception):
    """A person without a PESEL whose names and birth date match someone already registered."""


def namesakes(first_name, last_name, birth_date):
    return Participant._base_manager.filter(
        pesel="",
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        birth_date=birth_date,
        anonymised_on__isnull=True,
    )


@transaction.atomic
def register(club, person, enrollment, consent_given_on=None, duplicate_decision=""):
    """Enroll the person in `club`, reusing their record when they are already in the portal.

    `person` and `enrollment` are dicts of field values. Returns (enrollment, created_person).
    """
    existing = None
    pesel = person.get("pesel") or ""
    if pesel:
        existing = Participant._base_manager.filter(pesel=pesel).first()
        if existing and existing.last_name.casefold() != person["last_name"].strip().casefold():
            raise ValidationError(
                {"pesel": _("This PESEL is registered under a different surname. Check the PESEL and the surname.")}
            )
    else:
        matches = list(namesakes(person["first_name"], person["last_name"], person.get("birth_date"))[:2])
        if matches and duplicate_decision not in (SAME_PERSON, DIFFERENT_PERSON):
            raise LikelyDuplicate
        if matches and duplicate_decision == SAME_PERSON:
            if len(matches) > 1:
                raise ValidationError(_("More than one person matches; ask the person for their PESEL."))
            existing = matches[0]
    created = existing is None
    if created:
        existing = Participant(**person)
        existing.full_clean()
        existing.save()
    if Enrollment._base_manager.filter(participant=existing, club=club, status__in=OPEN_ENROLLMENT_STATUSES).exists():
        raise ValidationError(_("This person is already enrolled in your club."))
    new = Enrollment(participant=existing, club=club, status=EnrollmentStatusChoices.CANDIDATE, **enrollment)
    new.full_clean()
    new.save()
    if (
        consent_given_on
        and not existing.consents.filter(purpose=ConsentPurposeChoices.PROCESSING, withdrawn_on__isnull=True).exists()
    ):
        consent = Consent(participant=existing, purpose=ConsentPurposeChoices.PROCESSING, given_on=consent_given_on)
        consent.full_clean()
        consent.save()
    return new, created
