import pytest

SECRET = "webhook-secret-for-tests"


@pytest.fixture(autouse=True)
def bot_settings(settings):
    settings.HABEAS_TELEGRAM_WEBHOOK_SECRET = SECRET
    settings.HABEAS_ORG_NAME = "Habeas"


@pytest.fixture
def lawyer_nearby(lawyer_a, stations):
    """Anna, on duty in central Moscow, where the bot's test location is."""
    from habeas.lawyers.models import Lawyer

    Lawyer.objects.filter(user=lawyer_a).update(base_lat=55.766, base_lon=37.612, radius_km=20)
    return lawyer_a


@pytest.fixture
def tverskoy(stations):
    from habeas.stations.models import PoliceStation

    return PoliceStation.objects.get(name="ОВД Тверской")
