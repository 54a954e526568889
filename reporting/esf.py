"""The ESF+ participant sheet: one row per person per project, in the layout of the participant sheet of
the central ICT system (CST2021), for readers who see the people of their scope whole.

A project is a club's stay of the person (the club's grant agreement): a person who took part in two
clubs has two rows, and a club's reader sees only their club's. A row joins the person's stays in the
club that overlap the period: the facts at entry and the start date are those of the earliest, the end
date and the situation on leaving those of the latest. The headers and the printed values are those of
the central system, in Polish whatever the interface language; `docs/esf-participant-sheet.md`
describes every column, and a test holds the sheet to it. A column the portal does not hold says
"brak danych" (the portal collects no more than the monitoring needs).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import translation

from ksr_portal.collation import sort_key
from networks.choices import MunicipalityDegurbaChoices
from participants.choices import (
    EnrollmentEducationLevelChoices,
    EnrollmentLabourMarketStatusChoices,
    EnrollmentStatusChoices,
    FollowUpMonthsChoices,
    OutcomeSituationChoices,
    ParticipantSexChoices,
    YesNoRefusedChoices,
)
from participants.models import OPEN_ENROLLMENT_STATUSES, Enrollment, FollowUp, Outcome

from .figures import EMPLOYED

YES, NO = "tak", "nie"
NO_DATA = "brak danych"


@dataclass
class Stay:
    """A person's participation in one club's project within the period."""

    first: Enrollment  # the earliest enrollment: entry
    last: Enrollment  # the latest: leaving
    outcome: Outcome | None
    six_months: FollowUp | None

    @property
    def person(self):
        return self.first.participant

    @property
    def municipality(self):
        return self.person.municipality

    @property
    def left(self):
        return self.last.status not in OPEN_ENROLLMENT_STATUSES


def label(choices, value):
    """A choice's label as the central system reads it: in Polish; empty for no value."""
    if not value:
        return ""
    with translation.override("pl"):
        return str(choices(value).label)


def yes_no(value):
    return YES if value else NO


def answer(value):
    """A yes / no / refused answer at entry; empty where none was recorded."""
    return label(YesNoRefusedChoices, value)


def of_municipality(attribute):
    def read(stay):
        place = stay.municipality
        return str(attribute(place)) if place else ""

    return read


def on_leaving(test):
    """A result indicator on leaving: empty while the person takes part or no outcome is recorded."""

    def read(stay):
        return yes_no(test(stay.outcome)) if stay.left and stay.outcome else ""

    return read


def degurba(place):
    return f"{place.degurba} – {label(MunicipalityDegurbaChoices, place.degurba)}" if place.degurba else ""


def education(stay):
    return label(EnrollmentEducationLevelChoices, stay.first.education_level)


def labour_market(stay):
    return label(EnrollmentLabourMarketStatusChoices, stay.first.labour_market_status)


def iso(day):
    return day.isoformat() if day else ""


# (header, value of a stay), in the order of the sheet.
COLUMNS = [
    ("Numer umowy o dofinansowanie projektu", lambda s: s.first.club.grant_agreement_number or NO_DATA),
    ("Realizator (klub)", lambda s: s.first.club.name),
    ("Kraj", lambda s: "Polska" if s.municipality else ""),
    ("Rodzaj uczestnika", lambda s: "indywidualny"),
    ("Nazwa instytucji", lambda s: ""),
    ("Imię", lambda s: s.person.first_name),
    ("Nazwisko", lambda s: s.person.last_name),
    ("PESEL", lambda s: s.person.pesel),
    ("Brak PESEL", lambda s: yes_no(not s.person.pesel)),
    ("Płeć", lambda s: label(ParticipantSexChoices, s.person.sex)),
    ("Wiek w chwili przystąpienia do projektu", lambda s: s.first.age_on_entry),
    ("Wykształcenie", education),
    ("Województwo", of_municipality(lambda m: m.region.name)),
    ("Powiat", of_municipality(lambda m: m.county.name)),
    ("Gmina", of_municipality(lambda m: m.name)),
    ("Miejscowość", lambda s: NO_DATA),
    ("Kod pocztowy", lambda s: NO_DATA),
    ("Obszar według stopnia urbanizacji (DEGURBA)", of_municipality(degurba)),
    ("Telefon kontaktowy", lambda s: NO_DATA),
    ("Adres e-mail", lambda s: NO_DATA),
    ("Data rozpoczęcia udziału w projekcie", lambda s: iso(s.first.started_on)),
    ("Data zakończenia udziału w projekcie", lambda s: iso(s.last.exit_on) if s.left else ""),
    ("Status osoby na rynku pracy w chwili przystąpienia do projektu", labour_market),
    (
        "W tym: osoba długotrwale bezrobotna",
        lambda s: yes_no(s.first.long_term_unemployed) if s.first.labour_market_status else "",
    ),
    ("Osoba z niepełnosprawnościami", lambda s: answer(s.first.disability)),
    (
        "Osoba obcego pochodzenia, z państwa trzeciego lub należąca do mniejszości (w tym Romowie)",
        lambda s: answer(s.first.minority_or_migrant),
    ),
    (
        "Osoba w kryzysie bezdomności lub dotknięta wykluczeniem z dostępu do mieszkań",
        lambda s: answer(s.first.homeless),
    ),
    ("Osoba w innej niekorzystnej sytuacji społecznej", lambda s: answer(s.first.other_disadvantage)),
    (
        "Zakończenie udziału zgodnie z zaplanowaną ścieżką",
        lambda s: yes_no(s.last.status == EnrollmentStatusChoices.COMPLETED) if s.left else "",
    ),
    (
        "Sytuacja osoby w momencie zakończenia udziału w projekcie",
        lambda s: label(OutcomeSituationChoices, s.outcome.situation) if s.left and s.outcome else "",
    ),
    (
        "Osoba poszukująca pracy po opuszczeniu programu",
        on_leaving(lambda o: o.situation == OutcomeSituationChoices.JOB_SEEKING),
    ),
    (
        "Osoba kształcąca się lub szkoląca po opuszczeniu programu",
        on_leaving(lambda o: o.situation == OutcomeSituationChoices.EDUCATION),
    ),
    ("Osoba, która uzyskała kwalifikacje po opuszczeniu programu", on_leaving(lambda o: o.qualification_gained)),
    (
        "Osoba pracująca, łącznie z prowadzącymi działalność na własny rachunek, po opuszczeniu programu",
        on_leaving(lambda o: o.situation in EMPLOYED),
    ),
    (
        "Sytuacja osoby 6 miesięcy po zakończeniu udziału",
        lambda s: label(OutcomeSituationChoices, s.six_months.situation) if s.six_months else "",
    ),
    (
        "Osoba pracująca 6 miesięcy po zakończeniu udziału",
        lambda s: yes_no(s.six_months.situation in EMPLOYED) if s.six_months else "",
    ),
]
HEADERS = [header for header, _value in COLUMNS]


def stays(user, period):
    """The stays of the people `user` may see whose participation overlaps the period, by club and name."""
    in_period = (
        Enrollment.objects.restrict(user)
        .filter(started_on__isnull=False, started_on__lte=period.end)
        .filter(Q(exit_on__isnull=True) | Q(exit_on__gte=period.start))
    )
    enrollments = list(
        in_period.select_related(
            "club", "participant__municipality__county", "participant__municipality__region"
        ).order_by("started_on", "pk")
    )
    pks = in_period.values("pk")
    outcomes = {o.enrollment_id: o for o in Outcome.objects.restrict(user).filter(enrollment__in=pks)}
    six_months = {
        f.outcome_id: f
        for f in FollowUp.objects.restrict(user).filter(
            outcome__enrollment__in=pks, months_after=FollowUpMonthsChoices.SIX
        )
    }
    grouped = {}
    for enrollment in enrollments:
        grouped.setdefault((enrollment.participant_id, enrollment.club_id), []).append(enrollment)
    found = []
    for group in grouped.values():
        first, last = group[0], group[-1]
        outcome = outcomes.get(last.pk)
        found.append(Stay(first, last, outcome, six_months.get(outcome.pk) if outcome else None))
    return sorted(
        found,
        key=lambda s: (sort_key(s.first.club.name), sort_key(s.person.last_name), sort_key(s.person.first_name)),
    )


def sheet_rows(stays):
    return [[value(stay) for _header, value in COLUMNS] for stay in stays]
