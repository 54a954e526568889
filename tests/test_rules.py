"""Rules that hold on every path: the admin form, the import and the model, not only the page they were made for."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from demo.pilot import make_pesel
from ksr_portal import roles
from ksr_portal.imports import PortalCSV
from ksr_portal.models import UserScope
from participants.choices import EnrollmentBenefitExclusionChoices
from participants.models import FollowUp, Outcome, Participant
from participants.resources import ParticipantResource

from . import factories as f

pytestmark = pytest.mark.django_db
PESEL = make_pesel(datetime.date(1980, 5, 17), male=False, serial=11)


def coordinator(club):
    user = f.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(roles.KIS_COORDINATOR))
    UserScope.objects.create(user=user, level="club", club=club, region=club.region)
    return user


def form_values(form):
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        key = form.add_prefix(name)
        data[key] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return data


def form_data(page):
    """What the browser would send back unchanged: the admin form's values and every inline's rows."""
    data = form_values(page.context["adminform"].form)
    for formset in page.context["inline_admin_formsets"]:
        data |= form_values(formset.formset.management_form)
        for form in formset.formset.forms:
            data |= form_values(form)
    return data


def post_change(client, obj, changes):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {key: value for key, value in form_data(page).items() if key not in changes or changes[key] is not None}
    data |= {key: value for key, value in changes.items() if value is not None}
    return client.post(url, data)


def import_participants(raw, user):
    dataset = PortalCSV().create_dataset(raw)
    return ParticipantResource().import_data(dataset, user=user, use_transactions=True)


def row_errors(result):
    return [" ".join(messages) for row in result.invalid_rows for messages in row.error_dict.values()]


# --- a qualified or active participant stays eligible ---------------------------------------------------------


def active_enrollment():
    club = f.ClubFactory(registry_number="KIS/26/001", region=f.RegionFactory(terc="26"))
    return f.EnrollmentFactory(club=club, participant=f.ParticipantFactory(pesel=PESEL, last_name="Nowak"))


def test_the_admin_form_cannot_clear_the_categories_of_an_active_participant(client):
    enrollment = active_enrollment()
    client.force_login(coordinator(enrollment.club))
    response = post_change(
        client,
        enrollment,
        {"eligibility_categories": None, "benefit_exclusion": EnrollmentBenefitExclusionChoices.OLD_AGE_PENSION},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "co najmniej jedną kategorię" in str(errors["eligibility_categories"])
    assert "art. 1 ust. 3" in str(errors["benefit_exclusion"])
    enrollment.refresh_from_db()
    assert enrollment.eligibility_categories.exists()
    assert enrollment.benefit_exclusion == EnrollmentBenefitExclusionChoices.NONE


def test_an_import_row_with_no_categories_cannot_strip_them_from_an_active_participant():
    enrollment = active_enrollment()
    header = "pesel;imie;nazwisko;plec;klub_numer_rejestru;data_zgloszenia;kategorie"
    raw = f"{header}\n{PESEL};Anna;Nowak;K;KIS/26/001;01.02.2024;"
    result = import_participants(raw.encode(), coordinator(enrollment.club))
    assert any("co najmniej jedną kategorię" in error for error in row_errors(result))
    assert [c.code for c in enrollment.eligibility_categories.all()] == ["5"]


def test_an_exclusion_set_on_an_active_participant_is_refused_by_the_model():
    enrollment = active_enrollment()
    enrollment.benefit_exclusion = EnrollmentBenefitExclusionChoices.OLD_AGE_PENSION
    with pytest.raises(ValidationError) as excinfo:
        enrollment.full_clean()
    assert "benefit_exclusion" in excinfo.value.message_dict


# --- a signed social contract changes only by its actions -------------------------------------------------


def signed_contract():
    return f.SocialContractFactory(
        valid_until=datetime.date(2024, 11, 30), participant_obligations="Udział w zajęciach"
    )


def test_a_signed_contract_is_read_only_in_its_admin_form_and_a_posted_change_is_ignored(client):
    contract = signed_contract()
    client.force_login(coordinator(contract.enrollment.club))
    page = client.get(reverse("admin:participants_socialcontract_change", args=[contract.pk]))
    assert "valid_until" not in page.context["adminform"].form.fields
    post_change(client, contract, {"valid_until": "2030-12-31", "participant_obligations": "Nic"})
    contract.refresh_from_db()
    assert contract.valid_until == datetime.date(2024, 11, 30)
    assert contract.participant_obligations == "Udział w zajęciach"


def test_a_signed_contract_edited_inline_on_its_enrollment_is_refused(client):
    contract = signed_contract()
    client.force_login(coordinator(contract.enrollment.club))
    response = post_change(client, contract.enrollment, {"social_contracts-0-valid_until": "2030-12-31"})
    assert response.status_code == 200
    assert "Podpisany kontrakt zmienia się tylko" in response.content.decode()
    contract.refresh_from_db()
    assert contract.valid_until == datetime.date(2024, 11, 30)


def test_a_signed_contract_saved_with_new_content_is_refused_but_extended_by_its_action():
    contract = signed_contract()
    contract.valid_until = datetime.date(2030, 12, 31)
    with pytest.raises(ValidationError):
        contract.save()
    with pytest.raises(ValidationError):
        contract.full_clean()
    contract.refresh_from_db()
    contract.extend(datetime.date(2024, 11, 1), until=datetime.date(2025, 3, 31))
    contract.refresh_from_db()
    assert contract.valid_until == datetime.date(2025, 3, 31)


def test_a_draft_contract_stays_editable():
    contract = f.SocialContractFactory(status="draft", signed_on=None)
    contract.valid_until = datetime.date(2025, 1, 31)
    contract.full_clean()
    contract.save()


# --- outcomes after leaving, follow-ups after their interval ------------------------------------------------


def test_an_outcome_of_an_active_enrollment_is_refused_in_the_admin(client):
    enrollment = f.EnrollmentFactory()
    client.force_login(coordinator(enrollment.club))
    response = client.post(
        reverse("admin:participants_outcome_add"),
        {
            "enrollment": enrollment.pk,
            "recorded_on": "2024-05-01",
            "situation": "employed",
            "follow_ups-TOTAL_FORMS": "0",
            "follow_ups-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "po odejściu osoby" in str(response.context["adminform"].form.errors["enrollment"])
    assert not Outcome.objects.exists()


@pytest.mark.parametrize("status", ["completed", "dropped_out"])
def test_an_outcome_of_a_stay_that_ended_is_accepted(status):
    enrollment = f.EnrollmentFactory(completed=True)
    if status == "dropped_out":
        enrollment = f.EnrollmentFactory(status=status, exit_on=datetime.date(2024, 6, 1), exit_reason="own_decision")
    Outcome(enrollment=enrollment, recorded_on=datetime.date(2024, 12, 1), situation="employed").full_clean()


@pytest.mark.parametrize(
    "checked_on, accepted",
    [(datetime.date(2024, 12, 15), False), (datetime.date(2025, 2, 27), False), (datetime.date(2025, 2, 28), True)],
)
def test_a_3_month_follow_up_is_dated_at_least_3_months_after_the_exit(checked_on, accepted):
    outcome = f.OutcomeFactory(enrollment=f.EnrollmentFactory(completed=True, exit_on=datetime.date(2024, 11, 28)))
    follow_up = FollowUp(outcome=outcome, months_after=3, checked_on=checked_on, situation="employed")
    if accepted:
        follow_up.full_clean()
    else:
        with pytest.raises(ValidationError) as excinfo:
            follow_up.full_clean()
        assert "28.02.2025" in " ".join(excinfo.value.message_dict["checked_on"])


# --- the import warns of a namesake as the registration form does -----------------------------------------


NAMESAKE_HEADER = "pesel;imie;nazwisko;plec;klub_numer_rejestru;data_zgloszenia"
BORN = datetime.date(1975, 3, 3)


def namesakes_without_pesel():
    club = f.ClubFactory(registry_number="KIS/26/001", region=f.RegionFactory(terc="26"))
    for _n in range(2):
        f.ParticipantFactory(pesel="", first_name="Jan", last_name="Bezpesela", birth_date=BORN, sex="male")
    return club


def test_an_import_row_of_a_namesake_of_someone_without_a_pesel_is_refused():
    club = namesakes_without_pesel()
    raw = f"{NAMESAKE_HEADER}\n{make_pesel(BORN, male=True, serial=7)};Jan;Bezpesela;M;KIS/26/001;01.02.2026"
    result = import_participants(raw.encode(), coordinator(club))
    assert any("inna_osoba" in error for error in row_errors(result))
    assert Participant.objects.filter(last_name="Bezpesela").count() == 2


def test_an_import_row_marked_as_a_different_person_makes_a_new_record():
    club = namesakes_without_pesel()
    pesel = make_pesel(BORN, male=True, serial=7)
    raw = f"{NAMESAKE_HEADER};inna_osoba\n{pesel};Jan;Bezpesela;M;KIS/26/001;01.02.2026;tak"
    result = import_participants(raw.encode(), coordinator(club))
    assert not result.has_errors() and not result.has_validation_errors()
    assert Participant.objects.filter(last_name="Bezpesela").count() == 3
