from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clubs.models import Activity, Club
from ksr_portal.imports import (
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    PortalResource,
    ScopedForeignKeyWidget,
    ScopedManyToManyWidget,
    column,
)
from networks.models import Municipality
from stakeholders.models import Organization

from .choices import (
    AttendanceStatusChoices,
    EnrollmentEducationLevelChoices,
    EnrollmentLabourMarketStatusChoices,
    ParticipantSexChoices,
)
from .models import OPEN_ENROLLMENT_STATUSES, Attendance, EligibilityCategory, Enrollment, Participant, active_on

PERSON_COLUMNS = {"pesel": "pesel", "imie": "first_name", "nazwisko": "last_name", "plec": "sex"}


def text(row, name):
    return str(row.get(name) or "").strip()


class ParticipantResource(PortalResource):
    """Participants with their enrollment in a club, matched on PESEL and the club's registry number.

    A PESEL already in the portal always means that person (never a second record); a new enrollment
    starts as a candidate, and further steps are the enrollment's transitions.
    """

    pesel = column("pesel", None)
    first_name = column("imie", None)
    last_name = column("nazwisko", None)
    sex = column("plec", None)
    birth_date = column("data_urodzenia", None)
    municipality = column("gmina_terc", None)
    club = column("klub_numer_rejestru", "club", ScopedForeignKeyWidget(Club, "registry_number"))
    applied_on = column("data_zgloszenia", "applied_on", DateWidget())
    referred_by = column("kierujacy_nip", "referred_by", ScopedForeignKeyWidget(Organization, "nip"))
    referred_on = column("data_skierowania", "referred_on", DateWidget())
    education_level = column("wyksztalcenie", "education_level", ChoiceWidget(EnrollmentEducationLevelChoices.choices))
    labour_market_status = column(
        "rynek_pracy", "labour_market_status", ChoiceWidget(EnrollmentLabourMarketStatusChoices.choices)
    )
    long_term_unemployed = column("dlugotrwale_bezrobotny", "long_term_unemployed", BooleanWidget())
    eligibility_categories = column(
        "kategorie", "eligibility_categories", ScopedManyToManyWidget(EligibilityCategory, "code")
    )
    key_columns = ("pesel", "klub_numer_rejestru")

    class Meta(PortalResource.Meta):
        model = Enrollment
        fields = [
            "pesel", "first_name", "last_name", "sex", "birth_date", "municipality", "club", "applied_on",
            "referred_by", "referred_on", "education_level", "labour_market_status", "long_term_unemployed",
            "eligibility_categories",
        ]  # fmt: skip
        import_id_fields = []

    def required_columns(self):
        return ("pesel", "imie", "nazwisko", "plec", "klub_numer_rejestru", "data_zgloszenia")

    def get_instance(self, instance_loader, row):
        return Enrollment.objects.filter(
            participant__pesel=text(row, "pesel"),
            club__registry_number=text(row, "klub_numer_rejestru"),
            status__in=OPEN_ENROLLMENT_STATUSES,
        ).first()

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            instance.participant = self.person(row, **kwargs)
        except ValidationError as error:
            errors["participant"] = error
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors |= error.error_dict
        if errors:
            raise ValidationError(errors)

    def person(self, row, **kwargs):
        """The person of the PESEL, as registered; or a new record when the PESEL is new to the portal."""
        pesel = text(row, "pesel")
        if not pesel:
            raise ValidationError(_("column „pesel”: a person without a PESEL is registered on the registration page."))
        existing = Participant._base_manager.filter(pesel=pesel).first()
        if existing:
            if existing.last_name.casefold() != text(row, "nazwisko").casefold():
                raise ValidationError(_("column „nazwisko”: this PESEL is registered under a different surname."))
            return existing
        municipality = text(row, "gmina_terc")
        person = Participant(
            pesel=pesel,
            first_name=text(row, "imie"),
            last_name=text(row, "nazwisko"),
            sex=ChoiceWidget(ParticipantSexChoices.choices).clean(row.get("plec")),
            birth_date=DateWidget().clean(row.get("data_urodzenia")),
            municipality=ScopedForeignKeyWidget(Municipality, "terc").clean(municipality, row, **kwargs)
            if municipality
            else None,
        )
        try:
            person.full_clean()
        except ValidationError as error:
            raise ValidationError(
                "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
            ) from error
        person.save()
        return person

    def dehydrate_pesel(self, enrollment):
        return enrollment.participant.pesel

    def dehydrate_first_name(self, enrollment):
        return enrollment.participant.first_name

    def dehydrate_last_name(self, enrollment):
        return enrollment.participant.last_name

    def dehydrate_sex(self, enrollment):
        return enrollment.participant.sex

    def dehydrate_birth_date(self, enrollment):
        return DateWidget().render(enrollment.participant.birth_date)

    def dehydrate_municipality(self, enrollment):
        return enrollment.participant.municipality.terc if enrollment.participant.municipality_id else ""


class AttendanceResource(PortalResource):
    """Attendance at activities already in the portal: the club, the activity's date and title, the PESEL."""

    club = column("klub_numer_rejestru", None)
    held_on = column("data", None)
    title = column("tytul", None)
    pesel = column("pesel", None)
    status = column("obecnosc", "status", ChoiceWidget(AttendanceStatusChoices.choices))
    key_columns = ("klub_numer_rejestru", "data", "tytul", "pesel")

    class Meta(PortalResource.Meta):
        model = Attendance
        fields = ["club", "held_on", "title", "pesel", "status"]
        import_id_fields = []

    def locate(self, row, **kwargs):
        user = kwargs.get("user")
        held_on = DateWidget().clean(row.get("data"))
        activity = (
            Activity.objects.restrict(user)
            .filter(club__registry_number=text(row, "klub_numer_rejestru"), held_on=held_on, title=text(row, "tytul"))
            .first()
        )
        if activity is None:
            raise ValidationError(_("No such activity of this club on that day in your scope; import it first."))
        enrollment = (
            Enrollment.objects.restrict(user)
            .filter(active_on(held_on), club=activity.club, participant__pesel=text(row, "pesel"))
            .first()
        )
        if enrollment is None:
            raise ValidationError(
                _("PESEL „%(pesel)s”: nobody of that PESEL was actively enrolled in the club on that day.")
                % {"pesel": text(row, "pesel")}
            )
        return activity, enrollment

    def get_instance(self, instance_loader, row):
        return Attendance.objects.filter(
            activity__club__registry_number=text(row, "klub_numer_rejestru"),
            activity__held_on=DateWidget().clean(row.get("data")),
            activity__title=text(row, "tytul"),
            enrollment__participant__pesel=text(row, "pesel"),
        ).first()

    def import_instance(self, instance, row, **kwargs):
        if not instance.pk:
            instance.activity, instance.enrollment = self.locate(row, **kwargs)
        super().import_instance(instance, row, **kwargs)

    def dehydrate_club(self, attendance):
        return attendance.activity.club.registry_number

    def dehydrate_held_on(self, attendance):
        return DateWidget().render(attendance.activity.held_on)

    def dehydrate_title(self, attendance):
        return attendance.activity.title

    def dehydrate_pesel(self, attendance):
        return attendance.enrollment.participant.pesel
