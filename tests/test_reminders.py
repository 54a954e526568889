"""The morning digest: who gets it, what it says (counts, never names), and the opt-out."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ksr_portal import roles
from participants.models import DigestOptOut

from . import factories as f
from .test_case_file import club_user, scoped_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def club():
    """A club whose worklist holds two contracts ending soon and one person long absent."""
    club = f.ClubFactory()
    for last_name in ("Ukryta-Pierwsza", "Ukryta-Druga"):
        enrollment = f.EnrollmentFactory(
            club=club,
            participant__last_name=last_name,
            applied_on=TODAY - 90 * DAY,
            qualified_on=TODAY - 85 * DAY,
            started_on=TODAY - 80 * DAY,
        )
        f.SocialContractFactory(
            enrollment=enrollment, valid_from=TODAY - 80 * DAY, valid_until=TODAY + 10 * DAY, signed_on=TODAY - 80 * DAY
        )
    return club


def test_the_digest_goes_to_club_staff_with_counts_and_no_names(club):
    coordinator = club_user(club)
    instructor = club_user(club, roles.KIS_INSTRUCTOR)
    opted_out = club_user(club)
    DigestOptOut.objects.create(user=opted_out)
    club_user(f.ClubFactory())  # another club with nothing to do: no e-mail
    scoped_user(roles.ROPS_STAFF, "region", club.region)  # not club staff
    call_command("send_reminders")
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {coordinator.email, instructor.email}
    body = by_recipient[coordinator.email].body
    assert "Kontrakty socjalne kończące się wkrótce: 2" in body and reverse("participants:worklist") in body
    assert "Ukryta" not in body and "Ukryta" not in by_recipient[coordinator.email].subject
    # The instructor's digest has only what their worklist shows them: attendance, no contracts.
    instructor_body = by_recipient[instructor.email].body
    assert "Aktywni uczestnicy bez niedawnej obecności: 2" in instructor_body
    assert "kontrakt" not in instructor_body.lower()


def test_a_dry_run_sends_nothing(club, capsys):
    club_user(club)
    call_command("send_reminders", "--dry-run")
    assert mail.outbox == [] and "1 digests would be sent" in capsys.readouterr().out


def test_a_user_opts_out_and_back_in_on_the_reminders_page(client, club):
    user = club_user(club)
    client.force_login(user)
    url = reverse("participants:reminders")
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 302
    assert DigestOptOut.objects.filter(user=user).exists()
    call_command("send_reminders")
    assert mail.outbox == []
    client.post(url, {"digest": "on"})
    assert not DigestOptOut.objects.filter(user=user).exists()
    call_command("send_reminders")
    assert [message.to for message in mail.outbox] == [[user.email]]
