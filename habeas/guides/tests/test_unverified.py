"""No claim tagged [unverified] in shared/legal-facts-ru.md reaches a guide as fact.

Each entry is a specific claim the guides chose to leave out or hand to a lawyer: a pattern, the
fact-sheet line it comes from, and an example sentence the pattern must catch. Add one whenever a
guide is written around an unverified fact.
"""

import re

import pytest

from habeas.guides import load_guides

UNVERIFIED = [
    # §0: the 48 h limit of KoAP 27.5 p.3 is cut off in the source excerpt.
    (
        r"ч\. 3 ст\. 27\.5|27\.5 para\. 3",
        "KoAP 27.5 p.3 (48 h for arrest charges)",
        "до 48 часов (ч. 3 ст. 27.5 КоАП)",
    ),
    (
        r"48[^\n]{0,60}(27\.5|29\.6)|(27\.5|29\.6)[^\n]{0,60}48",
        "48 h tied to KoAP 27.5 or 29.6",
        "в течение 48 часов (ч. 4 ст. 29.6 КоАП)",
    ),
    (
        r"до (двух|2) суток|up to (two|2) days",
        "19.3 stretching detention to two days",
        "держать до двух суток",
    ),
    # §1: the filming article may be ZoP 8; unlocking refusal as 19.3 is open.
    (
        r"ст\. 8 Закона «О полиции»|Art\. 8 of the Police Law",
        "ZoP 8 openness and filming",
        "снимать можно (ст. 8 Закона «О полиции»)",
    ),
    (
        r"не могут наказать за отказ|cannot be punished for refusing",
        "unlock refusal and 19.3",
        "You cannot be punished for refusing to unlock",
    ),
    # §2: delivery protocol and its copy.
    (
        r"ч\. [23] ст\. 27\.2|27\.2 paras? [23]",
        "KoAP 27.2 p.2–3 delivery protocol",
        "копию (ч. 3 ст. 27.2 КоАП)",
    ),
    # §3: minors' parents, protocol copy, defender's exact text, interpreter, seizure, comments.
    (
        r"ч\. 4 ст\. 27\.3|27\.3 para\. 4",
        "KoAP 27.3 p.4 parents of minors",
        "Art. 27.3 para. 4 KoAP",
    ),
    (r"\b27\.4\b", "KoAP 27.4 protocol copy on request", "копия (ст. 27.4 КоАП)"),
    (
        r"ч\. 4 ст\. 25\.5|25\.5 para\. 4",
        "KoAP 25.5 p.4 exact text",
        "с момента задержания (ч. 4 ст. 25.5 КоАП)",
    ),
    (r"\b25\.10\b|\b24\.2\b", "KoAP 25.10 / 24.2 interpreter text", "переводчик (ст. 25.10 КоАП)"),
    (r"\b27\.10\b", "KoAP 27.10 seizure details", "изъятие (ст. 27.10 КоАП)"),
    (r"\b28\.2\b", "KoAP 28.2 comments on the protocol", "замечания (ч. 4 ст. 28.2 КоАП)"),
    (
        r"не имеет (юридической )?силы|has no legal (force|effect)",
        "obligation to appear",
        "Обязательство о явке не имеет юридической силы",
    ),
    (
        r"ст\. 50 УПК|Art\. 50 UPK|ч\. 4 ст\. 4[67]|4[67] para\. 4",
        "UPK 46/47 p.4 and UPK 50",
        "назначат адвоката (ст. 50 УПК)",
    ),
    # §4: what a summons must say and bringing a witness by force.
    (
        r"\b113\b|\b188\b",
        "UPK 113 / 188 summons and forced appearance",
        "приведут силой (ст. 113 УПК)",
    ),
    # §5: whether a "talk" is mandatory; Glukhin's damages.
    (
        r"беседа (не )?обязательн|(not )?obliged to (come|go) (to|for) a chat",
        "the 'beseda'",
        "Беседа не обязательна",
    ),
    (r"\bевро\b|€|\bEUR\b", "Glukhin damages", "5000 евро"),
    # §7: other complaints, Navalnyy art. 18, Lashmankin, 183-FZ.
    (
        r"\bКАС\b|\bKAS\b|\b10(69|70)\b|\b1100\b",
        "KAS ch. 22 and Civil Code claims",
        "иск по ст. 1069 ГК",
    ),
    (
        r"Навальн|Navaln|Лашманкин|Lashmankin",
        "ECHR cases with unverified findings",
        "Navalnyy v. Russia",
    ),
    (r"183-(ФЗ|FZ)", "183-FZ non-execution", "Закон № 183-ФЗ"),
    # §8: the OVD-Info number must be checked before it is printed.
    (r"707[- ]?05[- ]?28", "OVD-Info hotline number", "+7 800 707-05-28"),
    # §9: penalties not confirmed.
    (r"до 30 суток|30 days of arrest|150[–-]300", "KoAP 20.2 p.8 amounts", "до 30 суток ареста"),
    (
        r"180 (дней|days)|более двух раз|more than twice",
        "UK 212.1 note wording",
        "более двух раз за 180 дней",
    ),
    (r"\b6\.3\b|15[–-]40", "KoAP 6.3 p.2 upper limit", "штраф 15–40 тыс."),
]


IDS = [claim for _pattern, claim, _example in UNVERIFIED]


@pytest.mark.parametrize(("pattern", "claim", "example"), UNVERIFIED, ids=IDS)
def test_each_pattern_catches_the_claim_it_names(pattern, claim, example):
    # A pattern that matches nothing would let its claim through unnoticed.
    assert re.search(pattern, example, re.IGNORECASE), claim


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize(("pattern", "claim", "_example"), UNVERIFIED, ids=IDS)
def test_no_guide_states_an_unverified_claim(lang, pattern, claim, _example):
    for guide in load_guides(lang):
        found = re.search(pattern, guide.title + "\n" + guide.text, re.IGNORECASE)
        assert found is None, f"{lang}/{guide.slug} states {claim!r}: {found.group(0)!r}"
