"""Words of a proposal as comparable terms, in Russian and English alike.

A text becomes a list of terms: each word is lower-cased, stemmed by its language's Snowball stemmer
(`композитного` → `композитн`, `heterostructures` → `heterostructur`), and then either named by the
bilingual glossary's concept (`испытан` and `test` → `~test`), or kept as its stem. A Cyrillic word the
glossary does not know also gets a cognate key from its transliteration (`контроллер` and
`controller` → `#kntrl`), which matches many technical loanwords (композит, модуль, имплантат,
гетероструктура) with no dictionary. Nothing here translates: words that are neither in the glossary
nor cognates do not meet across languages (see benchmarks/results/duplicates.md).
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from planner.review.glossary import concept_of

_WORD = re.compile(r"[0-9a-zа-я]+")
_CYRILLIC = re.compile(r"[а-я]")

_STOP = (
    # Russian: prepositions, conjunctions, pronouns and the words every proposal uses
    "и в во на для по с со к о об от до из за при под над без или а но не что как это его её их его "
    "также этот эта эти тот та те который которая которые все весь вся "
    "разработка разработки разработке создание создания работы работ работа проект проекта "
    "предложение предложения основе базе целях рамках "
    # English
    "a an the of for and or to in on at by with from into as is are be its their this that these "
    "development develop developing work project proposal based using use"
)
STOPWORDS = frozenset(_STOP.split())
"""Words that say nothing about which work it is (the proposal tag `(предложение ТПУ)` included)."""

_LATIN = "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch - y - e iu ia"
_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", _LATIN.split(), strict=True))


@lru_cache(maxsize=200_000)
def term(word: str) -> str:
    """The term a lower-case word stands for: its glossary concept (`~name`), else its stem."""
    stem = _stem(word)
    return concept_of(word, stem, russian=bool(_CYRILLIC.search(word))) or stem


@lru_cache(maxsize=200_000)
def cognate(word: str) -> str | None:
    """A spelling-independent key of a word of five letters or more (`#kntrl` for контроллер and controller).

    Consonants of the Latin spelling (Cyrillic transliterated), with c/k/q, s/z, f/ph and doubled letters
    made one, cut to five: loanwords spelt alike in both languages share it, other words rarely do.
    """
    if len(word) < 5 or word.isdigit():
        return None
    latin = "".join(_TRANSLIT.get(ch, ch) for ch in word).replace("-", "")
    for a, b in (("ph", "f"), ("th", "t"), ("kh", "k"), ("ch", "k"), ("ck", "k"), ("sh", "s"), ("ts", "s")):
        latin = latin.replace(a, b)
    latin = re.sub(r"c(?=[eiy])", "s", latin)
    latin = latin.translate(str.maketrans("cqzxwj", "kksksi"))
    consonants = re.sub(r"[aeiouy]", "", latin[1:])
    skeleton = re.sub(r"(.)\1+", r"\1", latin[0] if latin[0] not in "aeiouy" else "") + re.sub(
        r"(.)\1+", r"\1", consonants
    )
    return "#" + skeleton[:5] if len(skeleton) >= 4 else None


def words(text: str) -> list[str]:
    """The words of a text that may tell work apart: lower case, ё as е, no stop words."""
    lowered = text.lower().replace("ё", "е")
    return [w for w in _WORD.findall(lowered) if w not in STOPWORDS and (len(w) > 1 or w.isdigit() or w == "x")]


def terms(text: str) -> list[str]:
    """The terms of a text, in order (a word may give its term and its cognate key)."""
    out: list[str] = []
    for w in words(text):
        t = term(w)
        out.append(t)
        key = None if t.startswith("~") else cognate(w)
        if key:
            out.append(key)
    return out


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    stemmer = _RU if _CYRILLIC.search(word) else _EN
    return str(stemmer.stemWord(word))


_RU = snowballstemmer.stemmer("russian")
_EN = snowballstemmer.stemmer("english")
