"""The bench site with no middleware at all: the bare framework's ceiling (bench/ceiling.py)."""

from .settings import *  # noqa: F403 - the same apps, URLs and database; only this differs

MIDDLEWARE = []
