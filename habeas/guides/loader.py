"""Read, check and render the guides; find them by slug or by words."""

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content" / "guides"

REQUIRED = ("title", "situation", "order", "reviewed", "sources")
# A lawyer's name or organisation; absent until a lawyer has signed the text off, and the page
# says so rather than letting a compile date pass for a legal review.
OPTIONAL = ("reviewer",)
# Language and jurisdiction become folder names: a strict shape keeps "../" out of the path.
FOLDER = re.compile(r"^[a-z]{2,3}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# A guide with this many sections (`##` headings) or more is "long": its page opens with a table
# of contents and ends with an SOS button. Every shipped guide runs past two screens of a phone
# from four sections on; fewer fit on about one and a half, where a list of links only adds
# scrolling.
LONG_GUIDE_SECTIONS = 4
# The language the police speak in each jurisdiction. A guide in any other language must give,
# beside every phrase to say, the sentence the person has to say aloud in this one.
POLICE_LANGUAGE = {"ru": "ru"}
# How a guide's source writes a phrase to say: the words in bold and in quotes. In a translated
# guide the police language's sentence follows it, in bold and in guillemets, after a dash:
# **"I need a lawyer"** — **«Мне нужен адвокат»**.
SAID = re.compile(r'^"[^"]+"$')
SAID_IN_POLICE_LANGUAGE = re.compile(r"^«[^«»]+»[.,;:!?]*$")
BETWEEN = re.compile(r"^\s*—\s*$")

# CommonMark with raw HTML off: a "<script>" in a guide is shown as text, never run. The
# default link check already refuses javascript:, vbscript: and file: URLs.
_markdown = MarkdownIt("commonmark", {"html": False})


class GuideError(ValueError):
    """A guide file that cannot be shipped: names the file and the field at fault."""

    def __init__(self, path: Path, field: str, problem: str) -> None:
        self.path = path
        self.field = field
        super().__init__(f"{path}: {field}: {problem}")


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    situation: str
    order: int
    reviewed: date
    sources: list[str]
    html: str
    text: str
    lang: str
    jurisdiction: str
    reviewer: str = ""
    # (anchor, heading) of each `##` section in reading order; the anchor is the heading's id.
    sections: tuple[tuple[str, str], ...] = ()

    @property
    def is_long(self) -> bool:
        """True if the page shows a table of contents and an SOS button at its end."""
        return len(self.sections) >= LONG_GUIDE_SECTIONS


def _split(path: Path, raw: str) -> tuple[dict[str, str], str]:
    lines = raw.splitlines()
    if not lines or lines[0].strip() != "---":
        raise GuideError(path, "front-matter", "the file must start with a '---' line")
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
    except StopIteration:
        raise GuideError(path, "front-matter", "no closing '---' line") from None
    fields: dict[str, str] = {}
    for number, line in enumerate(lines[1:end], 2):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or not key:
            raise GuideError(path, f"line {number}", "expected 'key: value'")
        if key not in REQUIRED and key not in OPTIONAL:
            raise GuideError(path, key, f"unknown key; allowed: {', '.join(REQUIRED + OPTIONAL)}")
        if key in fields:
            raise GuideError(path, key, "given twice")
        fields[key] = value.strip()
    body = "\n".join(lines[end + 1 :]).strip()
    return fields, body


def _plain(body: str) -> str:
    # The words a reader sees, without Markdown marks, for search.
    words = []
    for token in _markdown.parse(body):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        if token.type in ("fence", "code_block"):
            words.append(token.content)
        if token.type in ("inline", "fence", "code_block"):
            words.append("\n")
    return "".join(words).strip()


def _strong(children: list[Token], i: int) -> str | None:
    # The text of a bold run that starts at children[i] and holds only text, else None.
    if (
        i + 2 < len(children)
        and children[i].type == "strong_open"
        and children[i + 1].type == "text"
        and children[i + 2].type == "strong_close"
    ):
        return children[i + 1].content
    return None


def _mark_phrases(path: Path, children: list[Token], police_lang: str) -> None:
    # In a guide written in another language than the police's: every phrase to say must have
    # the police language's sentence beside it, marked with its language for screen readers.
    for i, child in enumerate(children):
        said = _strong(children, i)
        if said is not None and SAID_IN_POLICE_LANGUAGE.match(said):
            child.attrSet("lang", police_lang)
            child.attrSet("class", "say-police")
        if said is None or not SAID.match(said):
            continue
        after = i + 3
        beside = _strong(children, after + 1)
        if not (
            after < len(children)
            and children[after].type == "text"
            and BETWEEN.match(children[after].content)
            and beside is not None
            and SAID_IN_POLICE_LANGUAGE.match(beside)
        ):
            raise GuideError(
                path,
                "phrase",
                f'{said} has no sentence in {police_lang!r} beside it; write **"…"** — **«…»**',
            )


def _render(path: Path, body: str, lang: str, jurisdiction: str) -> tuple[str, tuple]:
    """Render the body; give each `##` heading an id and list the sections."""
    tokens = _markdown.parse(body)
    police_lang = POLICE_LANGUAGE.get(jurisdiction, lang)
    sections: list[tuple[str, str]] = []
    taken: set[str] = set()
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            words = tokens[i + 1].children or []
            title = "".join(c.content for c in words if c.type in ("text", "code_inline")).strip()
            anchor = slugify(title, allow_unicode=True) or f"section-{len(sections) + 1}"
            base, n = anchor, 2
            while anchor in taken:
                anchor, n = f"{base}-{n}", n + 1
            taken.add(anchor)
            token.attrSet("id", anchor)
            sections.append((anchor, title))
        if token.type == "inline" and lang != police_lang:
            _mark_phrases(path, token.children or [], police_lang)
    return _markdown.renderer.render(tokens, _markdown.options, {}), tuple(sections)


def parse_guide(path: Path, lang: str, jurisdiction: str) -> Guide:
    """Read one guide file and render it; raise GuideError on anything a reader must not see."""
    fields, body = _split(path, path.read_text(encoding="utf-8-sig"))
    for key in REQUIRED:
        if not fields.get(key):
            raise GuideError(path, key, "missing or empty")
    slug = path.stem
    if not SLUG.match(slug):
        raise GuideError(path, "file name", "use lower-case letters, digits and hyphens")
    # One name for one situation: code links "the police-station guide" by this name.
    if fields["situation"] != slug:
        raise GuideError(path, "situation", f"must equal the file name {slug!r}")
    try:
        order = int(fields["order"])
    except ValueError:
        raise GuideError(path, "order", f"not a whole number: {fields['order']!r}") from None
    if not ISO_DATE.match(fields["reviewed"]):
        raise GuideError(path, "reviewed", f"not a YYYY-MM-DD date: {fields['reviewed']!r}")
    try:
        reviewed = date.fromisoformat(fields["reviewed"])
    except ValueError:
        raise GuideError(path, "reviewed", f"no such date: {fields['reviewed']!r}") from None
    sources = [s.strip() for s in fields["sources"].split(",") if s.strip()]
    if not sources:
        raise GuideError(path, "sources", "list at least one source")
    if not body:
        raise GuideError(path, "body", "the guide has no text")
    html, sections = _render(path, body, lang, jurisdiction)
    return Guide(
        slug=slug,
        title=fields["title"],
        situation=fields["situation"],
        order=order,
        reviewed=reviewed,
        sources=sources,
        html=html,
        text=_plain(body),
        lang=lang,
        jurisdiction=jurisdiction,
        reviewer=fields.get("reviewer", ""),
        sections=sections,
    )


@cache
def _load(root: Path, lang: str, jurisdiction: str) -> tuple[Guide, ...]:
    folder = root / lang / jurisdiction
    if not (FOLDER.match(lang) and FOLDER.match(jurisdiction) and folder.is_dir()):
        return ()
    guides = [parse_guide(path, lang, jurisdiction) for path in folder.glob("*.md")]
    return tuple(sorted(guides, key=lambda g: (g.order, g.slug)))


def load_guides(lang: str, jurisdiction: str = "ru", *, root: Path | None = None) -> list[Guide]:
    """Return the guides for one language and jurisdiction in reading order ([] if none).

    Files are read once per process; a deploy restarts the process, which is when they change.
    """
    return list(_load(root or CONTENT_DIR, lang, jurisdiction))


def get_guide(
    lang: str, slug: str, jurisdiction: str = "ru", *, root: Path | None = None
) -> Guide | None:
    """Return the guide with this slug, or None."""
    return next((g for g in _load(root or CONTENT_DIR, lang, jurisdiction) if g.slug == slug), None)


def _normal(text: str) -> str:
    # Russian is often typed without "ё"; one letter for both makes "её" find "ее".
    return text.casefold().replace("ё", "е")


def _stem(word: str) -> str:
    # A crude cut of inflected endings (up to three letters, keeping at least five), so
    # "адвоката" finds "адвокат", "задержание" "задержали" and "lawyers" "lawyer"; short words
    # stay whole so "суд" does not turn into "су".
    return word[: max(5, len(word) - 3)]


def rank(guides: list[Guide], query: str) -> list[Guide]:
    """Keep the guides that contain every word of the query.

    Ranked by how many words are in the title, then by how often they occur in the text, then
    by reading order.
    """
    words = [_stem(w) for w in re.findall(r"\w+", _normal(query))]
    if not words:
        return []
    found = []
    for guide in guides:
        title = _normal(guide.title)
        everything = title + "\n" + _normal(guide.text)
        if all(w in everything for w in words):
            in_title = sum(w in title for w in words)
            in_text = sum(everything.count(w) for w in words)
            found.append((-in_title, -in_text, guide.order, guide.slug, guide))
    return [item[-1] for item in sorted(found, key=lambda item: item[:4])]


def search(
    lang: str, query: str, jurisdiction: str = "ru", *, root: Path | None = None
) -> list[Guide]:
    """Find guides in one language whose title or text holds every word of the query."""
    return rank(load_guides(lang, jurisdiction, root=root), query)
