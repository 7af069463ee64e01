"""Articles of the codes as lawyers write them, read into one form.

"20.2 ч. 5", "ч. 5 ст. 20.2", "ст. 20.2 ч.5 КоАП РФ" and "20.2 p. 5" are one KoAP article,
kept as "20.2 ч. 5"; the Criminal Code's are kept as "УК 318 ч. 1" ("ч. 1 ст. 318 УК РФ").
"""

import re

_NUMBER = r"\d{1,3}(?:\.\d{1,2}){0,2}"
_PART = r"\d{1,2}(?:\.\d{1,2})?"
_CODE_UK = re.compile(r"\b(ук|uk|cc)\b(\s*рф)?", re.IGNORECASE)
_CODE_KOAP = re.compile(r"\b(коап|koap)\b(\s*рф)?", re.IGNORECASE)
_PART_WORD = r"(?:ч\.?|части|часть|part|p\.?)"
_ARTICLE_WORD = r"(?:ст\.?|статьи|статья|art\.?|article)"
# "ч. 5 ст. 20.2" and "20.2 ч. 5" (the article's own word optional either way).
_PART_FIRST = re.compile(
    rf"^{_PART_WORD}\s*(?P<part>{_PART})\s*{_ARTICLE_WORD}?\s*(?P<n>{_NUMBER})$"
)
_NUMBER_FIRST = re.compile(
    rf"^{_ARTICLE_WORD}?\s*(?P<n>{_NUMBER})(?:\s*,?\s*{_PART_WORD}\s*(?P<part>{_PART}))?$"
)


def normalize_article(text: str) -> str | None:
    """The article in its one form, or None when the text is not an article."""
    text = " ".join(str(text or "").split())
    if not text or len(text) > 60:
        return None
    criminal = bool(_CODE_UK.search(text))
    rest = _CODE_KOAP.sub("", _CODE_UK.sub("", text)).strip(" ,.").casefold()
    match = _PART_FIRST.match(rest) or _NUMBER_FIRST.match(rest)
    if match is None:
        return None
    number, part = match["n"], match["part"]
    if criminal and "." not in number and not 100 <= int(number) <= 361:
        return None  # the Criminal Code's special part runs from 105 to 361
    if criminal:
        return f"УК {number}" + (f" ч. {part}" if part else "")
    return number + (f" ч. {part}" if part else "")
