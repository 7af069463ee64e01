import os

# The production entry point (habeas/asgi.py: start-up objects frozen), with this site's settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.benchsite.settings")

from habeas.asgi import application  # noqa: F401 - the server imports it from here
