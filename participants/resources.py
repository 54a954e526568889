from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from clubs.models import Activity
from clubs.resources import ClubWidget, own_club_only
from ksr_portal.audit import log_bulk
from ksr_portal.changes import bulk_written
from ksr_portal.imports import (
    ROW,
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    PortalResource,
    ScopedForeignKeyWidget,
    ScopedManyToManyWidget,
    column,
    date_in,
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
from .registration import person_of_pesel

# K and M, as on Polish forms.
SEX_WIDGET = ChoiceWidget(
    ParticipantSexChoices.choices, aliases={"K": ParticipantSexChoices.FEMALE, "M": ParticipantSexChoices.MALE}
)
# The person's fields and the columns that give them.
PERSON_COLUMNS = {
    "pesel": "pesel",
    "first_name": "imie",
    "last_name": "nazwisko",
    "sex": "plec",
    "birth_date": "data_urodzenia",
    "municipality": "gmina_terc",
}


def text(row, name):
    return str(row.get(name) or "").strip()


def shown_person(enrollment):
    """The person as a row of the import gave them, or as stored for an export."""
    return getattr(enrollment, "row_person", None) or enrollment.participant


class ParticipantResource(PortalResource):
    """Participants with their enrollment in a club, matched on PESEL and the club's registry number.

    A PESEL already in the portal always means that person (never a second record); a new enrollment
    starts as a candidate, and further steps are the enrollment's transitions.

    Files of thousands of rows are common (a whole region's intake), so new enrollments are written in
    batches: `before_import` reads the people and open enrollments of the file's PESELs in a few
    queries, every row is validated in Python against them, and each batch of new people, enrollments
    and their categories is inserted at once, logged and checked against the user's scope.
    """

    pesel = column("pesel", None)
    first_name = column("imie", None)
    last_name = column("nazwisko", None)
    sex = column("plec", None)
    birth_date = column("data_urodzenia", None)
    municipality = column("gmina_terc", None)
    club = column("klub_numer_rejestru", "club", ClubWidget())
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
    # "tak" when a person of the same names and birth date, registered without a PESEL, is someone else.
    different_person = column("inna_osoba", None)
    # The stay's own key, written by the export: a row of a finished stay stays that stay.
    stay = column("id_pobytu", None)
    key_columns = ("pesel", "klub_numer_rejestru", "id_pobytu")
    digit_columns = {"pesel": 11}

    class Meta(PortalResource.Meta):
        model = Enrollment
        fields = [
            "pesel", "first_name", "last_name", "sex", "birth_date", "municipality", "club", "applied_on",
            "referred_by", "referred_on", "education_level", "labour_market_status", "long_term_unemployed",
            "eligibility_categories", "different_person", "stay",
        ]  # fmt: skip
        import_id_fields = []
        use_bulk = True
        batch_size = 1000

    def get_queryset(self):
        """The stays a background export reads (ksr_portal/jobs.py), each with its person, municipality,
        club, referrer and categories rather than a query per row."""
        return (
            super()
            .get_queryset()
            .select_related("participant__municipality", "club", "referred_by")
            .prefetch_related("eligibility_categories")
        )

    def required_columns(self):
        club = () if own_club_only(self.user) else ("klub_numer_rejestru",)
        return ("pesel", "imie", "nazwisko", "plec", *club, "data_zgloszenia")

    def before_import(self, dataset, **kwargs):
        if own_club_only(self.user) and "klub_numer_rejestru" not in dataset.headers:
            dataset.append_col([""] * len(dataset), header="klub_numer_rejestru")
        pesels = sorted({str(pesel or "").strip() for pesel in dataset["pesel"]} - {""})
        self.people, self.open_enrollments = {}, {}
        for start in range(0, len(pesels), 1000):
            chunk = pesels[start : start + 1000]
            for person in Participant._base_manager.filter(pesel__in=chunk):
                self.people.setdefault(person.pesel, []).append(person)
            open_enrollments = (
                Enrollment._base_manager.filter(participant__pesel__in=chunk, status__in=OPEN_ENROLLMENT_STATUSES)
                .select_related("participant__municipality", "club", "referred_by")
                .prefetch_related("eligibility_categories")
            )
            for enrollment in open_enrollments:
                self.open_enrollments[enrollment.participant.pesel, enrollment.club_id] = enrollment
        stays = sorted({text(row, "id_pobytu") for row in dataset.dict} - {""})
        numbers = [int(stay) for stay in stays if stay.isdigit() and len(stay) < 12]
        self.stays = {
            str(stay.pk): stay
            for stay in Enrollment.objects.restrict(self.user)
            .filter(pk__in=numbers)
            .select_related("participant__municipality", "club", "referred_by")
            .prefetch_related("eligibility_categories")
        }
        # People registered without a PESEL whom a new row's names and birth date match (as on the
        # registration page), read once for the file's surnames.
        surnames = sorted({str(name or "").strip().lower() for name in dataset["nazwisko"]} - {""})
        self.namesakes = set()
        for start in range(0, len(surnames), 1000):
            rows = (
                Participant._base_manager.annotate(surname=Lower("last_name"))
                .filter(pesel="", anonymised_on__isnull=True, surname__in=surnames[start : start + 1000])
                .values_list("first_name", "last_name", "birth_date")
            )
            self.namesakes |= {(first.casefold(), last.casefold(), born) for first, last, born in rows}

    def get_instance(self, instance_loader, row):
        stay = text(row, "id_pobytu")
        if stay:
            return self.stays.get(stay)  # a key outside the scope or unknown is reported by import_instance
        try:
            club = self.fields["club"].clean(row, user=self.user, found=self.found)
        except ValueError:
            return None  # the column's error is reported when the row is read
        return self.open_enrollments.get((text(row, "pesel"), club.pk if club else None))

    def import_instance(self, instance, row, **kwargs):
        stay = text(row, "id_pobytu")
        if stay and (instance.pk is None or instance.participant.pesel != text(row, "pesel")):
            raise ValidationError(
                {"id_pobytu": _("no stay of this person in your scope; leave it empty for a new one.")}
            )
        errors = {}
        try:
            # The preview shows the row's values, never what is stored of a person registered elsewhere;
            # an open enrollment in the club (found by the PESEL) keeps its person.
            person, instance.row_person = self.person(row, **kwargs)
            if instance.pk is None:
                instance.participant = person
        except ValidationError as error:
            error.update_error_dict(errors)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            error.update_error_dict(errors)
        if "kategorie" in row and "eligibility_categories" not in errors:  # set once the enrollment is saved
            instance.categories_to_save = self.fields["eligibility_categories"].clean(row, **kwargs)
        if errors:
            raise ValidationError(errors)

    def person(self, row, **kwargs):
        """The person of the row: the one registered under its PESEL and identity, or a new record.

        As on the registration page (registration.py), a known PESEL under another identity is taken
        like an unknown one: a new person, waiting for identity confirmation, with the same row message.
        """
        pesel = text(row, "pesel")
        if not pesel:
            raise ValidationError({"pesel": _("a person without a PESEL is registered on the registration page.")})
        errors = {}

        def cell(column, widget):
            try:
                return widget.clean(row.get(column), row, **kwargs) if text(row, column) else None
            except ValueError as error:
                errors[column] = [str(error)]

        typed = Participant(
            pesel=pesel,
            first_name=text(row, "imie"),
            last_name=text(row, "nazwisko"),
            sex=cell("plec", SEX_WIDGET) or "",
            birth_date=cell("data_urodzenia", DateWidget()),
            municipality=cell("gmina_terc", ScopedForeignKeyWidget(Municipality, "terc")),
        )
        try:
            # The row's values are checked before the PESEL is looked up, alike for a known and an
            # unknown one; the municipality was found by its code, and the one check constraint, a
            # known sex, is the field's choices. The PESEL's uniqueness is the database's to keep.
            typed.full_clean(
                exclude=["municipality", *(name for name, column in PERSON_COLUMNS.items() if column in errors)],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(PERSON_COLUMNS.get(name, ROW), []).extend(messages)
        if errors:
            raise ValidationError(errors)
        holders = self.people.setdefault(pesel, [])
        existing = person_of_pesel(holders, typed)
        if existing:
            return existing, typed
        try:
            different = BooleanWidget().clean(row.get("inna_osoba"))
        except ValueError as error:
            raise ValidationError({"inna_osoba": str(error)}) from error
        names = (typed.first_name.casefold(), typed.last_name.casefold(), typed.birth_date)
        if not different and names in self.namesakes:
            raise ValidationError(
                {
                    "inna_osoba": _(
                        "A person of the same names and date of birth is registered without a PESEL. If it is "
                        "someone else, write „tak” in the column „inna_osoba”; if it is the same person, register "
                        "them on the registration page without the PESEL and confirm that it is them."
                    )
                }
            )
        holders.append(typed)  # the same new person in another club's row of the file
        return typed, typed

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if instance.pk:
            return super().validate_instance(instance, import_validation_errors, validate_unique)
        # A new enrollment, checked without a query per row: the person and the related rows that were
        # given come from the lookups above (in scope; an empty cell is still reported as required),
        # no open enrollment of the person in the club exists (before_import) or repeats in the file
        # (the key check), and of the check constraints only the referral's date concerns a new
        # candidate, which clean() checks. The database's constraints still stand behind all of it.
        errors = dict(import_validation_errors or {})
        found = [name for name in ("club", "referred_by") if getattr(instance, f"{name}_id") is not None]
        try:
            instance.full_clean(
                exclude=[*errors, "participant", *found],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        if is_create:
            self.create_instances.append(instance)
            return
        instance.save()
        if instance.categories_to_save is not None:
            instance.eligibility_categories.set(instance.categories_to_save)
        self.after_save_instance(instance, row, **kwargs)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        enrollments = self.create_instances
        if not enrollments or not (using_transactions or not dry_run):
            return
        try:
            with transaction.atomic():
                people = {id(e.participant): e.participant for e in enrollments if e.participant.pk is None}
                Participant.objects.bulk_create(people.values())
                for enrollment in enrollments:
                    enrollment.set_age_on_entry()
                Enrollment.objects.bulk_create(enrollments)
                through = Enrollment.eligibility_categories.through
                through.objects.bulk_create(
                    through(enrollment_id=enrollment.pk, eligibilitycategory_id=category.pk)
                    for enrollment in enrollments
                    for category in enrollment.categories_to_save or ()
                )
                pks = [enrollment.pk for enrollment in enrollments]
                if Enrollment.objects.restrict(self.user, "change").filter(pk__in=pks).count() != len(pks):
                    raise ValidationError(_("This file would write outside your scope."))
                if not dry_run:  # a preview's rows are rolled back: neither audited nor counted
                    log_bulk(
                        Participant, [person.pk for person in people.values()], LogEntry.Action.CREATE, actor=self.user
                    )
                    log_bulk(Enrollment, pks, LogEntry.Action.CREATE, actor=self.user)
                    bulk_written(Enrollment, pks)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.create_instances.clear()

    def dehydrate_eligibility_categories(self, enrollment):
        if enrollment.pk is None:  # a new row of the import, inserted with its batch
            categories = enrollment.categories_to_save or ()
        else:
            categories = enrollment.eligibility_categories.all()
        return ",".join(category.code for category in categories)

    def dehydrate_stay(self, enrollment):
        return enrollment.pk or ""

    def dehydrate_pesel(self, enrollment):
        return shown_person(enrollment).pesel

    def dehydrate_first_name(self, enrollment):
        return shown_person(enrollment).first_name

    def dehydrate_last_name(self, enrollment):
        return shown_person(enrollment).last_name

    def dehydrate_sex(self, enrollment):
        return shown_person(enrollment).sex

    def dehydrate_birth_date(self, enrollment):
        return DateWidget().render(shown_person(enrollment).birth_date)

    def dehydrate_municipality(self, enrollment):
        person = shown_person(enrollment)
        return person.municipality.terc if person.municipality_id else ""


# How sheets of attendance customarily say it, of a man or a woman.
ATTENDANCE_ALIASES = {
    "obecny": AttendanceStatusChoices.PRESENT,
    "obecna": AttendanceStatusChoices.PRESENT,
    "nieobecny": AttendanceStatusChoices.ABSENT,
    "nieobecna": AttendanceStatusChoices.ABSENT,
}


class AttendanceResource(PortalResource):
    """Attendance at activities already in the portal: the club, the activity's date and title, the PESEL."""

    club = column("klub_numer_rejestru", None, ClubWidget())
    held_on = column("data", None)
    title = column("tytul", None)
    pesel = column("pesel", None)
    status = column("obecnosc", "status", ChoiceWidget(AttendanceStatusChoices.choices, aliases=ATTENDANCE_ALIASES))
    key_columns = ("klub_numer_rejestru", "data", "tytul", "pesel")

    class Meta(PortalResource.Meta):
        model = Attendance
        fields = ["club", "held_on", "title", "pesel", "status"]
        import_id_fields = []

    def get_queryset(self):
        """The attendance a background export reads (ksr_portal/jobs.py), with its activity, club and person."""
        return super().get_queryset().select_related("activity__club", "enrollment__participant")

    def locate(self, row, **kwargs):
        user = kwargs.get("user")
        try:
            held_on = DateWidget().clean(row.get("data"))
        except ValueError as error:
            raise ValidationError({"data": str(error)}) from error
        try:
            club = self.fields["club"].clean(row, user=user, found=self.found)
        except ValueError as error:
            raise ValidationError({"klub_numer_rejestru": str(error)}) from error
        activity = Activity.objects.restrict(user).filter(club=club, held_on=held_on, title=text(row, "tytul")).first()
        if activity is None:
            raise ValidationError(_("No such activity of this club on that day in your scope; import it first."))
        enrollment = (
            Enrollment.objects.restrict(user)
            .filter(active_on(held_on), club=activity.club, participant__pesel=text(row, "pesel"))
            .first()
        )
        if enrollment is None:
            raise ValidationError({"pesel": _("nobody of this PESEL was actively enrolled in the club on that day.")})
        return activity, enrollment

    def get_instance(self, instance_loader, row):
        try:
            club = self.fields["club"].clean(row, user=self.user, found=self.found)
        except ValueError:
            return None  # reported when the row is read
        return Attendance.objects.filter(
            activity__club=club,
            activity__held_on=date_in(row, "data"),
            activity__title=text(row, "tytul"),
            enrollment__participant__pesel=text(row, "pesel"),
        ).first()

    def import_instance(self, instance, row, **kwargs):
        if not instance.pk:
            instance.activity, instance.enrollment = self.locate(row, **kwargs)
        super().import_instance(instance, row, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # An activity or a stay that was not found is reported by its columns, not again as an empty field.
        if import_validation_errors and (instance.activity_id is None or instance.enrollment_id is None):
            raise ValidationError(import_validation_errors)
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def dehydrate_club(self, attendance):
        return attendance.activity.club.registry_number

    def dehydrate_held_on(self, attendance):
        return DateWidget().render(attendance.activity.held_on)

    def dehydrate_title(self, attendance):
        return attendance.activity.title

    def dehydrate_pesel(self, attendance):
        return attendance.enrollment.participant.pesel
