"""38.co.kr and judal.co.kr, served offline: the pages Lucy's scrapers read, built around the real
captured markup (tests/fixtures/html) and filled with the demo calendar of :mod:`.ipo_demo`.

Two aiohttp apps on two ports, because the real sites are two hosts: 38.co.kr answers
``/html/fund/index.htm`` (and ``/html/fund/``) with ``o=k``, ``o=v&no=N`` and ``o=nw`` in EUC-KR
(cp949) bytes, as the real site does; judal answers ``/`` and ``/?view=themeList`` and
``/?view=stockList&themeIdx=N`` in UTF-8, in its 2026-10 markup (or the older one with
``judal_markup="2024"``).

Fault hooks (:meth:`PagesFront.fault`) make a site answer as it does on a bad day: ``"522"``
(Cloudflare origin unreachable), ``"timeout"`` (no answer until released), ``"blocked"`` (403),
``"empty"`` (200 with an empty body) and ``"markup"`` (the page without the tables and links the
parsers look for). Another process (``lucy sim --pages``) sets them by POSTing JSON to
``/__sim/faults`` on the site: ``{"fault": "522", "times": 2}`` or ``{"action": "clear"}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
from dataclasses import dataclass
from datetime import date
from typing import Callable

from aiohttp import web

from ..clock import Clock, SystemClock
from . import ipo_demo
from .ipo_demo import DemoOffering, DemoStock, DemoTheme

SITES = ("38", "judal")
FAULTS_PATH = "/__sim/faults"
FAULT_KINDS = ("522", "timeout", "blocked", "empty", "markup")

_STATUS_COLOUR = {"upcoming": "#0066CC", "open": "#E3231E", "done": "#333333"}
_HEAD_38 = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr">'
            '<title>38커뮤니케이션 - IPO 공모주</title></head><body>'
            '<table width="100%"><tr><td class="menu">IPO 메인 | 수요예측일정 | 공모주 청약일정 | '
            '신규상장</td></tr></table>')


@dataclass
class _Fault:
    kind: str
    times: int | None     # None: until cleared


class PagesFront:
    """The two sites' pages. ``today`` comes from the clock, so the demo calendar moves with it."""

    def __init__(self, clock: Clock | None = None, *, page_size: int = 30,
                 judal_markup: str = "2026", stall_seconds: float = 30.0):
        self.clock = clock or SystemClock()
        self.page_size = page_size
        self.judal_markup = judal_markup
        self.stall_seconds = stall_seconds
        self._faults: dict[str, _Fault] = {}
        self._release = asyncio.Event()
        self.hits: dict[str, int] = {site: 0 for site in SITES}
        self._runners: list[web.AppRunner] = []
        self.urls: dict[str, str] = {}
        #: Replace to serve other data (tests): today → offerings / themes.
        self.offerings: Callable[[date], list[DemoOffering]] = ipo_demo.offerings
        self.themes: Callable[[date], list[DemoTheme]] = ipo_demo.themes
        #: robots.txt per site; a site without an entry answers 404 (no rules), as is common.
        self.robots: dict[str, str] = {}

    # ------------------------------------------------------------ faults

    def fault(self, site: str, kind: str, times: int | None = None) -> None:
        """Make ``site`` ("38" or "judal") answer with ``kind`` for ``times`` requests (None: until
        :meth:`clear`)."""
        if site not in SITES:
            raise ValueError(f"unknown site {site!r}: use one of {SITES}")
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}: use one of {FAULT_KINDS}")
        self._faults[site] = _Fault(kind, times)
        self._release.clear()

    def clear(self, site: str | None = None) -> None:
        for name in [site] if site else list(self._faults):
            self._faults.pop(name, None)
        self._release.set()

    def _take(self, site: str) -> str | None:
        fault = self._faults.get(site)
        if fault is None:
            return None
        if fault.times is not None:
            fault.times -= 1
            if fault.times <= 0:
                del self._faults[site]
        return fault.kind

    async def _faulty(self, site: str) -> web.Response | None:
        self.hits[site] += 1
        kind = self._take(site)
        if kind == "522":
            return web.Response(status=522, text="<html><body>Error 522: Connection timed out"
                                "</body></html>", content_type="text/html")
        if kind == "blocked":
            return web.Response(status=403, text="Access denied", content_type="text/html")
        if kind == "empty":
            return web.Response(status=200, body=b"", content_type="text/html")
        if kind == "timeout":
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._release.wait(), self.stall_seconds)
            return web.Response(status=504, text="stalled", content_type="text/html")
        if kind == "markup":
            return self._changed_markup(site)
        return None

    def _changed_markup(self, site: str) -> web.Response:
        if site == "38":
            body = (_HEAD_38 + '<table summary="공모일정표"><tr><td>새 디자인</td></tr></table>'
                    '</body></html>')
            return web.Response(body=body.encode("cp949"),
                                content_type="text/html", charset="euc-kr")
        return web.Response(text='<html><body><ul><li><span>여행(9)</span></li></ul></body></html>',
                            content_type="text/html")

    # ------------------------------------------------------------ lifecycle

    async def start(self, host: str = "127.0.0.1", ports: tuple[int, int] = (0, 0)) -> dict[str, str]:
        for site, port, install in (("38", ports[0], self._install_38),
                                    ("judal", ports[1], self._install_judal)):
            app = web.Application()
            install(app)
            runner = web.AppRunner(app, access_log=None, handler_cancellation=True,
                                   shutdown_timeout=1.0)
            await runner.setup()
            await web.TCPSite(runner, host, port).start()
            self._runners.append(runner)
            url_host = "127.0.0.1" if host in ("", "0.0.0.0") else host
            self.urls[site] = f"http://{url_host}:{runner.addresses[0][1]}"
        return dict(self.urls)

    async def stop(self) -> None:
        self._release.set()
        for runner in reversed(self._runners):
            await runner.cleanup()
        self._runners.clear()

    async def __aenter__(self) -> PagesFront:
        await self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    def today(self) -> date:
        return self.clock.now().date()

    # ------------------------------------------------------------ 38.co.kr

    def _install_38(self, app: web.Application) -> None:
        app.router.add_get("/html/fund/index.htm", self._fund)
        app.router.add_get("/html/fund/", self._fund)
        app.router.add_get("/robots.txt", self._robots_38)
        app.router.add_post(FAULTS_PATH, self._faults_38)

    async def _fund(self, request: web.Request) -> web.Response:
        faulty = await self._faulty("38")
        if faulty is not None:
            return faulty
        view = request.query.get("o", "")
        page = _int(request.query.get("page"), 1)
        if view == "k":
            body = self.schedule_page(page)
        elif view == "nw":
            body = self.listings_page(page)
        elif view == "v":
            body = self.detail_page(_int(request.query.get("no"), 0))
        else:
            body = _HEAD_38 + "<p>IPO</p></body></html>"
        return web.Response(body=body.encode("cp949", errors="replace"),
                            content_type="text/html", charset="euc-kr")

    def _status(self, o: DemoOffering) -> str:
        today = self.today()
        if today < o.start:
            return "upcoming"
        return "open" if today <= o.end else "done"

    def schedule_page(self, page: int) -> str:
        rows = self.offerings(self.today())[(page - 1) * self.page_size: page * self.page_size]
        out = [_HEAD_38, '<table bgcolor="#FFFFFF" border="0" cellpadding="3" cellspacing="0" '
               'summary="공모주 청약일정" width="100%">\n<thead>\n<tr bgcolor="ECF0F9">\n'
               '<th height="35" width="*"> 종목명 </th>\n<th width="15%"> 공모주일정 </th>\n'
               '<th width="12%"> 확정공모가 </th>\n<th width="15%"> 희망공모가 </th>\n'
               '<th width="12%"> <b>청약경쟁률 </b></th>\n<th width="16%"> 주간사 </th>\n'
               '<th align="center" width="28"> <b>분석</b> </th>\n</tr>\n'
               '<tr> <td colspan="8" style="border-top:#CCD3DD 1px solid;"></td></tr>\n'
               '</thead>\n<tbody>\n']
        for i, o in enumerate(rows):
            kospi = '<font color="660000">(유가)</font>' if o.kospi else ""
            final = f"{o.final_price:,}" if o.final_price else "-"
            ratio = f"{o.competition:,}:1" if o.competition is not None else ""
            out.append(
                f'<tr bgcolor="{"#FFFFFF" if i % 2 == 0 else "#F8F8F8"}">\n'
                f'<td height="30">&nbsp;<a href="/html/fund/?o=v&amp;no={o.no}&amp;l=&amp;page={page}">'
                f'<font color="{_STATUS_COLOUR[self._status(o)]}">{html.escape(o.name)}</font>'
                f'{kospi}</a></td>\n'
                f'<td> {o.start:%Y.%m.%d}~{o.end:%m.%d} </td>\n<td align="center">{final} </td>\n'
                f'<td align="center">{o.band_low:,}~{o.band_high:,} </td>\n'
                f'<td align="center">{ratio} </td>\n<td>{",".join(o.underwriters)}</td>\n'
                f'<td align="center"><a href="/html/fund/index.htm?o=v&amp;no={o.no}&amp;l=&amp;'
                f'page={page}"><img alt="분석보기" border="0" height="14" '
                f'src="/images/2008/ipo/btn_bunsuk.gif" width="23"/></a></td>\n</tr>\n')
        out.append("</tbody>\n</table></body></html>")
        return "".join(out)

    def listings_page(self, page: int) -> str:
        today = self.today()
        listed = [o for o in self.offerings(today) if o.listing is not None and o.listing <= today]
        rows = listed[(page - 1) * self.page_size: page * self.page_size]
        out = [_HEAD_38, '<table summary="신규상장종목" width="100%" cellpadding="3">'
               '<tr bgcolor="ECF0F9"><th>기업명</th><th>신규상장일</th><th>현재가(원)</th>'
               '<th>전일비(%)</th><th>공모가(원)</th><th>공모가대비등락률(%)</th><th>시초가(원)</th>'
               '<th>시초/공모(%)</th><th>첫날종가(원)</th></tr>'
               '<tr><td colspan="9"></td></tr>']
        for o in rows:
            offer = o.final_price or o.band_high
            price = o.first_close or offer
            kospi = '<font color="660000">(유가)</font>' if o.kospi else ""
            out.append(
                f'<tr><td height="30">&nbsp;<a href="./?o=v&amp;no={o.no}&amp;l=&amp;page=1">'
                f'<font color="#333333">{html.escape(o.name)}{kospi}</font></a></td>'
                f'<td align="center">{o.listing:%Y/%m/%d}</td><td align="right">{price:,}</td>'
                f'<td align="right">{_pct(0, 1)}</td><td align="right">{offer:,}</td>'
                f'<td align="right">{_pct(price - offer, offer)}</td>'
                f'<td align="right">{(o.first_open or 0):,}</td>'
                f'<td align="right">{_pct((o.first_open or offer) - offer, offer)}</td>'
                f'<td align="right">{(o.first_close or 0):,}</td></tr>')
        out.append("</table></body></html>")
        return "".join(out)

    def detail_page(self, no: int) -> str:
        o = next((x for x in self.offerings(self.today()) if x.no == no), None)
        if o is None:
            return _HEAD_38 + "<p>해당 정보가 없습니다</p></body></html>"
        market = "유가증권" if o.kospi else "코스닥"
        progress = "신규상장" if o.listing and o.listing <= self.today() else "공모주"
        final = f"{o.final_price:,}" if o.final_price else "-"
        amount = f"{(o.final_price or o.band_high) * o.shares // 1_000_000:,}"
        retail = f"{o.competition}:1" if o.competition is not None else ""
        listing = f"{o.listing:%Y.%m.%d}" if o.listing else ""
        inst = f"{o.institutional}:1" if o.institutional is not None and o.final_price else ""
        lockup = f"{o.lockup}%" if o.lockup is not None and o.final_price else "0.00%"
        forecast_start = ipo_demo.shift_trading_days(o.start, -5)
        forecast_end = ipo_demo.shift_trading_days(forecast_start, 1)

        def pair(label: str, value: str, label2: str = "", value2: str = "") -> str:
            second = (f'<td bgcolor="#F5F5F2" align="center">{label2}</td>'
                      f'<td bgcolor="#FFFFFF">&nbsp;{value2}</td>') if label2 else ""
            span = "" if label2 else ' colspan="3"'
            return (f'<tr><td height="25" bgcolor="#F5F5F2" align="center">{label}</td>'
                    f'<td bgcolor="#FFFFFF"{span}>&nbsp;{value}</td>{second}</tr>\n')

        parts = [_HEAD_38, '<table summary="기업개요" width="100%" border="0" cellspacing="1">\n',
                 pair("종목명", html.escape(o.name), "진행상황", progress),
                 pair("시장구분", market, "종목코드", o.code),
                 pair("업종", o.industry),
                 pair("매출액", "552,897 (백만원)", "순이익", "29,346 (백만원)"),
                 "</table>\n",
                 '<table summary="공모정보" width="100%" border="0" cellspacing="1">\n',
                 pair("총공모주식수", f"{o.shares:,} 주", "액면가", "500 원"),
                 pair("희망공모가액", f"{o.band_low:,} ~ {o.band_high:,}원",
                      "청약경쟁률", retail),
                 pair("확정공모가", f"<b>{final}</b> 원", "공모금액", f"{amount} (백만원)"),
                 f'<tr><td bgcolor="#F5F5F2" align="center">주간사</td>'
                 f'<td bgcolor="#FFFFFF">&nbsp;{",".join(o.underwriters)}</td>'
                 f'<td bgcolor="#FFFFFF">주식수:&nbsp;{o.shares // 10:,}&nbsp;주&nbsp;/&nbsp;'
                 f'청약한도:&nbsp;{o.shares // 100:,}&nbsp;주</td></tr>\n',
                 "</table>\n",
                 '<table summary="공모청약일정" width="100%" border="0" cellspacing="1">\n',
                 pair("수요예측일", f"{forecast_start:%Y.%m.%d} ~ {forecast_end:%Y.%m.%d}"),
                 pair("공모청약일", f"{o.start:%Y.%m.%d} ~&nbsp; {o.end:%Y.%m.%d}"),
                 pair("배정공고일(신문)", f"{o.payment:%Y.%m.%d}"),
                 pair("납입일", f"{o.payment:%Y.%m.%d}"),
                 pair("환불일", f"{o.refund:%Y.%m.%d}"),
                 pair("상장일", listing),
                 # The 수요예측결과 row as the real page has it (o-v_detail-row_demand-forecast…).
                 '<tr>\n<td align="center" bgcolor="#F1F4F7">수요예측결과</td>\n'
                 '<td colspan="4" bgcolor="#FFFFFF" align="left">\n'
                 '<table width="100%" border="0" cellspacing="1" cellpadding="0" bgcolor="#C2D2DF">'
                 '<tbody><tr>\n<td width="22%" bgcolor="#F5F5F2" align="center"><font color="#000000">'
                 f'기관경쟁률</font>&nbsp;</td>\n<td width="20%" bgcolor="FFFFFF" height="27" '
                 f'align="center">{inst}</td>\n<td width="20%" bgcolor="#F5F5F2" align="center">'
                 f'<font color="#000000">의무보유확약</font>&nbsp;</td>\n'
                 f'<td width="38%" bgcolor="FFFFFF" align="center">{lockup}</td>\n'
                 '</tr></tbody></table>\n</td>\n</tr>\n',
                 pair("신규상장일", listing, "현재가", "- 원 (%)"),
                 "</table></body></html>"]
        return "".join(parts)

    # ------------------------------------------------------------ judal

    def _install_judal(self, app: web.Application) -> None:
        app.router.add_get("/", self._judal)
        app.router.add_get("/robots.txt", self._robots_judal)
        app.router.add_post(FAULTS_PATH, self._faults_judal)

    async def _faults_38(self, request: web.Request) -> web.Response:
        return await self._fault_control("38", request)

    async def _faults_judal(self, request: web.Request) -> web.Response:
        return await self._fault_control("judal", request)

    async def _fault_control(self, site: str, request: web.Request) -> web.Response:
        try:
            body = await request.json()
            if not isinstance(body, dict):
                raise ValueError("expected a JSON object")
            if body.get("action") == "clear":
                self.clear(site)
            else:
                times = body.get("times")
                self.fault(site, str(body.get("fault")), None if times is None else int(times))
        except (ValueError, TypeError) as exc:
            return web.json_response({"ok": False, "error": str(exc)}, status=400)
        return web.json_response({"ok": True, "site": site,
                                  "fault": self._faults[site].kind if site in self._faults else None})

    async def _robots_38(self, request: web.Request) -> web.Response:
        return self._robots_txt("38")

    async def _robots_judal(self, request: web.Request) -> web.Response:
        return self._robots_txt("judal")

    def _robots_txt(self, site: str) -> web.Response:
        if site not in self.robots:
            return web.Response(status=404, text="Not Found")
        return web.Response(text=self.robots[site], content_type="text/plain")

    async def _judal(self, request: web.Request) -> web.Response:
        faulty = await self._faulty("judal")
        if faulty is not None:
            return faulty
        view = request.query.get("view", "")
        themes = self.themes(self.today())
        if view == "themeList":
            body = self.theme_list_page(themes)
        elif view == "stockList":
            idx = _int(request.query.get("themeIdx"), -1)
            theme = next((t for t in themes if t.idx == idx), None)
            body = self.stock_page(theme)
        else:
            body = self.home_page(themes)
        return web.Response(text=body, content_type="text/html", charset="utf-8")

    def _base(self) -> str:
        return self.urls.get("judal", "https://www.judal.co.kr")

    def home_page(self, themes: list[DemoTheme]) -> str:
        items = []
        for t in themes:
            href = f"{self._base()}/?view=stockList&amp;themeIdx={t.idx}"
            if self.judal_markup == "2024":
                items.append(f'<a class="list-group-item list-group-item-action" href="{href}">'
                             f'<span>{html.escape(t.name)}({len(t.stocks)})</span></a>')
            else:
                items.append(f'<li data-cat="mid" data-score="42"><a href="{href}">'
                             f'{html.escape(t.name)}<span>({len(t.stocks)})</span></a></li>')
        return ('<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>주달</title></head>'
                '<body><nav><ul>' + "".join(items) + '</ul></nav><main>로봇이 아닙니다 — '
                '차단 안내 없음</main></body></html>')

    def theme_list_page(self, themes: list[DemoTheme]) -> str:
        rows = []
        for t in themes:
            rows.append(f'<tr><th class="table-success text-start"><a href="{self._base()}/?view='
                        f'stockList&amp;themeIdx={t.idx}">{html.escape(t.name)}</a> '
                        f'<button type="button" class="btn">Information</button></th>'
                        f'<td>{t.change_pct}</td><td>0.71%</td><td>24.35%</td><td>-32.39%</td></tr>')
        return ('<!doctype html><html><head><meta charset="utf-8"></head><body>'
                '<table class="table table-sm table-bordered table-hover align-middle small">'
                '<thead><tr><th>테마명</th><th>전일비</th><th>3일합산</th><th>52주 상승률</th>'
                '<th>52주 하락률</th></tr></thead><tbody>' + "".join(rows)
                + '</tbody></table></body></html>')

    def stock_page(self, theme: DemoTheme | None) -> str:
        if theme is None:
            return '<html><body><h1>테마주</h1><p>종목이 없습니다</p></body></html>'
        rows = "".join(self._stock_row(s) for s in theme.stocks)
        head = "".join(f"<th>{h}</th>" for h in (
            "종목명", "현재가격", "전일비", "3일합산", "52주 최고최저", "52주 변동률", "52주 소외지수",
            "3년 최고최저", "3년 변동률", "3년 소외지수", "3년 주가지수", "기대수익률", "PBR", "PER",
            "EPS", "시가총액", "당일 거래량지수", "최근7일 거래량지수", "버핏초이스", "관련테마",
            "업데이트"))
        return (f'<!doctype html><html><head><meta charset="utf-8"></head><body>'
                f'<h1>{html.escape(theme.name)} 테마주</h1><p>전일비: {theme.change_pct}</p>'
                f'<table class="table table-sm table-bordered table-hover align-middle small">'
                f'<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></body></html>')

    def _stock_row(self, s: DemoStock) -> str:
        if self.judal_markup == "2024":
            cls, href = "text-left", f"https://finance.naver.com/item/main.nhn?code={s.code}"
        else:
            cls, href = "text-start", f"https://stock.naver.com/domestic/stock/{s.code}/price"
        related = " ".join(f'<a class="btn btn-sm btn-outline-success" href="{self._base()}/?view='
                           f'stockList&amp;themeIdx=0">{html.escape(r)}</a>' for r in s.related)
        cap = s.market_cap.replace(" ", "<br/>")
        return (f'<tr style="border-color:#bcd0c7 !important">'
                f'<th scope="row" class="table-success {cls}">'
                f'<a href="{href}" target="_blank" role="button" class="btn p-0 m-0 {cls} noBoxLine">'
                f"<b style='font-size:.95em'>{html.escape(s.name)}</b><br/>"
                f'<span style="color:#555;font-size:0.8em;">{s.market} {s.code}</span></a>'
                f'<button type="button" class="btn" data-bs-toggle="tooltip" '
                f'data-bs-title="{html.escape(s.reason)}">i</button></th>'
                f'<td>{s.price:,}<br/>{s.change:,}</td><td>{s.change_pct}</td><td>0.71%</td>'
                f'<td>149,800<br/>52,543</td><td>-18.49%<br/>132.38%</td><td>72</td>'
                f'<td>149,800<br/>47,805</td><td>-18.49%<br/>155.41%</td><td>73</td><td>82</td>'
                f'<td>22.68%</td><td>4.39</td><td>56.70</td><td>2,120</td><td>{cap}</td>'
                f'<td>7.06%</td><td>120.3%</td><td></td><td>{related}</td><td>3분 전</td></tr>')


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _pct(delta: int, base: int) -> str:
    return f"{delta * 100 / base:.2f}%" if base else "-"
