"""KIS wire vocabulary: tr ids, ORD_DVSN codes and the message codes and texts the front answers with.

Everything here is verbatim from ../shared/specs/kis.md. Where the spec says a real-environment code
is not known, the entry says so (``UNVERIFIED``) and :class:`Messages` lets a caller replace it
without touching the front.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from ...domain.model import OrderType, TimeInForce


class Domain(enum.Enum):
    """The KIS environment a key belongs to: 실전 (real) or 모의투자 (mock)."""

    REAL = "real"
    MOCK = "mock"


#: Requests per second per app key (kis.md §6.1): 20 real, 2 mock (the FAQ, not the 5/s summary).
DEFAULT_LIMITS = {Domain.REAL: 20, Domain.MOCK: 2}


REAL, MOCK = Domain.REAL, Domain.MOCK

# ---------------------------------------------------------------- REST paths

P_ORDER_CASH = "/uapi/domestic-stock/v1/trading/order-cash"
P_ORDER_RVSECNCL = "/uapi/domestic-stock/v1/trading/order-rvsecncl"
P_PSBL_RVSECNCL = "/uapi/domestic-stock/v1/trading/inquire-psbl-rvsecncl"
P_DAILY_CCLD = "/uapi/domestic-stock/v1/trading/inquire-daily-ccld"
P_BALANCE = "/uapi/domestic-stock/v1/trading/inquire-balance"
P_PSBL_ORDER = "/uapi/domestic-stock/v1/trading/inquire-psbl-order"
P_PSBL_SELL = "/uapi/domestic-stock/v1/trading/inquire-psbl-sell"
P_PRICE = "/uapi/domestic-stock/v1/quotations/inquire-price"
P_ASKING = "/uapi/domestic-stock/v1/quotations/inquire-asking-price-exp-ccn"
P_STOCK_INFO = "/uapi/domestic-stock/v1/quotations/search-stock-info"
P_SEARCH_INFO = "/uapi/domestic-stock/v1/quotations/search-info"
P_HOLIDAY = "/uapi/domestic-stock/v1/quotations/chk-holiday"
P_PUB_OFFER = "/uapi/domestic-stock/v1/ksdinfo/pub-offer"   # 공모주청약일정, real only (sources.md §5)


@dataclass(frozen=True, slots=True)
class TrSpec:
    """One function of one path: its tr ids per domain (current first, then the old ones)."""

    function: str
    real: tuple[str, ...]
    mock: tuple[str, ...] = ()          # empty: 모의투자 does not serve it
    #: V-prefixed ids a paper client derives by the official T/J/C→V rewrite, which mock does not serve.
    mock_rewrites: tuple[str, ...] = ()

    @property
    def old_ids(self) -> frozenset[str]:
        return frozenset(self.real[1:] + self.mock[1:])


#: path → function specs (§4.1). The buy and sell of order-cash share a path.
TRS: dict[str, tuple[TrSpec, ...]] = {
    P_ORDER_CASH: (
        TrSpec("buy", ("TTTC0012U", "TTTC0802U"), ("VTTC0012U", "VTTC0802U")),
        TrSpec("sell", ("TTTC0011U", "TTTC0801U"), ("VTTC0011U", "VTTC0801U")),
    ),
    P_ORDER_RVSECNCL: (TrSpec("rvsecncl", ("TTTC0013U", "TTTC0803U"), ("VTTC0013U", "VTTC0803U")),),
    P_PSBL_RVSECNCL: (TrSpec("psbl_rvsecncl", ("TTTC0084R", "TTTC8036R"), (),
                             ("VTTC0084R", "VTTC8036R")),),
    P_DAILY_CCLD: (
        TrSpec("daily_ccld", ("TTTC0081R", "TTTC8001R"), ("VTTC0081R", "VTTC8001R")),
        TrSpec("daily_ccld_old", ("CTSC9215R", "CTSC9115R"), ("VTSC9215R", "VTSC9115R")),
    ),
    P_BALANCE: (TrSpec("balance", ("TTTC8434R",), ("VTTC8434R",)),),
    P_PSBL_ORDER: (TrSpec("psbl_order", ("TTTC8908R",), ("VTTC8908R",)),),
    P_PSBL_SELL: (TrSpec("psbl_sell", ("TTTC8408R",), (), ("VTTC8408R",)),),
    P_PRICE: (TrSpec("price", ("FHKST01010100",), ("FHKST01010100",)),),
    P_ASKING: (TrSpec("asking", ("FHKST01010200",), ("FHKST01010200",)),),
    P_STOCK_INFO: (TrSpec("stock_info", ("CTPF1002R",)),),
    P_SEARCH_INFO: (TrSpec("search_info", ("CTPF1604R",)),),
    P_HOLIDAY: (TrSpec("holiday", ("CTCA0903R",)),),
    P_PUB_OFFER: (TrSpec("pub_offer", ("HHKDB669108C0",)),),
}

# Market-research endpoints (chart, finance, investor flow, opinions): see research_codes.
from .research_codes import RESEARCH_TRS  # noqa: E402  (defined apart; no import back)
TRS.update({path: (TrSpec(*spec),) for path, spec in RESEARCH_TRS.items()})

#: inquire-daily-ccld: the current tr id serves orders of the last three (calendar) months, the
#: ``daily_ccld_old`` one those older; same path and query (§4.1, §4.5).
DAILY_CCLD_RECENT_MONTHS = 3

ORDER_PATHS = frozenset({P_ORDER_CASH, P_ORDER_RVSECNCL})
#: Inquiries whose answers are paged with tr_cont and CTX_AREA_FK100/NK100.
PAGED_PATHS = frozenset({P_DAILY_CCLD, P_BALANCE, P_PSBL_RVSECNCL})

#: Real and mock page sizes (§3.3).
PAGE_SIZE = {
    (P_DAILY_CCLD, REAL): 100, (P_DAILY_CCLD, MOCK): 15,
    (P_BALANCE, REAL): 50, (P_BALANCE, MOCK): 20,
    (P_PSBL_RVSECNCL, REAL): 50, (P_PSBL_RVSECNCL, MOCK): 50,
}

# ---------------------------------------------------------------- WebSocket TRs

WS_TRADE = "H0STCNT0"
WS_BOOK = "H0STASP0"
WS_NOTICE_REAL = "H0STCNI0"
WS_NOTICE_MOCK = "H0STCNI9"
#: NXT/integrated variants, served on the real domain only (§4.10, §5.8).
WS_REAL_ONLY_MARKET = frozenset({"H0NXCNT0", "H0UNCNT0", "H0NXASP0", "H0UNASP0", "H0NXMKO0"})
WS_TRS = {
    REAL: frozenset({WS_TRADE, WS_BOOK, WS_NOTICE_REAL}) | WS_REAL_ONLY_MARKET,
    MOCK: frozenset({WS_TRADE, WS_BOOK, WS_NOTICE_MOCK}),
}
WS_NOTICE = {REAL: WS_NOTICE_REAL, MOCK: WS_NOTICE_MOCK}
H0STCNT0_FIELDS = 46
H0STASP0_FIELDS = 59
H0STCNI0_FIELDS = 26

# ---------------------------------------------------------------- order type codes (§4.9)

ORD_DVSN: dict[str, tuple[OrderType, TimeInForce]] = {
    "00": (OrderType.LIMIT, TimeInForce.DAY),
    "01": (OrderType.MARKET, TimeInForce.DAY),
    "02": (OrderType.CONDITIONAL, TimeInForce.DAY),
    "03": (OrderType.BEST, TimeInForce.DAY),
    "04": (OrderType.TOP, TimeInForce.DAY),
    "05": (OrderType.PRE_CLOSE, TimeInForce.DAY),
    "06": (OrderType.POST_CLOSE, TimeInForce.DAY),
    "07": (OrderType.AFTER_SINGLE, TimeInForce.DAY),
    "11": (OrderType.LIMIT, TimeInForce.IOC),
    "12": (OrderType.LIMIT, TimeInForce.FOK),
    "13": (OrderType.MARKET, TimeInForce.IOC),
    "14": (OrderType.MARKET, TimeInForce.FOK),
    "15": (OrderType.BEST, TimeInForce.IOC),
    "16": (OrderType.BEST, TimeInForce.FOK),
    "21": (OrderType.MIDPOINT, TimeInForce.DAY),
    "22": (OrderType.STOP_LIMIT, TimeInForce.DAY),
    "23": (OrderType.MIDPOINT, TimeInForce.IOC),
    "24": (OrderType.MIDPOINT, TimeInForce.FOK),
}
DVSN_OF: dict[tuple[OrderType, TimeInForce], str] = {v: k for k, v in ORD_DVSN.items()}
#: 모의투자 serves only 00-04 (05-07, 11-16 and the rest are "모의투자 미지원").
MOCK_ORD_DVSN = frozenset({"00", "01", "02", "03", "04"})

#: The unverified 2026-09-14 KRX after-market codes (§4.9): kept behind a switch, off by default.
AFTER_MARKET_ORD_DVSN: dict[str, tuple[OrderType, TimeInForce]] = {
    "41": (OrderType.LIMIT, TimeInForce.DAY),
    "42": (OrderType.LIMIT, TimeInForce.IOC),
    "43": (OrderType.LIMIT, TimeInForce.FOK),
    "44": (OrderType.BEST, TimeInForce.DAY),
    "45": (OrderType.BEST, TimeInForce.IOC),
    "46": (OrderType.BEST, TimeInForce.FOK),
    "47": (OrderType.TOP, TimeInForce.DAY),
}

#: Which ORD_DVSN codes each venue takes (§4.9 table).
VENUE_ORD_DVSN = {
    "KRX": frozenset(ORD_DVSN),
    "NXT": frozenset({"00", "03", "04", "11", "12", "13", "14", "15", "16", "21", "22", "23", "24"}),
    "SOR": frozenset({"00", "01", "03", "04", "11", "12", "13", "14", "15", "16"}),
}

#: ord_dvsn_name in inquiries.
ORD_DVSN_NAME = {
    "00": "지정가", "01": "시장가", "02": "조건부지정가", "03": "최유리지정가", "04": "최우선지정가",
    "05": "장전시간외", "06": "장후시간외", "07": "시간외단일가", "11": "IOC지정가", "12": "FOK지정가",
    "13": "IOC시장가", "14": "FOK시장가", "15": "IOC최유리", "16": "FOK최유리", "21": "중간가",
    "22": "스톱지정가", "23": "중간가IOC", "24": "중간가FOK",
    "41": "애프터마켓지정가", "42": "애프터마켓IOC지정가", "43": "애프터마켓FOK지정가",
    "44": "애프터마켓최유리", "45": "애프터마켓IOC최유리", "46": "애프터마켓FOK최유리",
    "47": "애프터마켓최우선",
}

#: ODER_COND in notices.
ODER_COND = {TimeInForce.DAY: "0", TimeInForce.IOC: "1", TimeInForce.FOK: "2"}
#: ORD_EXG_GB in notices.
ORD_EXG_GB = {"KRX": "1", "NXT": "2", "SOR": "3"}

#: KRX_FWDG_ORD_ORGNO / BRNC_NO of orders placed through the API.
BRANCH = {REAL: "06010", MOCK: "00950"}

# ---------------------------------------------------------------- messages


@dataclass(frozen=True, slots=True)
class Msg:
    rt_cd: str
    msg_cd: str
    msg1: str


class Outcome(enum.Enum):
    """Business outcomes of orders and inquiries, named independently of either domain."""

    ORDER_OK = "order_ok"
    BUY_OK = "buy_ok"
    SELL_OK = "sell_ok"
    AMEND_OK = "amend_ok"
    CANCEL_OK = "cancel_ok"
    NOTHING_TO_CANCEL = "nothing_to_cancel"
    INSUFFICIENT_CASH = "insufficient_cash"
    NO_HOLDINGS = "no_holdings"
    INSUFFICIENT_HOLDINGS = "insufficient_holdings"
    BAD_TICK = "bad_tick"
    ABOVE_UPPER = "above_upper"
    BELOW_LOWER = "below_lower"
    UNKNOWN_SYMBOL = "unknown_symbol"
    UNTRADABLE = "untradable"
    HALTED = "halted"
    HALTED_AMEND = "halted_amend"
    BEFORE_OPEN = "before_open"
    MARKET_CLOSED = "market_closed"
    NOT_TRADING_DAY = "not_trading_day"
    BAD_QUANTITY = "bad_quantity"
    PRICE_REQUIRED = "price_required"
    ORDER_TYPE_NOT_ALLOWED = "order_type_not_allowed"
    VENUE_NOT_ALLOWED = "venue_not_allowed"
    AMEND_QTY_INCREASE = "amend_qty_increase"
    ORDER_NOT_FOUND = "order_not_found"
    MOCK_UNSUPPORTED = "mock_unsupported"
    BAD_ACCOUNT = "bad_account"
    INQUIRY_OK = "inquiry_ok"
    INQUIRY_MORE = "inquiry_more"
    INQUIRY_LAST = "inquiry_last"
    QUOTE_OK = "quote_ok"
    INFO_OK = "info_ok"
    CURSOR_STALE = "cursor_stale"


O = Outcome

#: Codes and texts the spec gives for them (§3.2, §4.2, §4.3, §6.3).
REAL_MESSAGES: dict[Outcome, Msg] = {
    O.ORDER_OK: Msg("0", "APBK0013", "주문 전송 완료 되었습니다."),
    O.INSUFFICIENT_CASH: Msg("7", "APBK0952", "주문가능금액을 초과 했습니다"),
    O.ABOVE_UPPER: Msg("1", "APBK0406", "주문가격이 상한가를 초과합니다"),
    # The code is the spec's; its text is how clients describe it (the server's text is not known).
    O.UNKNOWN_SYMBOL: Msg("7", "APBK0656", "해당 종목 정보가 없습니다."),
    O.BEFORE_OPEN: Msg("1", "APBK0919", "장운영시간이 아닙니다."),
    O.MARKET_CLOSED: Msg("1", "APBK0919", "장운영시간이 아닙니다."),
    O.NOT_TRADING_DAY: Msg("1", "APBK0919", "장운영시간이 아닙니다."),
    O.HALTED_AMEND: Msg("1", "APBK0066", "거래정지종목(주식)은 취소주문만 가능(정정불가)합니다."),
    O.INQUIRY_OK: Msg("0", "KIOK0510", "조회가 완료되었습니다"),
    O.INQUIRY_MORE: Msg("0", "KIOK0500", "조회가 계속됩니다..다음버튼을 Click 하십시오."),
    O.INQUIRY_LAST: Msg("0", "KIOK0460", "조회 되었습니다. (마지막 자료)"),
    O.QUOTE_OK: Msg("0", "MCA00000", "정상처리 되었습니다."),
    O.INFO_OK: Msg("0", "KIOK0530", "조회되었습니다"),
    O.CURSOR_STALE: Msg("7", "SYDB0050", "조회이후에 자료가 변경되었습니다.(다시 조회하세요)"),
    O.BAD_ACCOUNT: Msg("2", "OPSQ2000", "ERROR : INPUT INVALID_CHECK_ACNO"),
    # UNVERIFIED below: the spec knows the text (or its gist) but no real code. APBK0918 is the
    # generic, overloaded order-refusal code (§6.3); APBK1234 is the one third-party guess.
    O.NOTHING_TO_CANCEL: Msg("7", "APBK0918", "정정/취소할 수량이 없습니다."),
    O.NO_HOLDINGS: Msg("7", "APBK1234", "매도가능수량이 부족합니다."),
    O.INSUFFICIENT_HOLDINGS: Msg("7", "APBK1234", "매도가능수량이 부족합니다."),
    O.BAD_TICK: Msg("1", "APBK0918", "주식주문호가단위 오류입니다."),
    O.BELOW_LOWER: Msg("1", "APBK0918", "주문가격이 하한가 미만입니다"),
    O.UNTRADABLE: Msg("1", "APBK0918", "매매불가 종목입니다."),
    O.HALTED: Msg("1", "APBK0918", "거래정지 종목입니다."),
    O.BAD_QUANTITY: Msg("1", "APBK0918", "주문 수량을 확인해주세요."),
    O.PRICE_REQUIRED: Msg("1", "APBK0918", "주문단가를 확인해주세요."),
    O.ORDER_TYPE_NOT_ALLOWED: Msg("1", "APBK0918", "주문구분을 확인해주세요."),
    O.VENUE_NOT_ALLOWED: Msg("1", "APBK0918", "거래소구분을 확인해주세요."),
    O.AMEND_QTY_INCREASE: Msg("1", "APBK0918", "정정수량이 원주문 잔량을 초과합니다."),
    O.ORDER_NOT_FOUND: Msg("7", "APBK0918", "원주문번호를 확인해주세요."),
    O.MOCK_UNSUPPORTED: Msg("1", "MCA00124", "해당 서비스를 찾을수 없습니다."),
}

MOCK_MESSAGES: dict[Outcome, Msg] = {
    O.BUY_OK: Msg("0", "40600000", "모의투자 매수주문이 완료 되었습니다."),
    O.SELL_OK: Msg("0", "40590000", "모의투자 매도주문이 완료 되었습니다."),
    O.AMEND_OK: Msg("0", "40620000", "모의투자 정정주문이 완료 되었습니다."),
    O.CANCEL_OK: Msg("0", "40630000", "모의투자 취소주문이 완료 되었습니다."),
    O.NOTHING_TO_CANCEL: Msg("1", "40330000", "모의투자 정정/취소할 수량이 없습니다."),
    O.INSUFFICIENT_CASH: Msg("1", "40250000", "모의투자 주문가능금액이 부족합니다."),
    # Widely logged by mock users for a sell without holdings (the spec's text is "not known").
    O.NO_HOLDINGS: Msg("1", "40240000", "모의투자 잔고내역이 없습니다."),
    O.BAD_TICK: Msg("1", "40030000", "모의투자 주문처리가 안되었습니다(호가단위 오류)"),
    O.UNTRADABLE: Msg("1", "40070000", "모의투자 주문처리가 안되었습니다(매매불가 종목)"),
    O.UNKNOWN_SYMBOL: Msg("1", "40070000", "모의투자 주문처리가 안되었습니다(매매불가 종목)"),
    O.MARKET_CLOSED: Msg("1", "40580000", "모의투자 장종료 입니다."),
    O.BEFORE_OPEN: Msg("1", "40570000", "모의투자 장시작전 입니다."),
    O.NOT_TRADING_DAY: Msg("1", "40100000", "모의투자 영업일이 아닙니다."),
    O.INQUIRY_OK: Msg("0", "20310000", "모의투자 조회가 완료되었습니다."),
    O.INQUIRY_MORE: Msg("0", "20310000", "모의투자 조회가 완료되었습니다."),
    O.INQUIRY_LAST: Msg("0", "20310000", "모의투자 조회가 완료되었습니다."),
    O.QUOTE_OK: Msg("0", "MCA00000", "정상처리 되었습니다."),
    O.CURSOR_STALE: Msg("7", "SYDB0050", "조회이후에 자료가 변경되었습니다.(다시 조회하세요)"),
    O.BAD_ACCOUNT: Msg("2", "OPSQ2000", "ERROR : INPUT INVALID_CHECK_ACNO"),
    # Seen for mock-unsupported services (inquire-psbl-rvsecncl, overseas orders) in client fixtures.
    O.MOCK_UNSUPPORTED: Msg("1", "90000000", "모의투자에서는 해당업무가 제공되지 않습니다."),
    # UNVERIFIED below (§6.3 gives the gist or an example only).
    O.INSUFFICIENT_HOLDINGS: Msg("1", "40240000", "모의투자 잔고내역이 없습니다."),
    O.ABOVE_UPPER: Msg("1", "40040000", "모의투자 주문처리가 안되었습니다(가격이 상한가를 초과하였습니다.)"),
    O.BELOW_LOWER: Msg("1", "40050000", "모의투자 주문처리가 안되었습니다(가격이 하한가 미만입니다.)"),
    O.HALTED: Msg("1", "40070000", "모의투자 주문처리가 안되었습니다(매매불가 종목)"),
    O.HALTED_AMEND: Msg("1", "40070000", "모의투자 주문처리가 안되었습니다(매매불가 종목)"),
    O.BAD_QUANTITY: Msg("1", "40080000", "모의투자 주문처리가 안되었습니다(주문수량 오류)"),
    O.PRICE_REQUIRED: Msg("1", "40090000", "모의투자 주문처리가 안되었습니다(주문단가 오류)"),
    O.ORDER_TYPE_NOT_ALLOWED: Msg("1", "90000000", "모의투자에서는 해당업무가 제공되지 않습니다."),
    O.VENUE_NOT_ALLOWED: Msg("1", "90000000", "모의투자에서는 해당업무가 제공되지 않습니다."),
    O.AMEND_QTY_INCREASE: Msg("1", "40330000", "모의투자 정정/취소할 수량이 없습니다."),
    O.ORDER_NOT_FOUND: Msg("1", "40330000", "모의투자 정정/취소할 수량이 없습니다."),
    O.INFO_OK: Msg("0", "KIOK0530", "조회되었습니다"),
}


@dataclass
class Messages:
    """The message table in use; ``overrides`` replaces entries once a real code is confirmed."""

    overrides: dict[tuple[Domain, Outcome], Msg] = field(default_factory=dict)

    def get(self, domain: Domain, outcome: Outcome) -> Msg:
        hit = self.overrides.get((domain, outcome))
        if hit is not None:
            return hit
        table = REAL_MESSAGES if domain is REAL else MOCK_MESSAGES
        if outcome in table:
            return table[outcome]
        if domain is REAL and outcome in (O.BUY_OK, O.SELL_OK, O.AMEND_OK, O.CANCEL_OK):
            return REAL_MESSAGES[O.ORDER_OK]
        raise KeyError(f"no {domain.value} message for {outcome.value}")


# ---------------------------------------------------------------- gateway errors (§6.2)

@dataclass(frozen=True, slots=True)
class GatewayError:
    status: int
    msg_cd: str
    msg1: str
    rt_cd: str = "1"


RATE_LIMITED = GatewayError(500, "EGW00201", "초당 거래건수를 초과하였습니다.")
TOKEN_INVALID = GatewayError(500, "EGW00121", "유효하지 않은 token 입니다.")
TOKEN_EXPIRED = GatewayError(500, "EGW00123", "기간이 만료된 token 입니다.")
BAD_SCHEME = GatewayError(500, "EGW00205", "credentials_type이 유효하지 않습니다.(Bearer)")
APPKEY_REQUIRED = GatewayError(500, "EGW00102", "AppKey는 필수입니다.")
APPKEY_INVALID = GatewayError(500, "EGW00103", "유효하지 않은 AppKey입니다.")
APPSECRET_REQUIRED = GatewayError(500, "EGW00104", "AppSecret은 필수입니다.")
APPSECRET_INVALID = GatewayError(500, "EGW00105", "유효하지 않은 AppSecret입니다.")
BAD_CUSTTYPE = GatewayError(500, "EGW00208", "고객유형(custtype)이 유효하지 않습니다.")
WRONG_DOMAIN = GatewayError(500, "EGW02004", "실전투자 도메인은 모의투자 앱키로 호출하실 수 없습니다.")
NOT_MOCK_TR = GatewayError(500, "EGW02006", "모의투자 TR 이 아닙니다.")
NO_SERVICE = GatewayError(500, "MCA00124", "해당 서비스를 찾을수 없습니다.")
#: OPSQ9995-9999 in the order the spec lists their texts.
BODY_NOT_FOUND = GatewayError(500, "OPSQ9995", "JSON PARSING ERROR : body not found")
HEADER_NOT_FOUND = GatewayError(500, "OPSQ9996", "JSON PARSING ERROR : header not found")
BAD_JSON = GatewayError(500, "OPSQ9997", "JSON PARSING ERROR : invalid json format")
TR_ID_NOT_FOUND = GatewayError(500, "OPSQ9999", "JSON PARSING ERROR : tr_id not found")

#: The token endpoint's own envelope (§2.1): HTTP 403, error_code / error_description.
TOKEN_RATE = ("EGW00133", "접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)")
TOKEN_APPKEY_REQUIRED = ("EGW00102", "AppKey는 필수입니다.")
TOKEN_APPKEY_INVALID = ("EGW00103", "유효하지 않은 AppKey입니다.")
TOKEN_APPSECRET_REQUIRED = ("EGW00104", "AppSecret은 필수입니다.")
TOKEN_APPSECRET_INVALID = ("EGW00105", "유효하지 않은 AppSecret입니다.")
TOKEN_GRANT_INVALID = ("EGW00205", "credentials_type이 유효하지 않습니다.(Bearer)")
TOKEN_TOKEN_INVALID = ("EGW00121", "유효하지 않은 token 입니다.")

REVOKE_OK = (200, "접근토큰 폐기에 성공하였습니다")

INPUT_INVALID_INQR_DVSN = Msg("2", "OPSQ2001", "ERROR : INPUT INVALID_CHECK_INQR_DVSN")
INPUT_INVALID_MRKT_DIV = Msg("2", "OPSQ2001", "ERROR : INPUT INVALID_CHECK_MRKT_DIV_CODE")
INPUT_FIELD_LENGTH = Msg("2", "OPSQ2002", "ERROR : INPUT INVALID_CHECK_FIELD_LENGTH")


def inquiry_ok(domain: Domain) -> Msg:
    return REAL_MESSAGES[O.INQUIRY_OK] if domain is REAL else MOCK_MESSAGES[O.INQUIRY_OK]


# ---------------------------------------------------------------- WebSocket control codes (§5.2)

@dataclass(frozen=True, slots=True)
class WsMsg:
    rt_cd: str
    msg_cd: str
    msg1: str


WS_SUBSCRIBED = WsMsg("0", "OPSP0000", "SUBSCRIBE SUCCESS")
WS_UNSUBSCRIBED = WsMsg("0", "OPSP0001", "UNSUBSCRIBE SUCCESS")
WS_ALREADY = WsMsg("1", "OPSP0002", "ALREADY IN SUBSCRIBE")
WS_NOT_FOUND = WsMsg("1", "OPSP0003", "UNSUBSCRIBE ERROR (not found!)")
WS_INTERNAL = WsMsg("1", "OPSP0007", "SUBSCRIBE INTERNAL ERROR")
WS_MAX = WsMsg("1", "OPSP0008", "MAX SUBSCRIBE OVER")
WS_BAD_APPKEY = WsMsg("1", "OPSP0010", "invalid appkey : NOT FOUND")
WS_BAD_APPROVAL = WsMsg("1", "OPSP0011", "invalid approval : NOT FOUND")
WS_BAD_TR_ID = WsMsg("1", "OPSP8991", "SUBSCRIBE ERROR : invalid tr_id")
WS_BAD_TR_KEY = WsMsg("1", "OPSP8992", "SUBSCRIBE ERROR : invalid tr_key")
WS_IN_USE = WsMsg("1", "OPSP8996", "ALREADY IN USE appkey")
WS_BAD_TR_TYPE = WsMsg("1", "OPSP8997", "JSON PARSING ERROR : invalid tr_type")
WS_BAD_CUSTTYPE = WsMsg("1", "OPSP8998", "JSON PARSING ERROR : invalid custtype")
WS_NO_TR_KEY = WsMsg("1", "OPSP9990", "JSON PARSING ERROR : tr_key not found")
WS_NO_INPUT = WsMsg("1", "OPSP9991", "JSON PARSING ERROR : input not found")
WS_NO_BODY = WsMsg("1", "OPSP9992", "JSON PARSING ERROR : body not found")
WS_NO_APPKEY = WsMsg("1", "OPSP9996", "JSON PARSING ERROR : appkey not found")
WS_NO_HEADER = WsMsg("1", "OPSP9998", "JSON PARSING ERROR : header not found")
WS_BAD_JSON = WsMsg("1", "OPSP9999", "JSON PARSING ERROR : invalid json format")
