"""Measure what a phone downloads on its first visit to the SOS page: the page and every file
it references (stylesheets, scripts, manifest, icons), compressed as the server sends them."""

import gzip
import re
from dataclasses import dataclass

from django.test import Client

REFERENCE_RE = re.compile(r'(?:src|href)="(/[^"]+)"')
BUDGET_BYTES = 150 * 1024


@dataclass(frozen=True)
class Item:
    path: str
    raw: int
    gzipped: int


def measure(path: str = "/") -> list[Item]:
    """Fetch the page and each same-origin file it names; return their sizes."""
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
