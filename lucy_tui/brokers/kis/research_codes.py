"""KIS wire vocabulary of the market-research endpoints: period chart, finance statements and
ratios, investor flow, brokers' opinions (not in kis.md; layouts from the official sample
repository koreainvestment/open-trading-api, ``examples_llm/domestic_stock/<api>/``).

Kept apart from :mod:`.codes` so that the two grow without touching each other; ``codes.TRS``
takes these rows in with one line. Rows are plain tuples (function, real ids, mock ids) because
this module must not import :mod:`.codes` (which imports it).

Layouts used (field names verbatim, meanings in our words):

* ``inquire-daily-itemchartprice`` FHKST03010100 (real and mock; 국내주식기간별시세): query
  ``FID_COND_MRKT_DIV_CODE`` (J/NX/UN), ``FID_INPUT_ISCD``, ``FID_INPUT_DATE_1`` (from, YYYYMMDD),
  ``FID_INPUT_DATE_2`` (to), ``FID_PERIOD_DIV_CODE`` (D day, W week, M month, Y year),
  ``FID_ORG_ADJ_PRC`` (0 adjusted, 1 original). At most 100 rows per call. ``output1`` (object):
  today's summary — ``prdy_vrss``, ``prdy_vrss_sign``, ``prdy_ctrt``, ``stck_prdy_clpr``,
  ``acml_vol``, ``acml_tr_pbmn``, ``hts_kor_isnm``, ``stck_prpr``, ``stck_shrn_iscd``,
  ``prdy_vol``, ``stck_mxpr``, ``stck_llam``, ``stck_oprc``, ``stck_hgpr``, ``stck_lwpr``,
  ``stck_prdy_oprc``, ``stck_prdy_hgpr``, ``stck_prdy_lwpr``, ``askp``, ``bidp``,
  ``prdy_vrss_vol``, ``vol_tnrt``, ``stck_fcam``, ``lstn_stcn``, ``cpfn``, ``hts_avls``, ``per``,
  ``eps``, ``pbr``, ``itewhol_loan_rmnd_ratem``. ``output2`` (array, newest first): one candle
  per period — ``stck_bsop_date``, ``stck_clpr``, ``stck_oprc``, ``stck_hgpr``, ``stck_lwpr``,
  ``acml_vol``, ``acml_tr_pbmn``, ``flng_cls_code``, ``prtt_rate``, ``mod_yn``,
  ``prdy_vrss_sign``, ``prdy_vrss``, ``revl_issu_reas``.
* ``inquire-time-itemchartprice`` FHKST03010200 (real and mock; 주식당일분봉조회): query
  ``FID_ETC_CLS_CODE`` (blank), ``FID_COND_MRKT_DIV_CODE``, ``FID_INPUT_ISCD``,
  ``FID_INPUT_HOUR_1`` (HHMMSS: bars of minutes up to this one; a future time means now),
  ``FID_PW_DATA_INCU_YN`` (Y/N, past data; meaningful for sector codes). ``output1``: today's
  summary (``prdy_vrss``, ``prdy_vrss_sign``, ``prdy_ctrt``, ``stck_prdy_clpr``, ``acml_vol``,
  ``acml_tr_pbmn``, ``hts_kor_isnm``, ``stck_prpr``). ``output2``: at most 30 one-minute bars,
  newest first — ``stck_bsop_date``, ``stck_cntg_hour`` (the minute, HHMM00), ``stck_prpr``
  (the minute's last price), ``stck_oprc``, ``stck_hgpr``, ``stck_lwpr``, ``cntg_vol`` (the
  minute's shares), ``acml_tr_pbmn`` (the day's value so far).
* ``finance/*`` (real only, 모의투자 미지원): query ``FID_DIV_CLS_CODE`` (0 annual, 1 quarterly),
  ``fid_cond_mrkt_div_code`` (J), ``fid_input_iscd``; ``output`` is an array of periods, newest
  first, each keyed by ``stac_yymm`` (YYYYMM). Amounts in 억원 as decimal text.

  - ``balance-sheet`` FHKST66430100: ``cras`` current assets, ``fxas`` fixed assets,
    ``total_aset``, ``flow_lblt`` current liabilities, ``fix_lblt`` fixed liabilities,
    ``total_lblt``, ``cpfn`` capital stock, ``cfp_surp`` capital surplus, ``prfi_surp``
    retained earnings, ``total_cptl`` equity.
  - ``income-statement`` FHKST66430200 (quarters cumulative within the year): ``sale_account``
    revenue, ``sale_cost``, ``sale_totl_prfi`` gross profit, ``depr_cost``, ``sell_mang`` SG&A,
    ``bsop_prti`` operating profit, ``bsop_non_ernn`` / ``bsop_non_expn`` non-operating income /
    expense, ``op_prfi`` ordinary profit, ``spec_prfi`` / ``spec_loss``, ``thtr_ntin`` net income.
  - ``financial-ratio`` FHKST66430300: ``grs`` revenue growth, ``bsop_prfi_inrt`` operating
    profit growth, ``ntin_inrt`` net income growth, ``roe_val``, ``eps``, ``sps``, ``bps`` (won),
    ``rsrv_rate`` reserve ratio, ``lblt_rate`` debt ratio.
  - ``profit-ratio`` FHKST66430400: ``cptl_ntin_rate`` ROA, ``self_cptl_ntin_inrt`` ROE,
    ``sale_ntin_rate`` net margin, ``sale_totl_rate`` gross margin.
  - ``stability-ratio`` FHKST66430600: ``lblt_rate``, ``bram_depn`` borrowings dependence,
    ``crnt_rate`` current ratio, ``quck_rate`` quick ratio.
  - ``growth-ratio`` FHKST66430800: ``grs``, ``bsop_prfi_inrt``, ``equt_inrt`` equity growth,
    ``totl_aset_inrt`` asset growth.
* ``inquire-investor`` FHKST01010900 (real and mock; 주식현재가 투자자): query
  ``FID_COND_MRKT_DIV_CODE``, ``FID_INPUT_ISCD``; ``output`` array of the last 30 days, newest
  first: ``stck_bsop_date``, ``stck_clpr``, ``prdy_vrss``, ``prdy_vrss_sign``, then for
  ``prsn`` (individuals), ``frgn`` (foreigners), ``orgn`` (institutions): ``*_ntby_qty`` net
  shares, ``*_ntby_tr_pbmn`` net value (백만원), ``*_shnu_vol`` / ``*_seln_vol`` shares bought /
  sold, ``*_shnu_tr_pbmn`` / ``*_seln_tr_pbmn`` values bought / sold (백만원).
* ``invest-opinion`` FHKST663300C0 (real only; 국내주식 종목투자의견): query
  ``FID_COND_MRKT_DIV_CODE`` (J), ``FID_COND_SCR_DIV_CODE`` (16633), ``FID_INPUT_ISCD``,
  ``FID_INPUT_DATE_1`` / ``FID_INPUT_DATE_2``; ``output`` array, newest first:
  ``stck_bsop_date``, ``invt_opnn`` opinion text, ``invt_opnn_cls_code``, ``rgbf_invt_opnn`` /
  ``rgbf_invt_opnn_cls_code`` the previous opinion, ``mbcr_name`` broker, ``hts_goal_prc``
  target price, ``stck_prdy_clpr`` close before the report, ``stck_nday_esdg`` /
  ``nday_dprt`` the gap of the N-day price to the target (won / %), ``stft_esdg`` / ``dprt``
  the gap of the report-day price (won / %). The meaning of the class codes is not published
  (UNVERIFIED; the simulator uses 2 buy, 3 hold, 4 sell).
"""

from __future__ import annotations

P_DAILY_CHART = "/uapi/domestic-stock/v1/quotations/inquire-daily-itemchartprice"
P_MINUTE_CHART = "/uapi/domestic-stock/v1/quotations/inquire-time-itemchartprice"
P_INVESTOR = "/uapi/domestic-stock/v1/quotations/inquire-investor"
P_OPINION = "/uapi/domestic-stock/v1/quotations/invest-opinion"
P_BALANCE_SHEET = "/uapi/domestic-stock/v1/finance/balance-sheet"
P_INCOME = "/uapi/domestic-stock/v1/finance/income-statement"
P_FIN_RATIO = "/uapi/domestic-stock/v1/finance/financial-ratio"
P_PROFIT_RATIO = "/uapi/domestic-stock/v1/finance/profit-ratio"
P_STABILITY_RATIO = "/uapi/domestic-stock/v1/finance/stability-ratio"
P_GROWTH_RATIO = "/uapi/domestic-stock/v1/finance/growth-ratio"
#: Already in codes.TRS (function "asking"); listed so the client can call it by name.
P_ASKING = "/uapi/domestic-stock/v1/quotations/inquire-asking-price-exp-ccn"

# Function names, as the simulator's tr table and the client's environment call them.
DAILY_CHART, INVESTOR, OPINION = "daily_chart", "investor", "opinion"
MINUTE_CHART = "minute_chart"
BALANCE_SHEET, INCOME = "balance_sheet", "income_statement"
FIN_RATIO, PROFIT_RATIO = "financial_ratio", "profit_ratio"
STABILITY_RATIO, GROWTH_RATIO = "stability_ratio", "growth_ratio"
ASKING = "asking"

#: path → (function, real tr ids, mock tr ids); empty mock ids: 모의투자 미지원.
RESEARCH_TRS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    P_DAILY_CHART: (DAILY_CHART, ("FHKST03010100",), ("FHKST03010100",)),
    P_MINUTE_CHART: (MINUTE_CHART, ("FHKST03010200",), ("FHKST03010200",)),
    P_INVESTOR: (INVESTOR, ("FHKST01010900",), ("FHKST01010900",)),
    P_OPINION: (OPINION, ("FHKST663300C0",), ()),
    P_BALANCE_SHEET: (BALANCE_SHEET, ("FHKST66430100",), ()),
    P_INCOME: (INCOME, ("FHKST66430200",), ()),
    P_FIN_RATIO: (FIN_RATIO, ("FHKST66430300",), ()),
    P_PROFIT_RATIO: (PROFIT_RATIO, ("FHKST66430400",), ()),
    P_STABILITY_RATIO: (STABILITY_RATIO, ("FHKST66430600",), ()),
    P_GROWTH_RATIO: (GROWTH_RATIO, ("FHKST66430800",), ()),
}

#: function → path, for the client's environment (the order book's path is codes' own).
RESEARCH_PATHS: dict[str, str] = {spec[0]: path for path, spec in RESEARCH_TRS.items()}
RESEARCH_PATHS[ASKING] = P_ASKING

#: At most this many candles per chart call (official sample: "최대 100건"); minute bars: 30.
CHART_ROWS = 100
MINUTE_ROWS = 30
#: The screen code invest-opinion expects.
OPINION_SCREEN = "16633"
#: Statement amounts are 억원; investor values 백만원.
EOK = 100_000_000
MILLION = 1_000_000
