"""Hangul helpers for instrument search: 초성 (initial consonants), normalisation, jamo.

Traders type ``ㅅㅅㅈㅈ`` for 삼성전자, or a mix such as ``삼ㅅ`` while the IME is still composing.
A lone 초성 jamo in a query stands for any syllable starting with that consonant; a full syllable
stands only for itself. Double consonants are their own initials (ㅆ matches 쌍, never 상).

Everything works on *compatibility* jamo (U+3131…), which is what Korean keyboards produce for a
lone consonant; conjoining jamo (U+1100…) from decomposed (NFD) input are mapped onto them.
"""

from __future__ import annotations

import re
import unicodedata

SYLLABLE_FIRST = 0xAC00  # 가
SYLLABLE_LAST = 0xD7A3   # 힣
_PER_INITIAL = 21 * 28   # syllables sharing one initial consonant, contiguous in Unicode
_PER_VOWEL = 28

#: The 19 initial consonants in Unicode syllable order, as compatibility jamo.
CHOSEONG = ("ㄱ", "ㄲ", "ㄴ", "ㄷ", "ㄸ", "ㄹ", "ㅁ", "ㅂ", "ㅃ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅉ", "ㅊ",
            "ㅋ", "ㅌ", "ㅍ", "ㅎ")
JUNGSEONG = ("ㅏ", "ㅐ", "ㅑ", "ㅒ", "ㅓ", "ㅔ", "ㅕ", "ㅖ", "ㅗ", "ㅘ", "ㅙ", "ㅚ", "ㅛ", "ㅜ", "ㅝ",
             "ㅞ", "ㅟ", "ㅠ", "ㅡ", "ㅢ", "ㅣ")
JONGSEONG = ("", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ",
             "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ")

_CHOSEONG_INDEX = {jamo: i for i, jamo in enumerate(CHOSEONG)}
# Conjoining initials U+1100..U+1112 and vowels U+1161..U+1175 are in the same order as above.
_CONJOINING = {chr(0x1100 + i): jamo for i, jamo in enumerate(CHOSEONG)}
_CONJOINING.update({chr(0x1161 + i): jamo for i, jamo in enumerate(JUNGSEONG)})
_WHITESPACE = re.compile(r"\s+")


def is_syllable(ch: str) -> bool:
    """A precomposed Hangul syllable (가…힣)."""
    return SYLLABLE_FIRST <= ord(ch) <= SYLLABLE_LAST


def is_choseong(ch: str) -> bool:
    """A lone initial consonant as typed on a Korean keyboard (ㄱ…ㅎ, double ones included)."""
    return ch in _CHOSEONG_INDEX


def has_choseong(text: str) -> bool:
    return any(ch in _CHOSEONG_INDEX for ch in text)


def choseong(ch: str) -> str | None:
    """The initial consonant of a syllable (``'삼'`` → ``'ㅅ'``), None for anything else."""
    code = ord(ch)
    if SYLLABLE_FIRST <= code <= SYLLABLE_LAST:
        return CHOSEONG[(code - SYLLABLE_FIRST) // _PER_INITIAL]
    return None


def choseong_string(text: str) -> str:
    """Each syllable replaced by its initial, other characters kept: ``'SK하이닉스'`` → ``'SKㅎㅇㄴㅅ'``."""
    return "".join(choseong(ch) or ch for ch in text)


def decompose(text: str) -> str:
    """Syllables split into their jamo (``'전'`` → ``'ㅈㅓㄴ'``); used to rank near-miss typos."""
    out = []
    for ch in text:
        code = ord(ch)
        if SYLLABLE_FIRST <= code <= SYLLABLE_LAST:
            index = code - SYLLABLE_FIRST
            out.append(CHOSEONG[index // _PER_INITIAL])
            out.append(JUNGSEONG[index % _PER_INITIAL // _PER_VOWEL])
            out.append(JONGSEONG[index % _PER_VOWEL])
        else:
            out.append(ch)
    return "".join(out)


def normalize(text: str) -> str:
    """The form names and queries are compared in: NFC, compatibility jamo, no whitespace,
    casefolded.

    NFC recomposes syllables typed on systems that send NFD (macOS); lone conjoining jamo left
    over become the compatibility jamo a keyboard would have sent.
    """
    text = unicodedata.normalize("NFC", text)
    if any("\u1100" <= ch <= "\u11ff" for ch in text):
        text = "".join(_CONJOINING.get(ch, ch) for ch in text)
    return _WHITESPACE.sub("", text).casefold()


def _syllables_with_initial(jamo: str) -> str:
    first = SYLLABLE_FIRST + _CHOSEONG_INDEX[jamo] * _PER_INITIAL
    return f"{chr(first)}-{chr(first + _PER_INITIAL - 1)}"


def choseong_pattern(query: str) -> re.Pattern[str]:
    """A regex for a normalised query where each lone 초성 matches any syllable with that initial.

    ``'삼ㅅ'`` becomes ``삼[ㅅ사-싷]``: the syllable literally, the jamo as itself or any syllable
    from 사 to 싷. Use ``.match`` for a prefix, ``.fullmatch`` for the whole name, ``.search``
    for anywhere in it.
    """
    parts = []
    for ch in query:
        if ch in _CHOSEONG_INDEX:
            parts.append(f"[{ch}{_syllables_with_initial(ch)}]")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts))


def matches_choseong(query: str, text: str, *, prefix: bool = True) -> bool:
    """Whether ``text`` matches ``query`` under 초성 rules, at its start (or anywhere, with
    ``prefix=False``).

    Both are normalised first. For many names, build :func:`choseong_pattern` once instead.
    """
    pattern = choseong_pattern(normalize(query))
    target = normalize(text)
    return bool(pattern.match(target) if prefix else pattern.search(target))
