import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def second_factor(settings):
    """Tests sign in with `force_login`, which gives no second factor; test_second_factor.py and the
    end-to-end tests ask for it as the portal does."""
    settings.TWO_FACTOR = None


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    """Uploads waiting for confirmation go to the test's own folder."""
    settings.KSR_UPLOAD_DIR = tmp_path / "uploads"
    return settings.KSR_UPLOAD_DIR


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background jobs run as soon as they are queued; test_import_jobs.py also runs them by the
    database backend's worker, as `make run` and `make serve` do."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded documents go to the test's own folder too."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the API's throttle counts are kept there)."""
    cache.clear()
