"""Labels, messages and chart titles in each language the app speaks (English default).

Each language keeps all its texts in one module (`en.py`, `ru.py`), one flat dict keyed by a
dotted name. Scenario content (names, titles) is never translated: it is shown as written.
"""

from __future__ import annotations

from planner.i18n import en, ru

LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский"}
DEFAULT = "en"
_TEXTS: dict[str, dict[str, str]] = {"en": en.TEXT, "ru": ru.TEXT}


def t(key: str, lang: str = DEFAULT, /, **values: object) -> str:
    """The text for `key` in `lang`, formatted with `values`; English if the language lacks it."""
    texts = _TEXTS.get(lang, en.TEXT)
    template = texts.get(key) or en.TEXT.get(key)
    if template is None:
        raise KeyError(f"no text {key!r} in planner/i18n/en.py")
    return template.format(**values) if values else template


def number(x: float, lang: str = DEFAULT, /, decimals: int = 0) -> str:
    """A number in the language's one format: `708,419.5` in English, `708 419,5` in Russian (no-break space)."""
    text = f"{x:,.{decimals}f}"
    thousands, mark = ("\u00a0", ",") if lang == "ru" else (",", ".")
    return text.replace(",", "\0").replace(".", mark).replace("\0", thousands)


def percent(share: float, lang: str = DEFAULT, /, decimals: int = 0) -> str:
    """A share (0.004 is 0.4 %) in the language's format: `0.40%` in English, `0,40 %` in Russian."""
    text = number(share * 100, lang, decimals=decimals)
    return f"{text}\u00a0%" if lang == "ru" else f"{text}%"
