"""KIS 공모주청약일정: the client against the simulator's KIS front, and the merge with 38.co.kr."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from lucy_tui.brokers.base import NotSupported
from lucy_tui.brokers.kis import KisBroker, KisSettings
from lucy_tui.brokers.kis.codes import Domain
from lucy_tui.brokers.kis.pub_offer import PublicOffer, offer, pub_offers
from lucy_tui.clock import KST, ManualClock
from lucy_tui.sim.kis.front import KisOptions
from lucy_tui.sim.server import SimServer
from lucy_tui.sources import ipo_kis
from lucy_tui.sources.fetch import Fetcher
from lucy_tui.sources.jobs import IpoSource
from lucy_tui.sources.models import ScheduleRow
from lucy_tui.sources.store import IpoStore

DAY = datetime(2026, 12, 1, 10, 0, tzinfo=KST)


@pytest.fixture
async def sim():
    async with SimServer(seed=3, market=False, clock=ManualClock(DAY), pages=True,
                         kis_options=KisOptions(rate_limits={Domain.REAL: 50, Domain.MOCK: 50})) as s:
        yield s


def broker(sim, tmp_path, env: str) -> KisBroker:
    cred = sim.credentials["kis"][env]
    accounts = tuple(KisSettings.make_account(n) for n in cred["accounts"])
    settings = KisSettings(app_key=cred["app_key"], app_secret=cred["app_secret"],
                           hts_id=cred["hts_id"], accounts=accounts, env=env,
                           rest_url=sim.urls["kis"]["rest"], token_dir=tmp_path / env,
                           rate_limit=50, allow_real=env == "real")
    return KisBroker(settings, clock=sim.clock)


async def test_real_session_reads_every_page(sim, tmp_path):
    kis = broker(sim, tmp_path, "real")
    seen = []

    async def hook(response):
        if response.url.path.endswith("pub-offer"):
            seen.append(response.headers.get("tr_cont"))

    kis.rest.http.event_hooks["response"].append(hook)
    try:
        offers = await pub_offers(kis.rest, DAY.date() - timedelta(days=40), DAY.date() + timedelta(days=40))
    finally:
        await kis.rest.http.aclose()
    assert len(offers) == 12                    # 5 + 5 + 2 rows: two "M" answers, then "D"
    assert seen == ["M", "M", "D"]
    signal = next(o for o in offers if o.name == "사이냅소프트")
    assert signal.code == "402124" and signal.final_price == 24500
    assert signal.subscription_start == DAY.date() and signal.lead_manager == "NH투자증권"
    assert signal.payment is not None and signal.refund == signal.payment


async def test_mock_session_is_told_the_endpoint_is_real_only(sim, tmp_path):
    kis = broker(sim, tmp_path, "mock")
    try:
        with pytest.raises(NotSupported, match="real KIS host only"):
            await pub_offers(kis.rest, DAY.date(), DAY.date())
    finally:
        await kis.rest.http.aclose()


async def test_the_simulator_refuses_the_tr_on_the_mock_domain_as_kis_does(sim, tmp_path):
    kis = broker(sim, tmp_path, "mock")
    token = await kis.rest.tokens.get(kis.rest.issue_token)
    headers = kis.rest.headers("HHKDB669108C0", token.header)
    async with httpx.AsyncClient() as http:
        resp = await http.get(sim.urls["kis"]["rest"] + "/uapi/domestic-stock/v1/ksdinfo/pub-offer",
                              params={"F_DT": "20261201", "T_DT": "20261231", "SHT_CD": "", "CTS": ""},
                              headers=headers)
    await kis.rest.http.aclose()
    assert resp.json()["rt_cd"] != "0"


def test_wire_row_mapping_blanks_and_padding():
    row = {"record_date": "20261201", "sht_cd": "402124", "isin_name": "사이냅소프트",
           "fix_subscr_pri": "       24500", "face_value": "500",
           "subscr_dt": "2026/12/01 ~ 2026/12/02", "pay_dt": "2026/12/04", "refund_dt": "2026/12/04",
           "list_dt": "", "lead_mgr": "NH투자증권"}
    o = offer(row)
    assert (o.final_price, o.subscription_start, o.subscription_end) == (24500, date(2026, 12, 1), date(2026, 12, 2))
    assert o.listing is None and o.face_value == 500
    assert offer({"sht_cd": "1", "fix_subscr_pri": "   ", "subscr_dt": ""}).final_price is None


def test_merge_prefers_kis_dates_and_keeps_38_book_building():
    row = ScheduleRow(no=2124, name="사이냅소프트", kospi=False, status=None,
                      subscription_start=date(2026, 12, 1), subscription_end=date(2026, 12, 2),
                      final_price=None, band_low=21000, band_high=24500, competition=None,
                      underwriters=("NH투자증권",), spac=False)
    kis = PublicOffer(code="402124", name="사이냅 소프트", record_date=None, final_price=24500,
                      face_value=500, subscription_start=date(2026, 12, 2),
                      subscription_end=date(2026, 12, 3), payment=date(2026, 12, 7),
                      refund=date(2026, 12, 7), listing=date(2026, 12, 11), lead_manager="NH투자증권")
    other = PublicOffer(code="499999", name="다른회사", record_date=None, final_price=None,
                        face_value=None, subscription_start=date(2026, 12, 20), subscription_end=None,
                        payment=None, refund=None, listing=None, lead_manager=None)
    merged = ipo_kis.merge([row], {}, [kis, other])
    assert [r.name for r in merged] == ["다른회사", "사이냅소프트"]
    signal = merged[1]
    assert signal.sources == ("38", "kis") and signal.code == "402124"
    assert signal.subscription_start == date(2026, 12, 2) and signal.listing == date(2026, 12, 11)
    assert (signal.band_low, signal.band_high, signal.final_price) == (21000, 24500, 24500)
    assert merged[0].sources == ("kis",)


async def test_ipo_refresh_with_a_kis_session_on_the_demo_simulator(sim, tmp_path):
    kis = broker(sim, tmp_path, "real")
    fetcher = Fetcher(min_interval=0, jitter=0, retries=0, timeout=2)
    source = IpoSource(fetcher, IpoStore(tmp_path / "ipo.json"), base_url=sim.urls["pages"]["38"],
                       clock=sim.clock, kis=lambda a, b: pub_offers(kis.rest, a, b))
    try:
        outcome = await source.refresh()
    finally:
        await fetcher.aclose()
        await kis.rest.http.aclose()
    assert outcome.ok and "KIS: 12 offerings, 12 in the calendar" in outcome.message
    records = source.store.data.records
    assert len(records) == 12 and all(r.sources == ("38", "kis") for r in records)
    assert next(r for r in records if r.name == "사이냅소프트").institutional_competition \
        == Decimal("951.52")
