"""The PWA's first load: what a phone on a bad network downloads before the SOS button works.

The page and every file it references (stylesheets, scripts, manifest, icons), compressed as
the server sends them. Run it to see the sizes:

    HABEAS_DEBUG=1 .venv/bin/python -m bench.first_load

The product's test habeas/public/tests/test_first_load_budget.py imports `measure` and
`BUDGET_BYTES` from here, so the test and this report measure the same way.
"""

import gzip
import os
import re
from dataclasses import dataclass

REFERENCE_RE = re.compile(r'(?:src|href)="(/[^"]+)"')
BUDGET_BYTES = 150 * 1024


@dataclass(frozen=True)
class Item:
    path: str
    raw: int
    gzipped: int


def measure(path: str = "/") -> list[Item]:
    """Fetch the page and each same-origin file it names; return their sizes."""
    from django.test import Client  # after django.setup() when run as a script

    client = Client()
    page = client.get(path, headers={"Accept-Language": "ru"})
    html = page.content
    items = [Item(path, len(html), len(gzip.compress(html, 9)))]
    for ref in dict.fromkeys(REFERENCE_RE.findall(html.decode())):
        if ref.startswith(("/guides", "/summons", "/timer", "/photo", "/x", "/i18n")):
            continue  # links to other pages, not parts of this one
        response = client.get(ref)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        items.append(Item(ref, len(body), len(gzip.compress(body, 9))))
    return items


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "habeas.settings")
    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    items = measure("/")
    print(f"{'file':<48} {'raw':>9} {'gzip -9':>9}")
    for item in items:
        print(f"{item.path:<48} {item.raw:>9,} {item.gzipped:>9,}")
    raw, gz = sum(i.raw for i in items), sum(i.gzipped for i in items)
    print(f"{'total':<48} {raw:>9,} {gz:>9,}   budget {BUDGET_BYTES:,} compressed")


if __name__ == "__main__":
    main()
