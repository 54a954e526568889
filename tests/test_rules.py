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
from participants.resources import ParticipantResource

from . import factories as f

pytestmark = pytest.mark.django_db
PESEL = make_pesel(datetime.date(1980, 5, 17), male=False, serial=11)


def coordinator(club):
    user = f.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(roles.KIS_COORDINATOR))
    UserScope.objects.create(user=user, level="club", club=club, region=club.region)
    return user


def form_data(page):
    """What the browser would send back unchanged: the admin form's values and every inline's management form."""
    data = {}
    form = page.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = str(management[name].value() or 0)
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
