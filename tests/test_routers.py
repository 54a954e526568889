"""Report reads go to the replica when one is configured; writes always go to the primary."""

import pytest
from django.urls import reverse

from clubs.models import Club
from ksr_portal import roles, routers
from ksr_portal.models import UserScope

from . import factories as f


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": {**settings.DATABASES["default"]}}


def test_reads_inside_a_report_go_to_the_replica_and_writes_to_the_primary(with_replica):
    router = routers.ReplicaRouter()
    assert router.db_for_read(Club) == "default"
    with routers.replica_reads():
        assert router.db_for_read(Club) == "replica"
        assert router.db_for_write(Club) == "default"
    assert router.db_for_read(Club) == "default"
    assert router.allow_migrate("default", "clubs") and not router.allow_migrate("replica", "clubs")


def test_without_a_replica_everything_uses_the_primary():
    router = routers.ReplicaRouter()
    with routers.replica_reads():
        assert router.db_for_read(Club) == "default"


@pytest.mark.django_db
def test_report_pages_read_through_the_replica_context(client, monkeypatch):
    seen = []
    original = routers.ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        seen.append((model._meta.label, routers._reporting.get()))
        return original(self, model, **hints)

    monkeypatch.setattr(routers.ReplicaRouter, "db_for_read", spy)
    user = f.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(roles.MINISTRY_ANALYST))
    UserScope.objects.create(user=user, level="national")
    client.force_login(user)
    region = f.RegionFactory(terc="26")
    assert client.get(reverse("reporting:region", args=[region.terc])).status_code == 200
    report_reads = [label for label, reporting in seen if reporting]
    assert "reporting.EnrollmentFigures" in report_reads and "clubs.Club" in report_reads
    # The session and the user are read outside the report: from the primary.
    assert ("sessions.Session", False) in seen or ("auth.User", False) in seen
