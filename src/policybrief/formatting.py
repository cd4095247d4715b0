"""Numbers and quantities written the Arabic press way: Western digits, decimal point, scale words.

One house style for tables, charts and the brief; the words live in ``data/presentation.yml``.
"""
from __future__ import annotations

import math

from . import rules


def _presentation() -> dict:
    return rules.load("presentation")


def format_number(value: float, max_decimals: int = 2) -> str:
    """Digits of ``value`` with a decimal point, at most ``max_decimals`` decimals, no trailing zeros.

    >>> format_number(10.8), format_number(2000.0), format_number(1.25), format_number(0.333333)
    ('10.8', '2000', '1.25', '0.33')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{float(value):.{max_decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def scaled(value: float) -> tuple[float, str]:
    """``value`` divided by the largest scale word it reaches, and that word (singular or plural).

    >>> scaled(10_800_000_000)
    (10.8, 'مليار')
    >>> scaled(3_000_000)
    (3.0, 'ملايين')
    >>> scaled(500)
    (500.0, '')
    >>> scaled(30_000), scaled(1_500), scaled(12_345)
    ((30.0, 'ألف'), (1500.0, ''), (12345.0, ''))
    """
    magnitude = abs(float(value))
    for scale in _presentation()["scales"]:
        if magnitude < scale.get("from", scale["value"]):
            continue
        if scale.get("whole_only") and float(value) % scale["value"]:
            continue  # "12345 متدرب" stays exact: "12.345 ألف" is no press style
        if magnitude >= scale["value"]:
            number = float(value) / scale["value"]
            whole = number == int(number)
            word = scale["few"] if whole and 3 <= abs(number) <= 10 else scale["one"]
            return round(number, 6), word
    return float(value), ""


def _upgrade_unit(value: float, unit: str) -> tuple[float, str]:
    upgrade = _presentation()["unit_upgrades"].get(unit)
    if upgrade and abs(value) >= upgrade["factor"]:
        return _upgrade_unit(value / upgrade["factor"], upgrade["unit"])
    return value, unit


def unit_word(unit: str) -> str:
    """How a unit code is written after a number ('' for plain counts; the code itself when unknown).

    >>> unit_word("MAD"), unit_word("percent"), unit_word("XYZ")
    ('درهم', 'في المائة', 'XYZ')
    """
    return _presentation()["units"].get(unit, unit)


def is_money(unit: str) -> bool:
    """True for a currency code.

    >>> is_money("USD"), is_money("percent")
    (True, False)
    """
    return unit in _presentation()["money_units"] or (len(unit) == 3 and unit.isupper() and unit.isalpha())


def format_value_ar(value: float, unit: str, what: str = "", qualifier: str = "") -> str:
    """A quantity as the Arabic press writes it, e.g. ``10.8 مليار دولار``.

    ``what`` is written after plain counts (``500 فرصة شغل``); ``qualifier`` (approx, more_than...) before.

    >>> format_value_ar(10_800_000_000, "USD")
    '10.8 مليار دولار'
    >>> format_value_ar(1_200_000_000, "MAD")
    '1.2 مليار درهم'
    >>> format_value_ar(500, "count", "فرصة شغل", qualifier="more_than")
    'أكثر من 500 فرصة شغل'
    >>> format_value_ar(40, "percent"), format_value_ar(2000, "MW"), format_value_ar(8, "rank")
    ('40 في المائة', '2 جيغاواط', 'المرتبة 8')
    >>> format_value_ar(20, "rank", "دولة", qualifier="top_n")
    'ضمن أفضل 20 دولة'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    presentation = _presentation()
    words: list[str] = []
    if qualifier:
        words.append(presentation["qualifiers"].get(qualifier, ""))
    prefix = presentation["prefix_units"].get(unit)
    if qualifier == "top_n":  # a threshold ("among the top 20"), never a rank ("20th")
        words += [format_number(value), what.strip()]
    elif prefix:
        words += [prefix, format_number(value)]
    else:
        value, unit = _upgrade_unit(float(value), unit)
        number, scale_word = scaled(value)
        words += [format_number(number), scale_word, unit_word(unit)]
        if unit == "count":
            words.append(what.strip())
    return " ".join(w for w in words if w)


def outlet_names(outlets, unknown: str) -> list[str]:
    """Known outlets in order of first appearance, plus ``unknown`` once when an article names none.

    Saying "from X" of a corpus where only some articles come from X would misattribute the rest.

    >>> outlet_names(["hespress.com", "", "hespress.com"], "منبر غير محدد")
    ['hespress.com', 'منبر غير محدد']
    """
    values = [o.strip() if isinstance(o, str) else "" for o in outlets]
    known = [o for o in dict.fromkeys(values) if o]
    return known + [unknown] if "" in values else known


def date_ar(iso: object) -> str:
    """An ISO date (day, month or year) as an Arabic reader writes it, with the Moroccan month name.

    >>> date_ar("2025-07-22"), date_ar("2025-09"), date_ar("2030"), date_ar("")
    ('22 يوليوز 2025', 'شتنبر 2025', '2030', '')
    """
    parts = str(iso or "").strip().split("-")
    if not parts[0]:
        return ""
    months = rules.load("months")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {months[int(parts[1])][0]} {parts[0]}"
        if len(parts) == 2:
            return f"{months[int(parts[1])][0]} {parts[0]}"
    except (KeyError, ValueError, IndexError):
        return str(iso)
    return parts[0]
