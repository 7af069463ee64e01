"""Know-your-rights guides as PWA pages: a searchable list and one page per guide."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from habeas.guides import Guide, get_guide, load_guides, rank

from .pages import hotline, scripts, with_language_form

# One country for now; a second becomes a folder in content/guides/<lang>/ and a choice here.
JURISDICTION = "ru"
# Long enough for any real question; a pasted essay is cut rather than searched.
MAX_QUERY = 100


def _active_lang() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _primary_lang() -> str:
    # Guides are written in the default language first; every other one may lag behind.
    return settings.LANGUAGE_CODE.split("-")[0]


def guides_for(lang: str) -> list[Guide]:
    """Return every guide in `lang`, taking the primary language's text where none exists."""
    own = {g.slug: g for g in load_guides(lang, JURISDICTION)}
    merged = {g.slug: own.get(g.slug, g) for g in load_guides(_primary_lang(), JURISDICTION)}
    merged.update({slug: g for slug, g in own.items() if slug not in merged})
    return sorted(merged.values(), key=lambda g: (g.order, g.slug))


def _page() -> dict:
    # store.js alone: it swaps in the discreet install's name and icon when that was chosen,
    # since the app can be added to the home screen from any page.
    return {**hotline(), "scripts": scripts("store")}


@require_safe
def guide_list(request: HttpRequest) -> HttpResponse:
    """List the guides in reading order, or those matching ?q= (title hits first)."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    lang = _active_lang()
    guides = guides_for(lang)
    found = rank(guides, query) if query else []
    if query and not found and lang != _primary_lang():
        # A Russian speaker on an English phone types Russian: answer with the Russian texts.
        found = rank(guides_for(_primary_lang()), query)
    context = {"guides": guides, "query": query, "found": found, **_page()}
    return with_language_form(render(request, "public/guides/list.html", context))


@require_safe
def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show one guide in the active language, or in the primary language if not translated."""
    lang = _active_lang()
    guide = get_guide(lang, slug, JURISDICTION) or get_guide(_primary_lang(), slug, JURISDICTION)
    if guide is None:
        raise Http404("No such guide")
    context = {"guide": guide, "fallback": guide.lang != lang, **_page()}
    return with_language_form(render(request, "public/guides/detail.html", context))
