"""KIS symbol master files (kospi_code.mst, kosdaq_code.mst, konex_code.mst), parsed by byte offset.

Source: ../shared/specs/krx.md §7.1. Each record is fixed-width in *bytes*: a 61-byte head (short
code 9, ISIN 12, Korean name 40 in cp949) and an ASCII tail of 227 bytes (KOSPI), 221 (KOSDAQ) or
184 (KONEX). The official samples decode the line first and count characters from the end; that
works only while the newline is kept, and code that strips it first reads every tail field one
column off. Slicing the raw bytes avoids both the decode and that pitfall.

Numbers are zero-padded and may carry a minus sign inside the field (``-00000002``); ROE has a
decimal point; blanks mean "not given" and become None. Listed shares are in thousands and market
cap in 100-million-won (억원) units, as in the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Literal

from .model import Instrument, InstrumentKind, Market

HEAD = (("mksc_shrn_iscd", 9), ("stnd_iscd", 12), ("hts_kor_isnm", 40))
HEAD_BYTES = 61

_FLAGS_KOSPI = (
    ("scrt_grp_cls_code", 2), ("avls_scal_cls_code", 1), ("bstp_larg_div_code", 4),
    ("bstp_medm_div_code", 4), ("bstp_smal_div_code", 4), ("mnin_cls_code_yn", 1),
    ("low_current_yn", 1), ("sprn_strr_nmix_issu_yn", 1), ("kospi200_apnt_cls_code", 1),
    ("kospi100_issu_yn", 1), ("kospi50_issu_yn", 1), ("krx_issu_yn", 1), ("etp_prod_cls_code", 1),
    ("elw_pblc_yn", 1), ("krx100_issu_yn", 1), ("krx_car_yn", 1), ("krx_smcn_yn", 1),
    ("krx_bio_yn", 1), ("krx_bank_yn", 1), ("etpr_undt_objt_co_yn", 1), ("krx_enrg_chms_yn", 1),
    ("krx_stel_yn", 1), ("short_over_cls_code", 1), ("krx_medi_cmnc_yn", 1), ("krx_cnst_yn", 1),
    ("krx_fnnc_svc_yn", 1), ("krx_scrt_yn", 1), ("krx_ship_yn", 1), ("krx_insu_yn", 1),
    ("krx_trnp_yn", 1), ("sri_nmix_yn", 1),
)
_FLAGS_KOSDAQ = (
    ("scrt_grp_cls_code", 2), ("avls_scal_cls_code", 1), ("bstp_larg_div_code", 4),
    ("bstp_medm_div_code", 4), ("bstp_smal_div_code", 4), ("vntr_issu_yn", 1),
    ("low_current_yn", 1), ("krx_issu_yn", 1), ("etp_prod_cls_code", 1), ("krx100_issu_yn", 1),
    ("krx_car_yn", 1), ("krx_smcn_yn", 1), ("krx_bio_yn", 1), ("krx_bank_yn", 1),
    ("etpr_undt_objt_co_yn", 1), ("krx_enrg_chms_yn", 1), ("krx_stel_yn", 1),
    ("short_over_cls_code", 1), ("krx_medi_cmnc_yn", 1), ("krx_cnst_yn", 1), ("invt_alrm_yn", 1),
    ("krx_scrt_yn", 1), ("krx_ship_yn", 1), ("krx_insu_yn", 1), ("krx_trnp_yn", 1),
    ("ksq150_nmix_yn", 1),
)
# From the base price on, the three files share their fields; KOSPI alone adds the KOSPI-index
# flag after KRX300, and KONEX lacks the group-company code (specs/krx.md §7.1).
_TRADING = (
    ("stck_sdpr", 9), ("frml_mrkt_deal_qty_unit", 5), ("ovtm_mrkt_deal_qty_unit", 5),
    ("trht_yn", 1), ("sltr_yn", 1), ("mang_issu_yn", 1), ("mrkt_alrm_cls_code", 2),
    ("mrkt_alrm_risk_adnt_yn", 1), ("insn_pbnt_yn", 1), ("byps_lstn_yn", 1), ("flng_cls_code", 2),
    ("fcam_mod_cls_code", 2), ("icic_cls_code", 2), ("marg_rate", 3), ("crdt_able", 1),
    ("crdt_days", 3), ("prdy_vol", 12), ("stck_fcam", 12), ("stck_lstn_date", 8),
    ("lstn_stcn", 15), ("cpfn", 21), ("stac_month", 2), ("po_prc", 7), ("prst_cls_code", 1),
    ("ssts_hot_yn", 1), ("stange_runup_yn", 1), ("krx300_issu_yn", 1),
)
_FINANCIALS = (
    ("sale_account", 9), ("bsop_prfi", 9), ("op_prfi", 9), ("thtr_ntin", 5), ("roe", 9),
    ("base_date", 8), ("prdy_avls_scal", 9),
)
_CREDIT = (("co_crdt_limt_over_yn", 1), ("secu_lend_able_yn", 1), ("stln_able_yn", 1))

#: Tail layouts, (official field name, width in bytes), in record order.
TAILS: dict[Market, tuple[tuple[str, int], ...]] = {
    Market.KOSPI: _FLAGS_KOSPI + _TRADING + (("kospi_issu_yn", 1),) + _FINANCIALS
    + (("grp_code", 3),) + _CREDIT,
    Market.KOSDAQ: _FLAGS_KOSDAQ + _TRADING + _FINANCIALS + (("grp_code", 3),) + _CREDIT,
    Market.KONEX: (("scrt_grp_cls_code", 2),) + _TRADING + _FINANCIALS + _CREDIT,
}
TAIL_BYTES = {Market.KOSPI: 227, Market.KOSDAQ: 221, Market.KONEX: 184}
RECORD_BYTES = {market: HEAD_BYTES + width for market, width in TAIL_BYTES.items()}


def _offsets(tail: tuple[tuple[str, int], ...]) -> dict[str, tuple[int, int]]:
    out, start = {}, HEAD_BYTES
    for name, width in tail:
        out[name] = (start, start + width)
        start += width
    return out


#: Absolute byte offsets (start, end) of every tail field, per market.
OFFSETS = {market: _offsets(tail) for market, tail in TAILS.items()}
if any(sum(width for _, width in tail) != TAIL_BYTES[m] for m, tail in TAILS.items()):
    raise AssertionError("master tail layout does not add up")  # a typo must not misparse silently

#: Group codes (증권그룹구분코드) and the instrument kind they trade as. DRs, foreign shares,
#: REITs, investment companies and infrastructure funds follow the stock rules; FE is a
#: foreign-listed ETF. SW/SR (subscription warrants and rights) have no daily limit and no
#: Instrument kind, so they are left out.
GROUP_KINDS = {
    "ST": InstrumentKind.STOCK, "KN": InstrumentKind.STOCK, "DR": InstrumentKind.STOCK,
    "FS": InstrumentKind.STOCK, "RT": InstrumentKind.STOCK, "MF": InstrumentKind.STOCK,
    "IF": InstrumentKind.STOCK, "SC": InstrumentKind.STOCK, "BC": InstrumentKind.STOCK,
    "EF": InstrumentKind.ETF, "FE": InstrumentKind.ETF,
    "EN": InstrumentKind.ETN, "EW": InstrumentKind.ELW,
}
#: etp_prod_cls_code values that mean an ETN (3 ETN, 4 loss-limited ETN).
ETN_CLASSES = frozenset({"3", "4"})


class MasterFormatError(ValueError):
    """A record that does not follow the layout; names the line (1-based) and the field."""

    def __init__(self, line: int, field_name: str, problem: str, value: object = None):
        self.line = line
        self.field = field_name
        self.problem = problem
        self.value = value
        shown = "" if value is None else f": {value!r}"
        super().__init__(f"master file line {line}, field {field_name}: {problem}{shown}")


@dataclass(frozen=True, slots=True)
class MasterRecord:
    """One security from a KIS master file, with the fields a console needs, decoded.

    ``fields`` keeps every tail field by its official name, as the raw ASCII text, for anything
    not decoded here. Y/N flags are None where the file leaves them blank (common on KOSDAQ).
    """

    market: Market
    code: str                        # mksc_shrn_iscd, stripped (6 characters for listed shares)
    isin: str                        # stnd_iscd
    name: str                        # hts_kor_isnm
    group_code: str                  # scrt_grp_cls_code: ST, EF, EN, EW, DR, KN, ...
    etp_class: str | None            # etp_prod_cls_code (3/4: ETN); None on KONEX
    base_price: int | None           # stck_sdpr
    lot: int | None                  # frml_mrkt_deal_qty_unit
    off_hours_lot: int | None        # ovtm_mrkt_deal_qty_unit
    halted: bool | None              # trht_yn
    liquidation: bool | None         # sltr_yn (정리매매: no daily limit)
    managed: bool | None             # mang_issu_yn
    warning: str | None              # mrkt_alrm_cls_code: 00 none, 01 주의, 02 경고, 03 위험
    warning_notice: bool | None      # mrkt_alrm_risk_adnt_yn
    spac: bool | None                # etpr_undt_objt_co_yn; None on KONEX
    short_overheat: str | None       # short_over_cls_code: 0 none, 1 예고, 2 지정, 3 연장
    ex_date: str | None              # flng_cls_code (락구분)
    par_change: str | None           # fcam_mod_cls_code
    capital_increase: str | None     # icic_cls_code
    margin_rate: int | None          # marg_rate, percent
    credit_allowed: bool | None      # crdt_able
    prev_volume: int | None          # prdy_vol
    par_value: int | None            # stck_fcam, won
    listed_on: date | None           # stck_lstn_date
    listed_shares_k: int | None      # lstn_stcn, thousands of shares
    capital: int | None              # cpfn, won
    fiscal_month: int | None         # stac_month
    ipo_price: int | None            # po_prc (blank for old listings)
    preferred_class: str | None      # prst_cls_code: 0 common, 1 old-style, 2 new-style preferred
    short_sale_overheated: bool | None  # ssts_hot_yn
    abnormal_surge: bool | None      # stange_runup_yn
    krx300: bool | None              # krx300_issu_yn
    revenue: int | None              # sale_account
    operating_profit: int | None     # bsop_prfi
    ordinary_profit: int | None      # op_prfi
    net_income: int | None           # thtr_ntin (only 5 wide)
    roe: Decimal | None
    financials_as_of: date | None    # base_date
    market_cap_eok: int | None       # prdy_avls_scal, previous day, 억원
    group_company: str | None        # grp_code (blank for most; none on KONEX)
    kospi200_sector: str | None      # kospi200_apnt_cls_code (KOSPI only): 0 not a member
    kospi100: bool | None            # KOSPI only
    kospi50: bool | None             # KOSPI only
    kosdaq150: bool | None           # ksq150_nmix_yn (KOSDAQ only)
    fields: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), compare=False,
                                      hash=False, repr=False)

    @property
    def kind(self) -> InstrumentKind | None:
        """The instrument kind this security trades as, or None when Lucy has no kind for it."""
        if self.etp_class in ETN_CLASSES:
            return InstrumentKind.ETN
        return GROUP_KINDS.get(self.group_code)

    @property
    def short_code(self) -> str:
        """The 6-character code orders use; a 7-character ``Q``/``A``/``J`` code drops its prefix."""
        code = self.code
        if len(code) == 7 and code[0] in "AJQ":
            return code[1:]
        return code

    @property
    def in_kospi200(self) -> bool | None:
        if self.kospi200_sector is None:
            return None if self.market is not Market.KOSPI else False
        return self.kospi200_sector != "0"

    @property
    def listed_shares(self) -> int | None:
        return None if self.listed_shares_k is None else self.listed_shares_k * 1000

    @property
    def market_cap(self) -> int | None:
        """Previous-day market capitalisation in won (the file has 억원)."""
        return None if self.market_cap_eok is None else self.market_cap_eok * 100_000_000

    def to_instrument(self, market: Market | None = None) -> Instrument:
        """The tradable :class:`Instrument`; ``market`` overrides the file's market.

        The master file has no English name and no NXT eligibility (§7.1), so ``name_en`` is
        empty and ``nxt`` False; :meth:`Universe.merge` keeps both from the shipped list.
        """
        kind = self.kind
        if kind is None:
            raise ValueError(f"{self.code} {self.name}: group code {self.group_code!r} "
                             "is not a kind Lucy trades")
        lot = self.lot or (10 if kind is InstrumentKind.ELW else 1)
        return Instrument(
            code=self.short_code, isin=self.isin, name=self.name, name_en="",
            market=market or self.market, kind=kind, nxt=False,
            base_price=self.base_price or 0, lot=lot, spac=bool(self.spac),
            halted=bool(self.halted), liquidation=bool(self.liquidation),
            managed=bool(self.managed), listed_on=self.listed_on, ipo_price=self.ipo_price,
        )


class MasterRecords(list):
    """The parsed records; ``skipped`` holds the errors of records left out (``errors="skip"``)."""

    def __init__(self, records=(), skipped=()):
        super().__init__(records)
        self.skipped: list[MasterFormatError] = list(skipped)


_INT = re.compile(rb"[+-]?[0-9]+")
_DECIMAL = re.compile(rb"[+-]?[0-9]*\.?[0-9]+")
_CODE = re.compile(rb"[0-9A-Z]+")


class _Reader:
    """Field access on one record's bytes; every problem names the line and the field."""

    __slots__ = ("record", "line", "offsets")

    def __init__(self, record: bytes, line: int, offsets: dict[str, tuple[int, int]]):
        self.record = record
        self.line = line
        self.offsets = offsets

    def has(self, name: str) -> bool:
        return name in self.offsets

    def raw(self, name: str) -> bytes:
        start, end = self.offsets[name]
        return self.record[start:end]

    def fail(self, name: str, problem: str, value: bytes) -> MasterFormatError:
        return MasterFormatError(self.line, name, problem, value.decode("latin-1"))

    def text(self, name: str) -> str | None:
        if not self.has(name):
            return None
        value = self.raw(name).strip()
        return value.decode("ascii") if value else None

    def number(self, name: str) -> int | None:
        value = self.raw(name).strip()
        if not value:
            return None
        if not _INT.fullmatch(value):
            raise self.fail(name, "not a number", value)
        return int(value)

    def decimal(self, name: str) -> Decimal | None:
        value = self.raw(name).strip()
        if not value:
            return None
        if not _DECIMAL.fullmatch(value):
            raise self.fail(name, "not a decimal number", value)
        try:
            return Decimal(value.decode("ascii"))
        except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
            raise self.fail(name, "not a decimal number", value) from None

    def flag(self, name: str) -> bool | None:
        if not self.has(name):
            return None
        value = self.raw(name)
        if value == b"Y":
            return True
        if value == b"N":
            return False
        if value == b" ":
            return None
        raise self.fail(name, "expected Y, N or blank", value)

    def day(self, name: str) -> date | None:
        value = self.raw(name).strip()
        if not value or value.strip(b"0") == b"":
            return None
        if len(value) != 8 or not value.isdigit():
            raise self.fail(name, "expected a YYYYMMDD date", value)
        year, month, day = int(value[:4]), int(value[4:6]), int(value[6:])
        try:
            # Financial base dates are sometimes year-month only, with day 00.
            return date(year, month, day or 1)
        except ValueError:
            raise self.fail(name, "expected a YYYYMMDD date", value) from None


def _parse_record(record: bytes, line: int, market: Market) -> MasterRecord:
    expected = RECORD_BYTES[market]
    if len(record) != expected:
        raise MasterFormatError(line, "record", f"{len(record)} bytes, a {market.value} record "
                                f"has {expected} (+ newline)")
    tail = record[HEAD_BYTES:]
    if not tail.isascii():
        position = next(i for i, b in enumerate(tail) if b >= 0x80) + HEAD_BYTES
        name = next((n for n, (s, e) in OFFSETS[market].items() if s <= position < e), "tail")
        raise MasterFormatError(line, name, f"non-ASCII byte at offset {position}",
                                tail[position - HEAD_BYTES:position - HEAD_BYTES + 2]
                                .decode("latin-1"))
    code = record[0:9].strip()
    if not _CODE.fullmatch(code):
        raise MasterFormatError(line, "mksc_shrn_iscd", "expected an alphanumeric code",
                                code.decode("latin-1"))
    isin = record[9:21].strip()
    if isin and not _CODE.fullmatch(isin):
        raise MasterFormatError(line, "stnd_iscd", "expected an alphanumeric ISIN",
                                isin.decode("latin-1"))
    try:
        name = record[21:61].decode("cp949").strip()
    except UnicodeDecodeError as exc:
        raise MasterFormatError(line, "hts_kor_isnm", f"not cp949 ({exc.reason})",
                                record[21:61].decode("latin-1")) from None
    r = _Reader(record, line, OFFSETS[market])
    group = r.text("scrt_grp_cls_code")
    if group is None:
        raise MasterFormatError(line, "scrt_grp_cls_code", "blank group code")
    return MasterRecord(
        market=market, code=code.decode("ascii"), isin=isin.decode("ascii"), name=name,
        group_code=group, etp_class=r.text("etp_prod_cls_code"),
        base_price=r.number("stck_sdpr"), lot=r.number("frml_mrkt_deal_qty_unit"),
        off_hours_lot=r.number("ovtm_mrkt_deal_qty_unit"),
        halted=r.flag("trht_yn"), liquidation=r.flag("sltr_yn"), managed=r.flag("mang_issu_yn"),
        warning=r.text("mrkt_alrm_cls_code"), warning_notice=r.flag("mrkt_alrm_risk_adnt_yn"),
        spac=r.flag("etpr_undt_objt_co_yn"), short_overheat=r.text("short_over_cls_code"),
        ex_date=r.text("flng_cls_code"), par_change=r.text("fcam_mod_cls_code"),
        capital_increase=r.text("icic_cls_code"), margin_rate=r.number("marg_rate"),
        credit_allowed=r.flag("crdt_able"), prev_volume=r.number("prdy_vol"),
        par_value=r.number("stck_fcam"), listed_on=r.day("stck_lstn_date"),
        listed_shares_k=r.number("lstn_stcn"), capital=r.number("cpfn"),
        fiscal_month=r.number("stac_month"), ipo_price=r.number("po_prc"),
        preferred_class=r.text("prst_cls_code"), short_sale_overheated=r.flag("ssts_hot_yn"),
        abnormal_surge=r.flag("stange_runup_yn"), krx300=r.flag("krx300_issu_yn"),
        revenue=r.number("sale_account"), operating_profit=r.number("bsop_prfi"),
        ordinary_profit=r.number("op_prfi"), net_income=r.number("thtr_ntin"), roe=r.decimal("roe"),
        financials_as_of=r.day("base_date"), market_cap_eok=r.number("prdy_avls_scal"),
        group_company=r.text("grp_code"), kospi200_sector=r.text("kospi200_apnt_cls_code"),
        kospi100=r.flag("kospi100_issu_yn"), kospi50=r.flag("kospi50_issu_yn"),
        kosdaq150=r.flag("ksq150_nmix_yn"),
        fields=MappingProxyType({name: r.raw(name).decode("ascii") for name in r.offsets}),
    )


def _market(market: Market | str) -> Market:
    if isinstance(market, Market):
        return market
    try:
        return Market(str(market).upper())
    except ValueError:
        raise ValueError(f"unknown market {market!r}: expected KOSPI, KOSDAQ or KONEX") from None


def parse_master(data: bytes, market: Market | str,
                 errors: Literal["raise", "skip"] = "raise") -> MasterRecords:
    """Every record of a master file's bytes, in file order.

    Lines end in ``\\n`` (``\\r\\n`` and a missing final newline are accepted); blank lines are
    ignored. A malformed record raises :class:`MasterFormatError`, or with ``errors="skip"`` is
    left out and its error kept in the result's ``skipped`` list.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("parse_master takes the file's bytes (cp949), not decoded text")
    data = bytes(data)
    if errors not in ("raise", "skip"):
        raise ValueError(f"errors must be 'raise' or 'skip', not {errors!r}")
    market = _market(market)
    out = MasterRecords()
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.endswith(b"\r"):
            line = line[:-1]
        if not line.strip():
            continue
        try:
            out.append(_parse_record(line, number, market))
        except MasterFormatError as exc:
            if errors == "raise":
                raise
            out.skipped.append(exc)
    return out

