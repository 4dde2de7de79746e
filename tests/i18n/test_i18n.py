"""Every language has every text, with the same fields to fill."""

import string

import pytest

from planner.i18n import LANGUAGES, en, ru, t


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("texts", [ru.TEXT], ids=["ru"])
def test_same_keys_and_fields_as_english(texts: dict[str, str]) -> None:
    assert set(texts) == set(en.TEXT), set(texts) ^ set(en.TEXT)
    for key, template in en.TEXT.items():
        assert _fields(texts[key]) == _fields(template), key


def test_languages_and_fallback() -> None:
    assert set(LANGUAGES) == {"en", "ru"}
    assert t("app.title", "ru") != t("app.title", "en")
    assert t("app.title", "xx") == t("app.title")
    with pytest.raises(KeyError):
        t("no.such.key")
