import pytest


@pytest.fixture(autouse=True)
def no_figures_cache(settings):
    """Report figures are cached until a write commits, and tests roll back instead of committing.

    So tests compute figures afresh; test_figures_cache.py checks the cache itself with commits, and
    the end-to-end tests (committing for real) keep it.
    """
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


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
def media_root(settings, tmp_path):
    """Uploaded documents go to the test's own folder too."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
