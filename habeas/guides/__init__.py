"""Know-your-rights guides: Markdown files in content/guides/<lang>/<jurisdiction>/, loaded and
rendered once per process.

A ground-level package: no models, no registration in INSTALLED_APPS, and nothing imported from
the rest of the project, so any surface app can use it.
"""

from habeas.guides.loader import (
    CONTENT_DIR,
    Guide,
    GuideError,
    get_guide,
    load_guides,
    rank,
    search,
)

__all__ = ["CONTENT_DIR", "Guide", "GuideError", "get_guide", "load_guides", "rank", "search"]
