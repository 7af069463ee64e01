"""The SMS payload parser on random and hostile input: never a crash, never a wrong case."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from habeas.lib import smscodec

KEYS = st.text(
    alphabet="ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789", min_size=12, max_size=12
)
NAMES = st.lists(
    st.text(
        alphabet="АБВГДЕЁЖЗИКЛМНОПРСТУФХЦЧШЩЭЮЯабвгдеёжзийклмнопрстуфхцчшщьыъэюяABCxyz-",
        min_size=1,
        max_size=12,
    ).filter(lambda w: w[0] != "-"),
    min_size=0,
    max_size=3,
).map(" ".join)


def test_a_typical_russian_sos_fits_one_cyrillic_sms():
    text = smscodec.build("k7Pq2Xz9Lm3W", 55.76491, 37.61163, date(1995, 4, 12), "Мария Иванова")
    assert text == "H1 k7Pq2Xz9Lm3W 55.7649,37.6116 19950412 Мария Иванова"
    assert len(text) <= smscodec.ONE_SMS_UCS2
    long_name = smscodec.build(
        "k7Pq2Xz9Lm3W", 55.7, 37.6, date(1995, 4, 12), "Александр Константинов"
    )
    assert len(long_name) <= smscodec.ONE_SMS_UCS2


@given(
    key=KEYS,
    where=st.one_of(st.none(), st.tuples(st.floats(-90, 90), st.floats(-180, 180))),
    born=st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2020, 12, 31))),
    name=NAMES,
)
@settings(max_examples=300)
def test_what_is_built_parses_back_to_the_same_sos(key, where, born, name):
    lat, lon = where if where else (None, None)
    payload = smscodec.parse(smscodec.build(key, lat, lon, born, name))
    assert payload is not None
    assert payload.reference == key
    assert payload.date_of_birth == born
    assert payload.full_name == " ".join(name.split())
    if where:
        assert abs(payload.lat - lat) <= 0.00005 + 1e-9
        assert abs(payload.lon - lon) <= 0.00005 + 1e-9
    else:
        assert payload.lat is None


@given(st.text(max_size=400))
@settings(max_examples=1000)
def test_random_text_never_crashes_the_parser(text):
    result = smscodec.parse(text)
    if result is not None:
        assert text.strip().startswith("H1 ")
        assert smscodec.REFERENCE_RE.match(result.reference)


@given(st.binary(max_size=200))
def test_random_bytes_decoded_anyhow_never_crash_it(raw):
    smscodec.parse(raw.decode("utf-8", errors="replace"))
    smscodec.parse(raw.decode("latin-1"))


HOSTILE = [
    "H1",
    "H1 short 55,37 19950412 Имя",
    "H1 k7Pq2Xz9Lm3W 95.0,37.0 19950412 Имя",  # latitude out of range
    "H1 k7Pq2Xz9Lm3W 55.7,181.0 19950412 Имя",
    "H1 k7Pq2Xz9Lm3W 55.7,37.6 19951340 Имя",  # no such date
    "H1 k7Pq2Xz9Lm3W 55.7,37.6 29990101 Имя",  # born in the future
    "H1 k7Pq2Xz9Lm3W 55.7,37.6 18000101 Имя",
    "H1 k7Pq2Xz9Lm3W 55.7;37.6 19950412 Имя",
    "H1 k7Pq2Xz9Lm3W nan,nan 19950412 Имя",
    "H1 k7Pq2Xz9Lm3W 1e5,1e5 19950412 Имя",
    "H1 k7Pq2Xz9Lm3W 55.7,37.6 19950412 <script>alert(1)</script>",
    "H1 k7Pq2Xz9Lm3W 55.7,37.6 19950412 Robert'); DROP TABLE cases;--",
    "H1 k7Pq2Xz9Lm3W' 55.7,37.6 19950412 Имя",
    "H2 k7Pq2Xz9Lm3W 55.7,37.6 19950412 Имя",
    "h1 k7Pq2Xz9Lm3W 55.7,37.6 19950412 Имя",
    "Меня задержали у метро Пушкинская, ОВД Тверской",
    "H1 k7Pq2Xz9Lm3W 55.7,37.6 ١٩٩٥٠٤١٢ Имя",  # digits from another script
]


def test_hostile_payloads_are_refused_not_misread():
    for text in HOSTILE:
        assert smscodec.parse(text) is None, text


def test_unknown_location_and_date_of_birth_are_dashes():
    payload = smscodec.parse("H1 k7Pq2Xz9Lm3W - - ")
    assert payload == smscodec.Payload("k7Pq2Xz9Lm3W", None, None, None, "")
