import pytest

from . import fake_provider


@pytest.fixture(autouse=True)
def _notifications_setup(settings):
    settings.CALENDAR_PROVIDERS = ["apps.notifications.tests.fake_provider"]
    fake_provider.EVENTS.clear()
    yield
    fake_provider.EVENTS.clear()
