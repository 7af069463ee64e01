import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "habeas.settings")
application = get_wsgi_application()

# What start-up made (modules, settings, URL patterns, models) lives as long as the process.
# Frozen, it is left out of the collector's full passes: each pass walked it all and held one
# console request in a hundred for another 60 ms at a million cases (docs/benchmarks.md, 5e).
gc.freeze()
