"""The PWA's first load: what a phone on a bad network downloads before the SOS button works.

HABEAS_DEBUG=1 .venv/bin/python -m bench.first_load
"""

import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "habeas.settings")
    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    from habeas.public.first_load import BUDGET_BYTES, measure

    items = measure("/")
    print(f"{'file':<48} {'raw':>9} {'gzip -9':>9}")
    for item in items:
        print(f"{item.path:<48} {item.raw:>9,} {item.gzipped:>9,}")
    raw, gz = sum(i.raw for i in items), sum(i.gzipped for i in items)
    print(f"{'total':<48} {raw:>9,} {gz:>9,}   budget {BUDGET_BYTES:,} compressed")


if __name__ == "__main__":
    main()
