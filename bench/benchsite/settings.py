"""Production settings unchanged, plus the baseline views' URLconf and their one table.

The baselines run in the same server, process model and middleware as the SOS, so the
difference between them and POST /api/v1/cases is the SOS path itself.
"""

from habeas.settings import *  # noqa: F403 - the point is to change nothing else
from habeas.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.benchsite"]
ROOT_URLCONF = "bench.benchsite.urls"
