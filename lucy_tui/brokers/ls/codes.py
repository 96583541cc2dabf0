"""LS증권 wire vocabulary: paths, tr codes, limits, code tables, messages and realtime layouts.

Everything here is verbatim from ../shared/specs/ls.md (section numbers in comments). Where the
spec marks a fact unverified, the default follows its **Follow:** line and the alternative is
named next to it, so the client and the simulator can switch without editing this file. Business
rejection codes other than ``03181`` are not published by LS; those entries are the simulator's
own (``UNVERIFIED``) and their texts carry the words clients key on (§6.3: "장종료", "부족",
"호가"/"단위", "주문번호"/"원주문"). :class:`Messages` replaces any of them once a real code is known.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from ...domain.model import Market, OrderType, Side, TimeInForce, Venue


class Domain(enum.Enum):
    """Which kind of app key obtained the token: 실전 (real) or 모의투자 (mock). Same host (§1)."""

    REAL = "real"
    MOCK = "mock"


REAL, MOCK = Domain.REAL, Domain.MOCK

# ---------------------------------------------------------------- hosts and paths (§1)

REST_URL = "https://openapi.ls-sec.co.kr:8080"          # real and mock alike
WS_URL = {REAL: "wss://openapi.ls-sec.co.kr:9443/websocket",
          MOCK: "wss://openapi.ls-sec.co.kr:29443/websocket"}
LEGACY_REST_URL = "https://openapi.ebestsec.co.kr:8080"  # eBest, before 2024-06-01

P_TOKEN = "/oauth2/token"
P_REVOKE = "/oauth2/revoke"
P_ORDER = "/stock/order"
P_ACCNO = "/stock/accno"
P_MARKET_DATA = "/stock/market-data"
P_ETC = "/stock/etc"
P_CHART = "/stock/chart"
P_TIME = "/etc/time-search"
#: Every client uses /websocket; the 2026-05 guide shows /websocket/stock. Follow: serve both.
WS_PATHS = ("/websocket", "/websocket/stock")

# ---------------------------------------------------------------- TRs (§1, §4)

CSPAT00601 = "CSPAT00601"   # 현물주문 (new)
CSPAT00701 = "CSPAT00701"   # 현물정정주문 (amend)
CSPAT00801 = "CSPAT00801"   # 현물취소주문 (cancel)
T0424 = "t0424"             # 주식잔고2
T0425 = "t0425"             # 주식체결/미체결
CSPAQ12200 = "CSPAQ12200"   # 현물계좌예수금 주문가능금액 총평가
CSPAQ12300 = "CSPAQ12300"   # BEP단가조회
CSPAQ13700 = "CSPAQ13700"   # 현물계좌 주문체결내역 조회
CSPAQ22200 = "CSPAQ22200"
CSPBQ00200 = "CSPBQ00200"   # 증거금률별 주문가능수량
T1101 = "t1101"
T1102 = "t1102"             # 주식현재가(시세)조회
T8407 = "t8407"
T8430 = "t8430"
T8436 = "t8436"             # 주식종목조회 API용
T9945 = "t9945"
T0167 = "t0167"

#: Which path serves which TR (§1 table).
TR_PATH: dict[str, str] = {
    CSPAT00601: P_ORDER, CSPAT00701: P_ORDER, CSPAT00801: P_ORDER,
    **{tr: P_ACCNO for tr in (T0424, T0425, CSPAQ12200, CSPAQ12300, CSPAQ13700, CSPAQ22200,
                              CSPBQ00200, "FOCCQ33600", "CDPCQ04700", "CSPAQ00600")},
    **{tr: P_MARKET_DATA for tr in (T1101, T1102, "t1305", T8407, "t8450", T9945)},
    T8430: P_ETC, T8436: P_ETC,
    **{tr: P_CHART for tr in ("t8410", "t8412", "t8451", "t8452", "t8453")},
    T0167: P_TIME,
}

ORDER_TRS = frozenset({CSPAT00601, CSPAT00701, CSPAT00801})


def in_block(tr_cd: str) -> str:
    """Request block name: ``t0425InBlock`` for t-series, ``CSPAT00601InBlock1`` for C-series (§3.2)."""
    return f"{tr_cd}InBlock" if tr_cd[:1].islower() else f"{tr_cd}InBlock1"


def out_block(tr_cd: str, n: int | None = None) -> str:
    """``t0425OutBlock`` / ``t0425OutBlock1`` / ``CSPAT00601OutBlock2`` (§3.3)."""
    return f"{tr_cd}OutBlock{'' if n is None else n}"


# ---------------------------------------------------------------- headers (§3.1, §3.3)

H_TR_CD = "tr_cd"
H_TR_CONT = "tr_cont"
H_TR_CONT_KEY = "tr_cont_key"
H_MAC = "mac_address"
CONT_YES, CONT_NO = "Y", "N"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"

# ---------------------------------------------------------------- rate limits (§6.1)

#: Requests per second per TR for individual (개인) accounts; [PG] values where [RUST] has none.
TR_LIMITS: dict[str, int] = {
    CSPAT00601: 10, CSPAT00701: 3, CSPAT00801: 3,
    T0425: 2, T0424: 2,
    CSPAQ12300: 1, CSPAQ22200: 1, CSPBQ00200: 1, CSPAQ12200: 1, CSPAQ13700: 1,
    T1102: 10, T1101: 10, T8407: 5,
    T8436: 2, T8430: 2, T9945: 2,
    "t1305": 1, "t8412": 1, T0167: 10,
}
#: Corporate (법인) accounts, where published.
TR_LIMITS_CORPORATE: dict[str, int] = {
    CSPAT00601: 10, CSPAT00701: 3, CSPAT00801: 3,
    T0425: 10, T0424: 10, CSPAQ12300: 10, CSPAQ22200: 10, CSPBQ00200: 10,
    T1102: 5, T1101: 5, T8407: 3, "t1305": 3, "t8412": 3, T0167: 50,
}
#: For a TR not in the table: the most conservative published value.
DEFAULT_TR_LIMIT = 1

# ---------------------------------------------------------------- order code tables (§4.1)

BNS_SELL, BNS_BUY = "1", "2"
BNS_TP_CODE: dict[str, Side] = {BNS_SELL: Side.SELL, BNS_BUY: Side.BUY}
BNS_OF: dict[Side, str] = {v: k for k, v in BNS_TP_CODE.items()}

ORDPRC_PTN_CODE: dict[str, OrderType] = {
    "00": OrderType.LIMIT,          # 지정가
    "03": OrderType.MARKET,         # 시장가
    "05": OrderType.CONDITIONAL,    # 조건부지정가
    "06": OrderType.BEST,           # 최유리지정가
    "07": OrderType.TOP,            # 최우선지정가
    "12": OrderType.MIDPOINT,       # 중간가
    "61": OrderType.PRE_CLOSE,      # 장개시전시간외종가
    "81": OrderType.POST_CLOSE,     # 시간외종가
    "82": OrderType.AFTER_SINGLE,   # 시간외단일가
}
ORDPRC_PTN_OF: dict[OrderType, str] = {v: k for k, v in ORDPRC_PTN_CODE.items()}
ORDPRC_PTN_NAME: dict[str, str] = {
    "00": "지정가", "03": "시장가", "05": "조건부지정가", "06": "최유리지정가", "07": "최우선지정가",
    "12": "중간가", "61": "장개시전시간외종가", "81": "시간외종가", "82": "시간외단일가",
}

ORD_CNDI_TP_CODE: dict[str, TimeInForce] = {"0": TimeInForce.DAY, "1": TimeInForce.IOC,
                                            "2": TimeInForce.FOK}
ORD_CNDI_OF: dict[TimeInForce, str] = {v: k for k, v in ORD_CNDI_TP_CODE.items()}
#: t0425 ``ordgb`` / CSPAQ13700 texts of the order condition.
ORD_CNDI_NAME = {"0": "보통", "1": "IOC", "2": "FOK"}


def order_codes(type_: OrderType, tif: TimeInForce) -> tuple[str, str]:
    """(OrdprcPtnCode, OrdCndiTpCode) of a domain order; KeyError when LS has no code for it."""
    return ORDPRC_PTN_OF[type_], ORD_CNDI_OF[tif]


def order_kind(ordprc_ptn_code: str, ord_cndi_tp_code: str = "0") -> tuple[OrderType, TimeInForce]:
    """The domain (OrderType, TimeInForce) of an LS code pair; KeyError for an unknown code."""
    return ORDPRC_PTN_CODE[ordprc_ptn_code], ORD_CNDI_TP_CODE[ord_cndi_tp_code or "0"]


#: 신용거래 codes (MgntrnCode); only 000 (normal cash) is in scope.
MGNTRN_NORMAL = "000"
MGNTRN_CODES = frozenset({"000", "003", "005", "007", "101", "103", "105", "107", "180"})

#: MbrNo: KRX or NXT; blank or anything else means KRX (no SOR in CSPAT00601).
MBR_NO: dict[str, Venue] = {"KRX": Venue.KRX, "NXT": Venue.NXT}


def venue_of_mbr_no(value: str | None) -> Venue:
    return MBR_NO.get((value or "").strip().upper(), Venue.KRX)


#: Quote-side venue selector on t1102 etc.: K KRX, N NXT, U 통합; anything else = KRX.
EXCHGUBUN = {"K": "KRX", "N": "NXT", "U": "UNI"}


def exchgubun_venue(value: str | None) -> str:
    return EXCHGUBUN.get((value or "").strip().upper(), "KRX")


#: IsuNo prefixes: stock/ETF A (mock requires it), ELW J, ETN Q (§4.1).
ISU_PREFIX_STOCK, ISU_PREFIX_ELW, ISU_PREFIX_ETN = "A", "J", "Q"
ISU_PREFIXES = (ISU_PREFIX_STOCK, ISU_PREFIX_ELW, ISU_PREFIX_ETN)


def split_isu_no(value: str) -> tuple[str, str]:
    """(prefix, short code) of an IsuNo: ``"A005930"`` → ("A", "005930"), ``"005930"`` → ("", ...)."""
    value = (value or "").strip()
    if len(value) == 7 and value[0] in ISU_PREFIXES:
        return value[0], value[1:]
    return "", value


def isu_no(code: str, prefix: str = ISU_PREFIX_STOCK) -> str:
    """What clients that always prefix send (and what mock requires for stocks and ETFs)."""
    return prefix + code


# ---------------------------------------------------------------- market and order-kind codes

#: SC0 ``marketgb`` / SC1 ``ordmktcode`` / CSPAT OutBlock2 ``OrdMktCode``.
MARKET_CODE: dict[Market, str] = {Market.KOSPI: "10", Market.KOSDAQ: "20", Market.KONEX: "23"}
#: t8436 / t9945 ``gubun``.
MASTER_GUBUN: dict[Market, str] = {Market.KOSPI: "1", Market.KOSDAQ: "2"}
#: SC0 ``ordgb`` / SC1 ``ordptncode`` / OutBlock2 ``OrdPtnCode``: cash sell 01, cash buy 02.
ORD_PTN_CODE: dict[Side, str] = {Side.SELL: "01", Side.BUY: "02"}
#: t0425 ``medosu`` (text) and the request filter codes.
MEDOSU_TEXT: dict[Side, str] = {Side.SELL: "매도", Side.BUY: "매수"}
#: CSPAQ13700 ``BnsTpNm``.
BNS_TP_NAME = {BNS_SELL: "매도", BNS_BUY: "매수"}
#: CSPAQ13700 ``MrcTpCode`` (정정취소구분) of a row: a plain order, an amend (정정), a cancel (취소).
MRC_TP_NORMAL, MRC_TP_AMEND, MRC_TP_CANCEL = "0", "1", "2"
#: t1102 / S3_ ``sign``: 1 upper limit, 2 up, 3 flat, 4 lower limit, 5 down.
SIGN_UPPER, SIGN_UP, SIGN_FLAT, SIGN_LOWER, SIGN_DOWN = "1", "2", "3", "4", "5"
#: t8436 ``etfgubun``.
ETF_GUBUN = {"stock": "0", "etf": "1", "etn": "2"}

#: t0425 ``status`` texts. "접수" and "체결" are in the official example; the others are the
#: simulator's choice (UNVERIFIED) in the same vocabulary as SC2/SC3/SC4's names.
T0425_STATUS = {
    "accepted": "접수", "partial": "부분체결", "filled": "체결", "amend_confirmed": "정정확인",
    "cancel_confirmed": "취소확인", "rejected": "거부", "amended": "정정", "cancelled": "취소",
}
#: t0425 ``ordermtd`` of API orders, as in the official example.
T0425_ORDERMTD = "씽(Xing)-F"

# ---------------------------------------------------------------- page sizes (§3.5, §9.9)

#: t0425 rows per page: one client's comment says 100 (UNVERIFIED).
T0425_PAGE_SIZE = 100
#: t0424 and CSPAQ13700 rows per page: undocumented; the simulator's defaults.
T0424_PAGE_SIZE = 100
CSPAQ13700_PAGE_SIZE = 100

# ---------------------------------------------------------------- token endpoint (§2)

GRANT_TYPE = "client_credentials"
SCOPE = "oob"
TOKEN_TYPE = "Bearer"
TOKEN_ISSUER = "unogw"
TOKEN_LIFETIME = 86_400          # expires_in in the doc example
#: UNVERIFIED alternative (hermetix): tokens die at 07:00 KST the next day.
TOKEN_EXPIRY_HOUR = 7


class TokenLifetime(enum.Enum):
    FIXED = "fixed"               # expires_in = 86400 (Follow)
    UNTIL_0700 = "until_0700"     # expires_in = seconds until the next 07:00 KST


#: Token endpoint failures: HTTP 403 with ``error_code`` / ``error_description`` (§2.1).
TOKEN_ERROR_STATUS = 403
TOKEN_APPKEY_INVALID = ("IGW00103", "유효하지 않은 AppKey입니다.")
#: IGW00105 is pydbsec's (same gateway product); its text is the KIS gateway's wording.
TOKEN_APPSECRET_INVALID = ("IGW00105", "유효하지 않은 AppSecret입니다.")
#: No LS text is published for a wrong grant_type/scope; the simulator reuses the gateway wording.
TOKEN_BAD_REQUEST = ("IGW00002", "grant_type 또는 scope가 유효하지 않습니다.")   # UNVERIFIED

#: Revoke success: ``code`` (a number) and ``message`` (§2.2).
REVOKE_OK = (200, "접근토큰 폐기에 성공하였습니다.")


@dataclass(frozen=True, slots=True)
class GatewayError:
    """An IGW answer on a TR path: HTTP status plus the rsp_cd / rsp_msg envelope."""

    status: int
    rsp_cd: str
    rsp_msg: str


TOKEN_INVALID = GatewayError(500, "IGW00121", "유효하지 않은 token 입니다")
TOKEN_NOT_FOUND = GatewayError(500, "IGW00122", "token을 찾을 수 없습니다")
TOKEN_EXPIRED = GatewayError(500, "IGW00123", "기간이 만료된 token 입니다")
#: HTTP status undocumented (§6.2). Follow: 500, by analogy with IGW00121; configurable.
RATE_LIMITED = GatewayError(500, "IGW00201", "호출 거래건수를 초과하였습니다.")
RATE_LIMIT_STATUS_ALTERNATIVES = (500, 429, 200)
QUERY_FAILED = GatewayError(500, "IGW40013", "데이터 조회에 실패 했습니다")
#: UNVERIFIED: LS publishes nothing for these; same gateway family, HTTP 500 like IGW00121.
TR_NOT_FOUND = GatewayError(500, "IGW00003", "tr_cd가 유효하지 않습니다.")
BAD_BODY = GatewayError(500, "IGW00001", "요청 데이터 형식이 올바르지 않습니다.")

#: Codes clients treat as a successful read (§7) and the order acceptances (§3.4).
READ_OK_CODES = frozenset({"", "00000", "00001", "00136", "00133", "00200", "00707"})
ORDER_OK_CODES = frozenset({"00039", "00040"})
AMEND_OK_CODES = frozenset({"00131", "00132"})
CANCEL_OK_CODES = frozenset({"00156"})

# ---------------------------------------------------------------- TR messages (§3.4, §6.3)


@dataclass(frozen=True, slots=True)
class Msg:
    rsp_cd: str
    rsp_msg: str


class Outcome(enum.Enum):
    BUY_OK = "buy_ok"
    SELL_OK = "sell_ok"
    AMEND_OK = "amend_ok"
    CANCEL_OK = "cancel_ok"
    QUERY_OK = "query_ok"              # t-series
    QUERY_EMPTY = "query_empty"        # t-series, no rows
    ACCOUNT_OK = "account_ok"          # C-series account queries
    ACCOUNT_EMPTY = "account_empty"    # CSPAQ13700 with no rows
    BELOW_LOWER = "below_lower"
    ABOVE_UPPER = "above_upper"
    BAD_TICK = "bad_tick"
    INSUFFICIENT_CASH = "insufficient_cash"
    NO_HOLDINGS = "no_holdings"
    INSUFFICIENT_HOLDINGS = "insufficient_holdings"
    UNKNOWN_SYMBOL = "unknown_symbol"
    SYMBOL_FORMAT = "symbol_format"    # mock without the A prefix
    HALTED = "halted"
    MARKET_CLOSED = "market_closed"
    BAD_QUANTITY = "bad_quantity"
    PRICE_REQUIRED = "price_required"
    PRICE_NOT_ALLOWED = "price_not_allowed"
    ORDER_TYPE_NOT_ALLOWED = "order_type_not_allowed"
    VENUE_NOT_ALLOWED = "venue_not_allowed"
    BAD_CODE = "bad_code"              # a code outside the tables (BnsTpCode, OrdprcPtnCode...)
    ORDER_NOT_FOUND = "order_not_found"
    NOTHING_TO_CANCEL = "nothing_to_cancel"
    AMEND_QTY_INCREASE = "amend_qty_increase"
    TYPE_CHANGE = "type_change"
    BAD_INPUT = "bad_input"            # missing InBlock or field
    CREDIT_NOT_ALLOWED = "credit_not_allowed"   # MgntrnCode other than 000 on a cash account


O = Outcome

MESSAGES: dict[Outcome, Msg] = {
    # [DOC25] / [PG]
    O.BUY_OK: Msg("00040", "매수 주문이 완료되었습니다."),
    O.SELL_OK: Msg("00039", "매도 주문이 완료되었습니다."),
    O.AMEND_OK: Msg("00132", "정정주문이 완료되었습니다."),
    O.CANCEL_OK: Msg("00156", "취소주문이 완료되었습니다."),
    # The t0424/t0425 official examples answer 00000 with this text (the spec's table also lists
    # "정상적으로 조회가 완료되었습니다." for t-series; both are read as success).
    O.QUERY_OK: Msg("00000", "조회가 완료되었습니다."),
    O.QUERY_EMPTY: Msg("00000", "해당자료가 없습니다."),
    O.ACCOUNT_OK: Msg("00136", "조회가 완료되었습니다."),
    O.ACCOUNT_EMPTY: Msg("00200", "조회내역이 없습니다."),
    O.BELOW_LOWER: Msg("03181", "주문가격이 하한가 미달입니다."),
    # UNVERIFIED below: LS publishes no other rejection codes; the texts carry the §6.3 words.
    O.ABOVE_UPPER: Msg("03180", "주문가격이 상한가 초과입니다."),
    O.BAD_TICK: Msg("03182", "주문가격이 호가단위에 맞지 않습니다."),
    O.INSUFFICIENT_CASH: Msg("02705", "주문가능금액이 부족합니다."),
    O.NO_HOLDINGS: Msg("02714", "매도가능수량이 부족합니다. 잔고가 없습니다."),
    O.INSUFFICIENT_HOLDINGS: Msg("02714", "매도가능수량이 부족합니다."),
    O.UNKNOWN_SYMBOL: Msg("01901", "종목번호를 확인하십시오. 매매할 수 없는 종목입니다."),
    O.SYMBOL_FORMAT: Msg("01901", "종목번호를 확인하십시오. 모의투자는 A+종목코드로 주문하십시오."),
    O.HALTED: Msg("03190", "거래정지 종목입니다."),
    O.MARKET_CLOSED: Msg("03563", "장운영시간이 아닙니다. 장종료 또는 장 마감 후에는 주문할 수 없습니다."),
    O.BAD_QUANTITY: Msg("03100", "주문수량을 확인하십시오."),
    O.PRICE_REQUIRED: Msg("03101", "주문가격을 확인하십시오. 호가유형에 맞는 가격을 입력하십시오."),
    O.PRICE_NOT_ALLOWED: Msg("03102", "시장가/최유리/최우선 호가는 주문가격을 0으로 입력하십시오."),
    O.ORDER_TYPE_NOT_ALLOWED: Msg("03103", "주문할 수 없는 호가유형입니다."),
    O.VENUE_NOT_ALLOWED: Msg("03104", "해당 거래소에서 주문할 수 없는 호가유형입니다."),
    O.BAD_CODE: Msg("01900", "입력값을 확인하십시오."),
    O.ORDER_NOT_FOUND: Msg("02816", "원주문번호를 확인하십시오. 해당 주문번호가 없습니다."),
    O.NOTHING_TO_CANCEL: Msg("02817", "정정/취소 가능수량이 없습니다. 원주문번호를 확인하십시오."),
    O.AMEND_QTY_INCREASE: Msg("02818", "정정수량이 원주문 잔량을 초과합니다."),
    O.TYPE_CHANGE: Msg("02819", "원주문의 주문조건은 정정할 수 없습니다."),
    O.BAD_INPUT: Msg("01900", "입력값을 확인하십시오."),
    O.CREDIT_NOT_ALLOWED: Msg("03105", "신용거래가 불가능한 계좌입니다. 신용거래코드를 확인하십시오."),
}

#: The outcomes whose code is not from an LS source.
UNVERIFIED_OUTCOMES = frozenset(set(MESSAGES) - {
    O.BUY_OK, O.SELL_OK, O.AMEND_OK, O.CANCEL_OK, O.QUERY_OK, O.QUERY_EMPTY, O.ACCOUNT_OK,
    O.ACCOUNT_EMPTY, O.BELOW_LOWER})

#: Queries answer with this prefix in mock (official mock example "모의투자 조회가 완료되었습니다.").
MOCK_PREFIX = "모의투자 "
QUERY_OUTCOMES = frozenset({O.QUERY_OK, O.QUERY_EMPTY, O.ACCOUNT_OK, O.ACCOUNT_EMPTY})


@dataclass
class Messages:
    """The message table in use; ``overrides`` replaces entries once a real code is confirmed."""

    overrides: dict[Outcome, Msg] = field(default_factory=dict)

    def get(self, outcome: Outcome, domain: Domain = REAL) -> Msg:
        msg = self.overrides.get(outcome) or MESSAGES[outcome]
        if domain is MOCK and outcome in QUERY_OUTCOMES and not msg.rsp_msg.startswith(MOCK_PREFIX):
            return Msg(msg.rsp_cd, MOCK_PREFIX + msg.rsp_msg)
        return msg


# ---------------------------------------------------------------- WebSocket (§5)

TR_TYPE_ACCOUNT_ON, TR_TYPE_ACCOUNT_OFF = "1", "2"
TR_TYPE_MARKET_ON, TR_TYPE_MARKET_OFF = "3", "4"
TR_TYPES = frozenset({"1", "2", "3", "4"})

SC0, SC1, SC2, SC3, SC4 = "SC0", "SC1", "SC2", "SC3", "SC4"
ORDER_EVENT_TRS = (SC0, SC1, SC2, SC3, SC4)
S3_, K3_, NS3, US3 = "S3_", "K3_", "NS3", "US3"
H1_, HA_, NH1 = "H1_", "HA_", "NH1"
#: Trade-tick TR per market: the server does not route by symbol (§5.1).
TRADE_TR: dict[Market, str] = {Market.KOSPI: S3_, Market.KOSDAQ: K3_}
MARKET_OF_TRADE_TR: dict[str, Market] = {S3_: Market.KOSPI, K3_: Market.KOSDAQ}

#: Ack ``rsp_cd`` (clients treat 00000 as OK); the texts are undocumented (§9.4), these are ours.
WS_OK = "00000"
WS_ACK_TEXT = {"1": "계좌등록 완료", "2": "계좌해제 완료", "3": "실시간 시세 등록 완료",
               "4": "실시간 시세 해제 완료"}
WS_ERRORS = {
    "no_token": ("IGW00122", "token을 찾을 수 없습니다"),
    "bad_token": ("IGW00121", "유효하지 않은 token 입니다"),
    "expired": ("IGW00123", "기간이 만료된 token 입니다"),
    # UNVERIFIED: LS publishes no error frames for these; same gateway family.
    "bad_json": ("IGW00001", "JSON 형식이 올바르지 않습니다."),
    "bad_tr_type": ("IGW00002", "tr_type이 유효하지 않습니다."),
    "bad_tr_cd": ("IGW00003", "tr_cd가 유효하지 않습니다."),
    "bad_tr_key": ("IGW00004", "tr_key가 유효하지 않습니다."),
}

#: SC0 ``ordchegb``: 01 주문, 02 정정, 03 취소 (also A1 접수중, AC 접수완료).
ORDCHEGB_NEW, ORDCHEGB_AMEND, ORDCHEGB_CANCEL = "01", "02", "03"
#: SC1–SC4 ``ordxctptncode``.
XCT_NEW, XCT_AMEND, XCT_CANCEL = "01", "02", "03"
XCT_FILL, XCT_AMEND_CONFIRMED, XCT_CANCEL_CONFIRMED, XCT_REJECTED = "11", "12", "13", "14"
#: ``trcode`` in the header section.
TRCODE_NEW, TRCODE_AMEND, TRCODE_CANCEL, TRCODE_EXEC = "SONAT000", "SONAT001", "SONAT002", "SONAS100"
#: ``msgcode``: 0040 on SC0, 9999 on SC1–SC3 (official examples).
SC0_MSGCODE, SC_EXEC_MSGCODE = "0040", "9999"

#: The header section SC0–SC4 share (``compid`` is ``comid`` in the JSON).
SC_HEADER_FIELDS: tuple[str, ...] = (
    "lineseq", "accno", "user", "len", "gubun", "compress", "encrypt", "offset", "trcode", "comid",
    "userid", "media", "ifid", "seq", "trid", "pubip", "prvip", "pcbpno", "bpno", "termno", "lang",
    "proctm", "msgcode", "outgu", "compreq", "funckey", "reqcnt", "filler", "cont", "contkey",
    "varlen", "varhdlen", "varmsglen", "trsrc", "eventid", "ifinfo", "filler1",
)

SC0_FIELDS: tuple[str, ...] = SC_HEADER_FIELDS + (
    "ordchegb", "marketgb", "ordgb", "orgordno", "accno1", "accno2", "passwd", "expcode",
    "shtcode", "hname", "ordqty", "ordprice", "hogagb", "etfhogagb", "pgmtype", "gmhogagb",
    "gmhogayn", "singb", "loandt", "cvrgordtp", "strtgcode", "groupid", "ordseqno", "prtno",
    "basketno", "trchno", "itemno", "brwmgmyn", "mbrno", "procgb", "admbrchno", "futaccno",
    "futmarketgb", "tongsingb", "lpgb", "dummy", "ordno", "ordtm", "prntordno", "mgempno",
    "orgordundrqty", "orgordmdfyqty", "ordordcancelqty", "nmcpysndno", "ordamt", "bnstp",
    "spareordno", "cvrgseqno", "rsvordno", "mtordseqno", "spareordqty", "orduserid", "spotordqty",
    "ordruseqty", "mnyordamt", "ordsubstamt", "ruseordamt", "ordcmsnamt", "crdtuseamt",
    "secbalqty", "spotordableqty", "ordableruseqty", "flctqty", "secbalqtyd2", "sellableqty",
    "unercsellordqty", "avrpchsprc", "pchsamt", "deposit", "substamt", "csgnmnymgn",
    "csgnsubstmgn", "crdtpldgruseamt", "ordablemny", "ordablesubstamt", "ruseableamt",
)

#: SC1, and SC2/SC3/SC4, which have exactly the SC1 layout. Mixed case is LS's (§5.2).
SC1_FIELDS: tuple[str, ...] = SC_HEADER_FIELDS + (
    "ordxctptncode", "ordmktcode", "ordptncode", "mgmtbrnno", "accno1", "accno2", "acntnm",
    "Isuno", "Isunm", "ordno", "orgordno", "execno", "ordqty", "ordprc", "execqty", "execprc",
    "mdfycnfqty", "mdfycnfprc", "canccnfqty", "rjtqty", "ordtrxptncode", "mtiordseqno", "ordcndi",
    "ordprcptncode", "nsavtrdqty", "shtnIsuno", "opdrtnno", "cvrgordtp", "unercqty",
    "orgordunercqty", "orgordmdfyqty", "orgordcancqty", "ordavrexecprc", "ordamt", "stdIsuno",
    "bfstdIsuno", "bnstp", "ordtrdptncode", "mgntrncode", "adduptp", "commdacode", "Loandt",
    "mbrnmbrno", "ordacntno", "agrgbrnno", "mgempno", "futsLnkbrnno", "futsLnkacntno",
    "futsmkttp", "regmktcode", "mnymgnrat", "substmgnrat", "mnyexecamt", "ubstexecamt",
    "cmsnamtexecamt", "crdtpldgexecamt", "crdtexecamt", "prdayruseexecval", "crdayruseexecval",
    "spotexecqty", "stslexecqty", "strtgcode", "grpId", "ordseqno", "ptflno", "bskno", "trchno",
    "itemno", "orduserId", "brwmgmtYn", "frgrunqno", "trtzxLevytp", "lptp", "exectime",
    "rcptexectime", "rmndLoanamt", "secbalqty", "spotordableqty", "ordableruseqty", "flctqty",
    "secbalqtyd2", "sellableqty", "unercsellordqty", "avrpchsprc", "pchsant", "deposit",
    "substamt", "csgnmnymgn", "csgnsubstmgn", "crdtpldgruseamt", "ordablemny", "ordablesubstamt",
    "ruseableamt",
)
SC_FIELDS: dict[str, tuple[str, ...]] = {SC0: SC0_FIELDS, SC1: SC1_FIELDS, SC2: SC1_FIELDS,
                                          SC3: SC1_FIELDS, SC4: SC1_FIELDS}

#: S3_ / K3_ body, official order (§5.3); NS3/US3 add ``ex_shcode``.
S3_FIELDS: tuple[str, ...] = (
    "chetime", "sign", "change", "drate", "price", "opentime", "open", "hightime", "high",
    "lowtime", "low", "cgubun", "cvolume", "volume", "value", "mdvolume", "mdchecnt", "msvolume",
    "mschecnt", "cpower", "w_avrg", "offerho", "bidho", "status", "jnilvolume", "shcode",
    "exchname",
)
#: S3_ ``status``: 00 intraday, 21 pre-open expected, 31 post-close expected.
TICK_STATUS_INTRADAY = "00"

# ---------------------------------------------------------------- REST block layouts (§4)

T0425_OUT_FIELDS = ("tqty", "tcheqty", "tordrem", "cmss", "tamt", "tmdamt", "tmsamt", "tax",
                    "cts_ordno")
T0425_ROW_FIELDS = ("ordno", "expcode", "medosu", "qty", "price", "cheqty", "cheprice", "ordrem",
                    "cfmqty", "status", "orgordno", "ordgb", "ordtime", "ordermtd", "sysprocseq",
                    "hogagb", "price1", "orggb", "singb", "loandt", "exchname")
T0424_OUT_FIELDS = ("sunamt", "dtsunik", "mamt", "sunamt1", "cts_expcode", "tappamt", "tdtsunik")
T0424_ROW_FIELDS = ("expcode", "jangb", "janqty", "mdposqt", "pamt", "mamt", "sinamt", "lastdt",
                    "msat", "mpms", "mdat", "mpmd", "jsat", "jpms", "jdat", "jpmd", "sysprocseq",
                    "loandt", "hname", "marketgb", "jonggb", "janrt", "price", "appamt",
                    "dtsunik", "sunikrt", "fee", "tax", "sininter")
T8436_ROW_FIELDS = ("hname", "shcode", "expcode", "etfgubun", "uplmtprice", "dnlmtprice",
                    "jnilclose", "memedan", "recprice", "gubun", "bu12gubun", "spac_gubun",
                    "filler")
#: CSPAQ13700 OutBlock3: the official table, then the three fields the spec adds.
CSPAQ13700_ROW_FIELDS = (
    "OrdDt", "MgmtBrnNo", "OrdMktCode", "OrdNo", "OrgOrdNo", "IsuNo", "IsuNm", "BnsTpCode",
    "BnsTpNm", "OrdPtnCode", "OrdPtnNm", "OrdTrxPtnCode", "OrdTrxPtnNm", "MrcTpCode", "MrcTpNm",
    "MrcQty", "MrcAbleQty", "OrdQty", "OrdPrc", "ExecQty", "ExecPrc", "ExecTrxTime",
    "LastExecTime", "OrdprcPtnCode", "OrdprcPtnNm", "OrdCndiTpCode", "AllExecQty",
    "RegCommdaCode", "CommdaNm", "MbrNo", "RsvOrdYn", "LoanDt", "OrdTime", "OpDrtnNo", "OdrrId",
    "RmnOrdQty", "OrdGb", "Rectgb",
)
CSPAQ13700_SUMMARY_FIELDS = ("RecCnt", "SellExecAmt", "BuyExecAmt", "SellExecQty", "BuyExecQty",
                             "SellOrdQty", "BuyOrdQty")
#: CSPAQ12200 OutBlock2, official table order.
CSPAQ12200_FIELDS = (
    "RecCnt", "BrnNm", "AcntNm", "MnyOrdAbleAmt", "MnyoutAbleAmt", "SeOrdAbleAmt",
    "KdqOrdAbleAmt", "BalEvalAmt", "RcvblAmt", "DpsastTotamt", "PnlRat", "InvstOrgAmt",
    "InvstPlAmt", "CrdtPldgOrdAmt", "Dps", "SubstAmt", "D1Dps", "D2Dps", "MnyrclAmt", "MgnMny",
    "MgnSubst", "ChckAmt", "SubstOrdAbleAmt", "MgnRat100pctOrdAbleAmt", "MgnRat35ordAbleAmt",
    "MgnRat50ordAbleAmt", "PrdaySellAdjstAmt", "PrdayBuyAdjstAmt", "CrdaySellAdjstAmt",
    "CrdayBuyAdjstAmt", "D1ovdRepayRqrdAmt", "D2ovdRepayRqrdAmt", "D1PrsmptWthdwAbleAmt",
    "D2PrsmptWthdwAbleAmt", "DpspdgLoanAmt", "Imreq", "MloanAmt", "ChgAfPldgRat", "OrgPldgAmt",
    "SubPldgAmt", "RqrdPldgAmt", "OrgPdlckAmt", "PdlckAmt", "AddPldgMny", "D1OrdAbleAmt",
    "CrdtIntdltAmt", "EtclndAmt", "NtdayPrsmptCvrgAmt", "OrgPldgSumAmt", "CrdtOrdAbleAmt",
    "SubPldgSumAmt", "CrdtPldgAmtMny", "CrdtPldgSubstAmt", "AddCrdtPldgMny", "CrdtPldgRuseAmt",
    "AddCrdtPldgSubst", "CslLoanAmtdt1", "DpslRestrcAmt",
)
#: t1102OutBlock: the REST guide's fields in order, then the NXT fields the spec adds (§4.10).
T1102_FIELDS = (
    "hname", "price", "sign", "change", "diff", "volume", "recprice", "avg", "uplmtprice",
    "dnlmtprice", "jnilvolume", "volumediff", "open", "opentime", "high", "hightime", "low",
    "lowtime", "high52w", "high52wdate", "low52w", "low52wdate", "exhratio", "per", "pbrx",
    "listing", "jkrate", "memedan",
    *(f"{name}{i}" for i in range(1, 6) for name in (
        "offernocd", "bidnocd", "offerno", "bidno", "dvol", "svol", "dcha", "scha", "ddiff",
        "sdiff")),
    "fwdvl", "ftradmdcha", "ftradmddiff", "fwsvl", "ftradmscha", "ftradmsdiff", "vol", "shcode",
    "value", "jvolume", "highyear", "highyeardate", "lowyear", "lowyeardate", "target",
    "capital", "abscnt", "parprice", "gsmm", "subprice", "total", "listdate", "name", "bfsales",
    "bfoperatingincome", "bfordinaryincome", "bfnetincome", "bfeps", "name2", "bfsales2",
    "bfoperatingincome2", "bfordinaryincome2", "bfnetincome2", "bfeps2", "salert", "opert",
    "ordrt", "netrt", "epsrt", "info1", "info2", "info3", "info4", "janginfo", "t_per",
    "tonghwa",
    *(f"{name}{i}" for i in range(1, 6) for name in ("dval", "sval")),
    *(f"{name}{i}" for i in range(1, 6) for name in ("davg", "savg")),
    "ftradmdval", "ftradmsval", "ftradmdvag", "ftradmsvag", "info5", "spac_gubun", "issueprice",
    "alloc_gubun", "alloc_text", "shterm_text", "svi_uplmtprice", "svi_dnlmtprice",
    "low_lqdt_gu", "abnormal_rise_gu", "lend_text", "ty_text",
    "nxt_janginfo", "nxt_shterm_text", "nxt_svi_uplmtprice", "nxt_svi_dnlmtprice", "ex_shcode",
    "krx_mcls_price",
)
