import pytest

from habeas.lawyers.models import Lawyer
from habeas.stations.models import PoliceStation

TVERSKOY = (55.764788, 37.611573)


@pytest.fixture
def near_tverskoy(lawyer_a, lawyer_b, stations):
    """Two lawyers on duty in central Moscow; Anna is nearer to Tverskoy."""
    Lawyer.objects.filter(user=lawyer_a).update(base_lat=55.766, base_lon=37.612, radius_km=20)
    Lawyer.objects.filter(user=lawyer_b).update(base_lat=55.80, base_lon=37.70, radius_km=20)
    return lawyer_a, lawyer_b


@pytest.fixture
def tverskoy(stations) -> PoliceStation:
    return PoliceStation.objects.get(name="ОВД Тверской")
