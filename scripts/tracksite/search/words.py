"""The search's words: how a page's text and a learner's query become the same words and stems.

The browser reads a query exactly as this module reads a page (`search-engine.js`'s `words` is its twin,
and the JavaScript tests check the two agree on the same words): lower case, accents folded
("Atención" = "atencion"), a hyphenated word also whole ("multi-head" gives "multi", "head" and
"multihead"), British -ise spellings read as -ize in English, and Chinese, Japanese and Korean
text cut into characters (it has no spaces between words). Each word's stem is Snowball's for
the page's language (the stemmer most site searches use), with its accents folded too, except
where Snowball makes one stem of English words a learner tells apart: an agent noun in -er or -or
("encoder", "optimizer", "operator") and a noun in -ation ("tokenization", "transformation") keep
a stem of their own, the word in the singular, apart from the verb's ("encoding", "tokenize"
stem to "encod", "token"). Snowball's stem is still the word's `root`: a query matches the
words of its own stem fully and the others of its root at half weight (search-engine.js).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from itertools import compress, repeat
from operator import contains

#: A word: letters and digits. A CJK character is a word of its own (`_CJK` cuts them apart).
WORD = re.compile(r"[^\W_]+")
#: A word with the words hyphenated to it ("multi-head"): one pass over the text finds both the
#: words (these split at "-") and the hyphenated ones. (A pattern for the hyphenated words alone
#: tried every letter of the text, and was a tenth of a page's reading.)
_RUN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
#: ASCII text's characters that are not a word's, as spaces: in ASCII, `_RUN`'s runs are then the
#: text's pieces between spaces, where no piece starts or ends with "-" nor holds "--".
_ASCII_GAPS = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "-")})
_HAS_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_CJK = re.compile(f"({_HAS_CJK.pattern})")
#: British -ise spellings as -ize, in English only ("normalise" = "normalize")
#: (The "is" first, so the pattern is looked for by its letters rather than at every place.)
_ISE_TEXT = re.compile(r"is(?<=[a-z]{3}is)(e|es|ed|ing|er|ers|ation|ations)\b")

#: The languages Snowball stems, by their two-letter code (the `lang` a page carries).
SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "nl": "dutch", "no": "norwegian", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip


def language(lang: str | None) -> str:
    """The two-letter code of a `lang` attribute ("pt-BR" -> "pt"); English when there is none."""
    return (lang or "en").split("-")[0].split("_")[0].lower() or "en"


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case with accents taken off: a learner types "atencion" for "atención"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")  # as \p{Mn} in JavaScript
    return unicodedata.normalize("NFC", kept)


def words(text: str, lang: str = "en") -> list[str]:
    """The words of `text` in lower case, accents kept for the stemmer (`fold` takes them off
    after it), see the module's docstring. Each rule runs once over the text, not per word: this
    is on the build's path for every page."""
    lowered = text.lower()
    if _HAS_CJK.search(lowered):
        lowered = _CJK.sub(r" \1 ", lowered)
    if lang == "en" and "is" in lowered:
        lowered = _ISE_TEXT.sub(r"iz\1", lowered)
    runs = _runs(lowered)
    if "-" not in lowered:
        return runs
    hyphenated = list(compress(runs, map(contains, runs, repeat("-"))))  # (a loop in C, not Python)
    if not hyphenated:
        return runs
    found = "-".join(runs).split("-")  # each word, in order, as WORD finds them
    found.extend(run.replace("-", "") for run in hyphenated)
    return found


def _runs(lowered: str) -> list[str]:
    """`_RUN`'s runs of `lowered`: for ASCII text (most of it) its punctuation made spaces and the
    text split, twice as fast, unless a hyphenated piece reads otherwise than `_RUN` reads it."""
    if lowered.isascii():
        runs = lowered.translate(_ASCII_GAPS).split()
        hyphenated = compress(runs, map(contains, runs, repeat("-"))) if "-" in lowered else ()
        if not any(run[0] == "-" or run[-1] == "-" or "--" in run for run in hyphenated):
            return runs
    return _RUN.findall(lowered)


#: English words whose stem is the word itself (singular) where Snowball takes the ending off:
#: "encoder(s)" is not "encoding", "tokenization" is not "tokens".
_KEPT_APART = re.compile(r"([a-z]{3,}(er|or|ation))s?")


@functools.cache
def root(word: str, lang: str = "en") -> str:
    """The word's Snowball stem in the language (the word itself where Snowball has no
    stemmer), accents folded after stemming (Snowball's rules know the accented suffixes),
    remembered: the words a query matches at half weight when they are not its own stem's."""
    name = SNOWBALL.get(lang)
    if name is None:
        return fold(word)
    return fold(_stemmer(name).stemWord(word))  # type: ignore[attr-defined]


@functools.cache
def _stemmer(name: str) -> object:
    """Imported at the first word stemmed: Snowball's package loads all its 30 languages'
    stemmers (17 to 24 ms of processor time), which `tracksite check` and every other command
    that indexes no page never use."""
    import snowballstemmer

    return snowballstemmer.stemmer(name)


@functools.cache
def _forms(word: str, lang: str) -> tuple[str, str, str]:
    """A word's stem, root and folded form in a language: a page's words looked up once each."""
    return (stem(word, lang), root(word, lang), fold(word))


def forms(found: Iterable[str], lang: str = "en") -> dict[str, tuple[str, str, str]]:
    """Each of the words with its `stem`, `root` and `fold`, remembered together: the index
    needs all three for every word of every page, and one look-up a word is a third of three."""
    return {word: _forms(word, lang) for word in found}


@functools.cache
def stem(word: str, lang: str = "en") -> str:
    """The word's stem: its `root`, except for an English agent noun or -ation noun whose ending
    Snowball takes off, which is its own stem (the module's docstring), remembered."""
    found = root(word, lang)
    if lang == "en" and word.endswith(("er", "or", "ation", "ers", "ors", "ations")):
        apart = _KEPT_APART.fullmatch(fold(word))
        if apart and not found.endswith(apart.group(2)):
            found = apart.group(1)
    return found
