"""Registering a person in a club without ever making a second record of the same person.

A PESEL already in the portal means that person only together with their identity: the typed first
name and surname must be the stored ones (letter case, spacing and Polish diacritics aside) and a
typed date of birth the stored one (the PESEL gives it otherwise). Then the coordinator enrolls them
in their own club and sees nothing of other clubs' records.

Whoever guesses a PESEL must not learn whether it is in the portal. So a known PESEL under another
identity is answered exactly as an unknown one: the typed data are checked alike, and a new person is
registered and enrolled from them, with the same message and page. That record is marked as waiting
for identity confirmation (`identity_pending`, shown to nobody in the club): it is not taken for the
person of the PESEL, and the club sees only what it typed. The participant import does the same.

Without a PESEL, a person with the same names and date of birth is a likely duplicate: the
coordinator must say whether it is the same person (then they are enrolled) or a different one (then
a new record is made).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .choices import ConsentPurposeChoices, EnrollmentStatusChoices
from .models import OPEN_ENROLLMENT_STATUSES, Consent, Enrollment, Participant

SAME_PERSON = "same"
DIFFERENT_PERSON = "different"


class LikelyDuplicate(Exception):
    """A person without a PESEL whose names and birth date match someone already registered."""


def comparable(name):
    """A name as compared: without letter case, extra spaces or diacritics (ł too, which has no decomposition)."""
    letters = unicodedata.normalize("NFKD", name.replace("ł", "l").replace("Ł", "L"))
    return " ".join("".join(c for c in letters if not unicodedata.combining(c)).casefold().split())


def same_identity(stored, typed):
    """Whether the `typed` person (unsaved, cleaned) is the `stored` one of the same PESEL."""
    return (
        comparable(stored.first_name) == comparable(typed.first_name)
        and comparable(stored.last_name) == comparable(typed.last_name)
        and stored.birth_date == typed.birth_date
    )


def person_of_pesel(holders, typed):
    """The record among `holders` (the records of `typed`'s PESEL) that is `typed`, or None.

    When none is, `typed` is marked as waiting for identity confirmation if a confirmed record holds
    the PESEL.
    """
    matches = sorted((person for person in holders if same_identity(person, typed)), key=lambda p: p.identity_pending)
    if matches:
        return matches[0]
    typed.identity_pending = any(not person.identity_pending for person in holders)
    return None


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

    `person` and `enrollment` are dicts of field values. Returns the new enrollment.
    """
    existing = None
    typed = Participant(**person)
    # The typed data are checked before anything is looked up, so that they are answered alike
    # whether the PESEL is known or not; the PESEL's uniqueness is the database's to keep.
    typed.full_clean(validate_constraints=False)
    if typed.pesel:
        existing = person_of_pesel(Participant._base_manager.filter(pesel=typed.pesel), typed)
    else:
        matches = list(namesakes(person["first_name"], person["last_name"], person.get("birth_date"))[:2])
        if matches and duplicate_decision not in (SAME_PERSON, DIFFERENT_PERSON):
            raise LikelyDuplicate
        if matches and duplicate_decision == SAME_PERSON:
            if len(matches) > 1:
                raise ValidationError(_("More than one person matches; ask the person for their PESEL."))
            existing = matches[0]
    if existing is None:
        existing = typed
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
    return new
