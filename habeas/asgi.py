import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "habeas.settings")
application = get_asgi_application()

# As in wsgi.py: start-up's objects live as long as the process, so the collector skips them.
gc.freeze()
