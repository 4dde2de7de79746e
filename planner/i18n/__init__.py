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
