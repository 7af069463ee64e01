"""The server's entry points (habeas/wsgi.py, habeas/asgi.py) as granian imports them."""

import subprocess
import sys

import pytest
from django.conf import settings


@pytest.mark.parametrize("module", ["habeas.wsgi", "habeas.asgi"])
def test_the_server_starts_with_its_start_up_objects_out_of_the_collectors_way(module):
    # A full collection walked every module, URL pattern and model once a hundred requests:
    # frozen at start-up, they are skipped (docs/benchmarks.md, 5e).
    probe = f"import gc, {module}; print(gc.get_freeze_count(), callable({module}.application))"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        env={"HABEAS_DEBUG": "1", "PATH": "/usr/bin:/bin"},
        check=True,
    )
    frozen, callable_ = done.stdout.split()
    assert int(frozen) > 10_000 and callable_ == "True"
