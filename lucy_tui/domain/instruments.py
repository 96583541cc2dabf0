"""The instrument universe: the list that ships with Lucy, lookup by code or ISIN, and name search.

The shipped list (``lucy_tui/data/instruments.csv``) holds real KRX listings — large and popular
KOSPI/KOSDAQ names, preferred shares, the sample symbols of specs/krx.md §8 and popular ETFs —
so the console and the simulator work offline. Its ``base_price`` is a realistic reference level
(the 2026-09 master record for 005930, 247540, 000040, …; the LS examples for 000020 and 005385),
not a live quote. A parsed KIS master file (:mod:`.master`) can replace or extend it.

Search ranks matches in tiers, best first:

0. exact code (``A``/``Q`` prefixes stripped) or exact ISIN
1. exact name, Korean or English
2. code prefix (``0059``)
3. name prefix, Korean or English (``삼성``, ``samsung``)
4. the whole name in 초성, mixed queries included (``ㅅㅅㅈㅈ``, ``삼ㅅㅈㅈ``)
5. 초성 prefix (``ㅅㅅ``)
6. substring of the Korean or English name, or of the code (3+ characters)
7. 초성 substring

Whitespace is ignored and Latin letters compare case-insensitively. Within a tier the universe's
own order decides: the shipped CSV is listed roughly by market capitalisation, and
:meth:`Universe.from_master` orders by the master file's previous-day market cap, so the larger
company comes first. Every key is computed once, when the universe is built.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from . import hangul
from .krx import is_valid_tick
from .model import Instrument, InstrumentKind, Market

if TYPE_CHECKING:
    from .master import MasterRecord

# -- ISIN ----------------------------------------------------------------------------------------


def isin_check_digit(body: str) -> str:
    """The check digit of an 11-character ISIN body (ISO 6166: letters → 10..35, then Luhn)."""
    body = body.upper()
    if len(body) != 11 or not body.isalnum() or not body.isascii():
        raise ValueError(f"an ISIN body is 11 letters or digits, got {body!r}")
    digits = "".join(str(int(ch, 36)) for ch in body)
    total = 0
    # The rightmost digit of the body sits next to the check digit, so it is the one doubled.
    for position, ch in enumerate(reversed(digits)):
        n = int(ch)
        if position % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str((10 - total % 10) % 10)


def make_isin(code: str) -> str:
    """``KR7`` + short code + ``00`` + check digit, the ISIN of an ordinary listing (§8).

    005930 → KR7005930003, 0004Y0 → KR70004Y0000. Preferred shares usually do *not* follow it:
    their ISIN carries the share class in its 9th character (005935 → KR7005931001, 005385 →
    KR7005381009), so keep the exchange's ISIN for them rather than computing one.
    """
    code = code.upper()
    if len(code) != 6 or not code.isalnum() or not code.isascii():
        raise ValueError(f"a short code is 6 letters or digits, got {code!r}")
    body = f"KR7{code}00"
    return body + isin_check_digit(body)


def is_valid_isin(isin: str) -> bool:
    """Well formed (2 letters, 9 letters or digits, 1 digit) with a correct check digit."""
    if not isinstance(isin, str) or len(isin) != 12 or not isin.isascii():
        return False
    if not (isin[:2].isalpha() and isin[:2].isupper() and isin[2:11].isalnum()
            and isin[11].isdigit()):
        return False
    return isin_check_digit(isin[:11]) == isin[11]


# -- errors --------------------------------------------------------------------------------------


def _label(inst: Instrument) -> str:
    return f"{inst.name}({inst.code})"


class UnknownInstrument(ValueError):
    """Nothing matches; ``suggestions`` holds the closest names, best first."""

    def __init__(self, query: str, suggestions: Iterable[Instrument] = ()):
        self.query = query
        self.suggestions = tuple(suggestions)
        message = f"'{query}' 종목을 찾을 수 없습니다"
        if self.suggestions:
            message += " — 비슷한 종목: " + ", ".join(_label(i) for i in self.suggestions)
        super().__init__(message)


class AmbiguousInstrument(ValueError):
    """Several instruments match equally well; ``candidates`` lists them, best first."""

    SHOWN = 5

    def __init__(self, query: str, candidates: Iterable[Instrument]):
        self.query = query
        self.candidates = tuple(candidates)
        shown = ", ".join(_label(i) for i in self.candidates[:self.SHOWN])
        more = len(self.candidates) - self.SHOWN
        if more > 0:
            shown += f" 외 {more}개"
        super().__init__(f"'{query}'에 맞는 종목이 여러 개입니다: {shown} — 종목코드나 전체 이름으로 "
                         "입력하세요")


class MissingInstrument(KeyError):
    """``universe[code]`` for a code the universe does not hold."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)

    def __str__(self) -> str:
        return f"종목코드 '{self.code}'은(는) 종목 목록에 없습니다"


# -- universe ------------------------------------------------------------------------------------

_CODE_PREFIXES = "AQ"


def normalize_code(text: str) -> str:
    """A short code as stored: upper case, ``A005930``/``Q500001`` prefixes dropped."""
    code = text.strip().upper()
    if len(code) == 7 and code[0] in _CODE_PREFIXES and code[1:].isalnum():
        return code[1:]
    return code


@dataclass(frozen=True, slots=True)
class _Entry:
    inst: Instrument
    order: int
    code: str
    name_key: str
    en_key: str
    cho_key: str


def _entry(inst: Instrument, order: int) -> _Entry:
    name_key = hangul.normalize(inst.name)
    return _Entry(inst, order, inst.code.upper(), name_key, hangul.normalize(inst.name_en),
                  hangul.choseong_string(name_key))


class Universe:
    """An ordered, immutable set of instruments with lookup and search."""

    def __init__(self, instruments: Iterable[Instrument] = ()):
        entries: list[_Entry] = []
        by_code: dict[str, _Entry] = {}
        for inst in instruments:
            entry = _entry(inst, len(entries))
            if entry.code in by_code:
                raise ValueError(f"duplicate instrument code {inst.code} "
                                 f"({by_code[entry.code].inst.name} and {inst.name})")
            by_code[entry.code] = entry
            entries.append(entry)
        self._entries = tuple(entries)
        self._by_code = by_code
        self._by_isin = {e.inst.isin.upper(): e.inst for e in entries if e.inst.isin}
        self._jamo_keys: tuple[str, ...] | None = None

    # lookup

    def get(self, code: str) -> Instrument | None:
        entry = self._by_code.get(normalize_code(code))
        return entry.inst if entry else None

    def __getitem__(self, code: str) -> Instrument:
        inst = self.get(code)
        if inst is None:
            raise MissingInstrument(code)
        return inst

    def by_isin(self, isin: str) -> Instrument | None:
        return self._by_isin.get(isin.strip().upper())

    def __contains__(self, item: object) -> bool:
        if isinstance(item, Instrument):
            return self.get(item.code) == item
        return isinstance(item, str) and self.get(item) is not None

    def __iter__(self) -> Iterator[Instrument]:
        return (e.inst for e in self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<Universe of {len(self)} instruments>"

    # search

    def _ranked(self, query: str) -> list[tuple[int, int, Instrument]]:
        q = hangul.normalize(query)
        if not q:
            return []
        code_q = normalize_code(q)
        isin = self._by_isin.get(q.upper()) if len(q) == 12 else None
        code_like = code_q.isascii() and code_q.isalnum() and len(code_q) <= 6
        with_jamo = hangul.has_choseong(q)
        pattern = hangul.choseong_pattern(q) if with_jamo else None
        only_jamo = with_jamo and all(hangul.is_choseong(ch) for ch in q)
        out = []
        for e in self._entries:
            if e.code == code_q or e.inst is isin:
                tier = 0
            elif e.name_key == q or e.en_key == q:
                tier = 1
            elif code_like and e.code.startswith(code_q):
                tier = 2
            elif e.name_key.startswith(q) or e.en_key.startswith(q):
                tier = 3
            elif pattern is not None:
                if only_jamo:  # the plain string test is much cheaper than the regex
                    if e.cho_key == q:
                        tier = 4
                    elif e.cho_key.startswith(q):
                        tier = 5
                    elif q in e.cho_key:
                        tier = 7
                    else:
                        continue
                elif pattern.fullmatch(e.name_key):
                    tier = 4
                elif pattern.match(e.name_key):
                    tier = 5
                elif pattern.search(e.name_key):
                    tier = 7
                else:
                    continue
            elif q in e.name_key or (e.en_key and q in e.en_key) or (
                    code_like and len(code_q) >= 3 and code_q in e.code):
                tier = 6
            else:
                continue
            out.append((tier, e.order, e.inst))
        out.sort(key=lambda r: (r[0], r[1]))
        return out

    def search(self, query: str, limit: int = 20) -> list[Instrument]:
        """Instruments matching ``query``, best first (see the module docstring for the order)."""
        if limit <= 0:
            return []
        return [inst for _, _, inst in self._ranked(query)[:limit]]

    def resolve(self, text: str) -> Instrument:
        """The one instrument ``text`` names.

        Raises :class:`UnknownInstrument` (with similar names) when nothing matches and
        :class:`AmbiguousInstrument` when several match in the best tier.
        """
        ranked = self._ranked(text)
        if not ranked:
            raise UnknownInstrument(text.strip(), self.similar(text))
        best = [inst for tier, _, inst in ranked if tier == ranked[0][0]]
        if len(best) == 1:
            return best[0]
        raise AmbiguousInstrument(text.strip(), best)

    def similar(self, text: str, n: int = 5, cutoff: float = 0.6) -> list[Instrument]:
        """Names close to ``text`` though not matching it: typos such as 삼성젼자 → 삼성전자.

        Compares jamo by jamo, so one wrong vowel costs one jamo rather than a whole syllable.
        """
        q = hangul.decompose(hangul.normalize(text))
        if not q:
            return []
        if self._jamo_keys is None:
            self._jamo_keys = tuple(hangul.decompose(e.name_key) for e in self._entries)
        matcher = SequenceMatcher(autojunk=False)
        matcher.set_seq2(q)
        scored = []
        for entry, jamo in zip(self._entries, self._jamo_keys):
            best = 0.0
            for key in (jamo, entry.en_key[:len(q) + 2]):
                if not key:
                    continue
                matcher.set_seq1(key)
                if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
                    best = max(best, matcher.ratio())
            if best >= cutoff:
                scored.append((-best, entry.order, entry.inst))
        scored.sort(key=lambda r: (r[0], r[1]))
        return [inst for _, _, inst in scored[:n]]

    # building

    def merge(self, other: Iterable[Instrument], *, keep_nxt: bool = True) -> Universe:
        """This universe updated by ``other``: same codes replaced, new codes appended.

        A master file knows neither English names nor NXT eligibility (§7.1), so an empty
        ``name_en`` in ``other`` keeps ours, and with ``keep_nxt`` the NXT flag stays ours too.
        """
        updates: dict[str, Instrument] = {}
        for inst in other:
            updates[inst.code.upper()] = inst
        merged = []
        for entry in self._entries:
            new = updates.pop(entry.code, None)
            if new is None:
                merged.append(entry.inst)
                continue
            old = entry.inst
            merged.append(replace(new, name_en=new.name_en or old.name_en,
                                  nxt=old.nxt if keep_nxt else new.nxt))
        merged.extend(updates.values())
        return Universe(merged)

    @classmethod
    def from_master(cls, records: Iterable[MasterRecord], market: Market | None = None) -> Universe:
        """A universe from parsed :class:`~.master.MasterRecord` s, largest market cap first.

        Records Lucy cannot trade (subscription warrants and rights, funds with codes that are
        not 6 characters) are left out.
        """
        usable = [r for r in records if r.kind is not None and len(r.short_code) == 6]
        usable.sort(key=lambda r: -(r.market_cap_eok or 0))  # stable: file order within ties
        return cls(r.to_instrument(market) for r in usable)


# -- the shipped list ----------------------------------------------------------------------------

CSV_COLUMNS = ("code", "isin", "name", "name_en", "market", "kind", "nxt", "base_price", "lot",
               "spac", "managed", "listed_on")


def _yes_no(value: str, column: str, line: int) -> bool:
    if value not in ("Y", "N"):
        raise ValueError(f"instruments.csv line {line}: {column} must be Y or N, got {value!r}")
    return value == "Y"


def parse_csv(text: str) -> list[Instrument]:
    """Instruments from CSV text in the shipped file's format (header row, columns as
    :data:`CSV_COLUMNS`); errors name the line."""
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != CSV_COLUMNS:
        raise ValueError(f"instruments.csv: expected columns {','.join(CSV_COLUMNS)}, "
                         f"got {','.join(reader.fieldnames or ())}")
    out = []
    for row in reader:
        line = reader.line_num
        try:
            out.append(Instrument(
                code=row["code"], isin=row["isin"], name=row["name"], name_en=row["name_en"],
                market=Market(row["market"]), kind=InstrumentKind(row["kind"]),
                nxt=_yes_no(row["nxt"], "nxt", line), base_price=int(row["base_price"]),
                lot=int(row["lot"]), spac=_yes_no(row["spac"], "spac", line),
                managed=_yes_no(row["managed"], "managed", line),
                listed_on=date.fromisoformat(row["listed_on"]) if row["listed_on"] else None,
            ))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"instruments.csv line {line}: {exc}") from None
    return out


def shipped_csv_text() -> str:
    return resources.files("lucy_tui.data").joinpath("instruments.csv").read_text("utf-8")


@cache
def load_default() -> Universe:
    """The universe shipped with the package (read once, then cached)."""
    return Universe(parse_csv(shipped_csv_text()))


def check_instrument(inst: Instrument) -> list[str]:
    """What is wrong with an instrument's static data: code shape, ISIN check digit, tick."""
    problems = []
    if len(inst.code) != 6 or not inst.code.isalnum() or inst.code != inst.code.upper():
        problems.append(f"{inst.code}: a code is 6 upper-case letters or digits")
    if not is_valid_isin(inst.isin):
        problems.append(f"{inst.code}: ISIN {inst.isin} is malformed or fails its check digit")
    if inst.base_price and not is_valid_tick(inst.base_price, inst.kind, inst.market):
        problems.append(f"{inst.code}: base price {inst.base_price} is not a valid tick")
    if inst.lot < 1:
        problems.append(f"{inst.code}: lot {inst.lot} is below 1")
    return problems
