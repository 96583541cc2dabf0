"""KIS master-file parsing (specs/krx.md §7.1) against real published records.

The KOSPI/KOSDAQ fixtures are real master records copied verbatim (see
tests/fixtures/master/README.md); the KONEX one is built to the layout.
"""

import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lucy_tui.domain.instruments import Universe, is_valid_isin, load_default
from lucy_tui.domain.master import (
    OFFSETS,
    RECORD_BYTES,
    MasterFormatError,
    parse_master,
)
from lucy_tui.domain.model import InstrumentKind, Market
from lucy_tui.sources.master import parse_master_file

FIXTURES = Path(__file__).parent.parent / "fixtures" / "master"
KOSPI_2026 = FIXTURES / "kospi_code_2026-09.mst"
KOSDAQ_2026 = FIXTURES / "kosdaq_code_2026-09.mst"
KOSPI_2024 = FIXTURES / "kospi_005930_2024-09-07.mst"
KONEX_BUILT = FIXTURES / "konex_code_built.mst"


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")[:-1]


def splice(record: bytes, market: Market, field: str, value: bytes) -> bytes:
    start, end = OFFSETS[market][field]
    assert len(value) == end - start
    return record[:start] + value + record[end:]


# -- layout -------------------------------------------------------------------------------------


def test_record_widths_and_absolute_offsets_match_the_spec_tables():
    assert RECORD_BYTES == {Market.KOSPI: 288, Market.KOSDAQ: 282, Market.KONEX: 245}
    kospi, kosdaq, konex = OFFSETS[Market.KOSPI], OFFSETS[Market.KOSDAQ], OFFSETS[Market.KONEX]
    # "Record offset" column of the §7.1 tables
    assert kospi["scrt_grp_cls_code"] == (61, 63)
    assert kospi["etp_prod_cls_code"] == (83, 84)
    assert kospi["etpr_undt_objt_co_yn"] == (90, 91)
    assert kospi["stck_sdpr"] == (102, 111)
    assert kospi["mang_issu_yn"] == (123, 124)
    assert kospi["stck_lstn_date"] == (166, 174)
    assert kospi["lstn_stcn"] == (174, 189)
    assert kospi["po_prc"] == (212, 219)
    assert kospi["kospi_issu_yn"] == (223, 224)
    assert kospi["thtr_ntin"] == (251, 256)
    assert kospi["prdy_avls_scal"] == (273, 282)
    assert kospi["stln_able_yn"] == (287, 288)
    assert kosdaq["ksq150_nmix_yn"] == (96, 97)
    assert kosdaq["stck_sdpr"] == (97, 106)
    assert kosdaq["stck_lstn_date"] == (161, 169)
    assert kosdaq["prdy_avls_scal"] == (267, 276)
    assert kosdaq["stln_able_yn"] == (281, 282)
    # KONEX: group 2 then base price 9 ... the three credit flags last (184-byte tail)
    assert konex["stck_sdpr"] == (63, 72)
    assert konex["stln_able_yn"] == (244, 245)
    assert "grp_code" not in konex and "kospi200_apnt_cls_code" not in konex


def test_real_fixture_records_are_exactly_288_and_282_bytes():
    assert [len(r) for r in lines(KOSPI_2026)] == [288, 288, 288]
    assert [len(r) for r in lines(KOSPI_2024)] == [288]
    assert [len(r) for r in lines(KOSDAQ_2026)] == [282, 282, 282]
    assert [len(r) for r in lines(KONEX_BUILT)] == [245, 245]


# -- decoded values -----------------------------------------------------------------------------


def test_samsung_2024_09_07_record_decodes_to_the_spec_values():
    (s,) = parse_master_file(KOSPI_2024, Market.KOSPI)
    assert (s.code, s.isin, s.name, s.group_code) == ("005930", "KR7005930003", "삼성전자", "ST")
    assert s.fields["avls_scal_cls_code"] == "1"
    assert (s.kospi100, s.kospi50, s.krx300) == (True, True, True)
    assert s.base_price == 64_700
    assert (s.lot, s.off_hours_lot) == (1, 1)
    assert (s.halted, s.liquidation, s.managed, s.warning) == (False, False, False, "00")
    assert s.margin_rate == 20
    assert s.par_value == 100
    assert s.listed_on == date(1975, 6, 11)
    assert s.listed_shares_k == 5_969_782 and s.listed_shares == 5_969_782_000
    assert s.fiscal_month == 12
    assert s.market_cap_eok == 3_862_449
    assert s.prev_volume == 37_566_016
    assert s.ipo_price is None                    # blank for old listings
    assert s.roe == Decimal("8.95")
    assert s.financials_as_of == date(2024, 6, 30)
    assert s.in_kospi200 is True and s.kospi200_sector == "5"
    assert s.preferred_class == "0" and s.spac is False
    assert s.group_company == "511"
    assert s.fields["mnin_cls_code_yn"] == "Y"


def test_samsung_2026_09_record_after_cancellations():
    samsung = parse_master_file(KOSPI_2026, Market.KOSPI)[0]
    assert samsung.base_price == 269_000
    assert samsung.listed_shares_k == 5_846_278
    assert samsung.market_cap_eok == 15_726_489
    assert samsung.roe == Decimal("31.39")
    assert samsung.fields["mnin_cls_code_yn"] == " "   # blank in 2026, Y in 2024 (§7.1)
    inst = samsung.to_instrument()
    assert (inst.code, inst.market, inst.kind, inst.base_price, inst.lot) == (
        "005930", Market.KOSPI, InstrumentKind.STOCK, 269_000, 1)
    assert inst.listed_on == date(1975, 6, 11)


def test_managed_kospi_record_with_a_negative_operating_profit():
    _, motors, pref = parse_master_file(KOSPI_2026, Market.KOSPI)
    assert (motors.code, motors.name, motors.managed) == ("000040", "KR모터스", True)
    assert motors.halted is False
    assert motors.operating_profit == -2           # "-00000002"
    assert motors.roe == Decimal("54.83")
    assert motors.group_company is None            # blank group-company code
    assert motors.base_price == 1_151 and motors.par_value == 2_500
    assert motors.in_kospi200 is False
    assert motors.to_instrument().managed is True
    assert (pref.code, pref.name, pref.isin, pref.preferred_class) == (
        "000215", "DL우", "KR7000211003", "1")
    assert pref.financials_as_of is None           # blank base date
    assert pref.roe == Decimal("0.00")


def test_kosdaq_records_spac_alphanumeric_code_and_managed():
    ecopro, spac, silla = parse_master_file(KOSDAQ_2026, Market.KOSDAQ)
    assert (ecopro.code, ecopro.name, ecopro.market) == ("247540", "에코프로비엠", Market.KOSDAQ)
    assert ecopro.base_price == 103_900
    assert ecopro.listed_on == date(2019, 3, 5)
    assert ecopro.par_value == 500 and ecopro.margin_rate == 40
    assert ecopro.kosdaq150 is True and ecopro.krx300 is True
    assert ecopro.kospi100 is None and ecopro.in_kospi200 is None   # no such fields on KOSDAQ
    assert ecopro.fields["vntr_issu_yn"] == " "    # blank flags stay blank
    assert ecopro.group_company == "LD2"
    assert (spac.code, spac.isin) == ("0004Y0", "KR70004Y0000")
    assert (spac.spac, spac.managed) == (True, False)
    assert spac.listed_on == date(2025, 7, 22) and spac.base_price == 1_988
    assert spac.to_instrument().spac is True
    assert (silla.code, silla.managed, silla.warning) == ("001000", True, "00")
    assert silla.ordinary_profit == -3 and silla.net_income == -3 and silla.roe == Decimal(-2)


def test_name_whose_cp949_length_differs_from_its_character_count():
    spac = parse_master_file(KOSDAQ_2026, Market.KOSDAQ)[1]
    assert spac.name == "디비금융제14호스팩"
    assert (len(spac.name), len(spac.name.encode("cp949"))) == (10, 18)
    # every tail field still lands right: the byte offsets do not depend on the name
    assert spac.fields["scrt_grp_cls_code"] == "ST" and spac.fields["stln_able_yn"] == "N"


def test_konex_built_records():
    listed, halted = parse_master_file(KONEX_BUILT)    # market from the file name
    assert listed.market is Market.KONEX and listed.group_code == "KN"
    assert listed.kind is InstrumentKind.STOCK
    assert (listed.base_price, listed.ipo_price, listed.par_value) == (3_215, 5_000, 500)
    assert listed.operating_profit == -15 and listed.net_income == -16
    assert listed.roe == Decimal("-12.50")
    assert listed.spac is None and listed.etp_class is None and listed.group_company is None
    assert halted.name == "견본코넥스바이오테크놀로지" and halted.halted is True
    assert halted.code == "0000Z0" and halted.ipo_price is None
    inst = halted.to_instrument()
    assert (inst.market, inst.halted, inst.base_price) == (Market.KONEX, True, 880)


def test_every_fixture_isin_has_a_valid_check_digit():
    for path, market in ((KOSPI_2026, Market.KOSPI), (KOSPI_2024, Market.KOSPI),
                         (KOSDAQ_2026, Market.KOSDAQ), (KONEX_BUILT, Market.KONEX)):
        for record in parse_master_file(path, market):
            assert is_valid_isin(record.isin), record.isin


# -- the off-by-one pitfall and line handling ----------------------------------------------------


def test_stripping_the_newline_before_counting_from_the_end_reads_one_column_off():
    raw = lines(KOSPI_2026)[0]
    text = raw.decode("cp949") + "\n"
    # the official sample keeps the newline: the last 228 characters are 227 data + "\n"
    assert text[-228:][0:2] == "ST"
    # stripping it first shifts every field by one (the MCP-plugin bug §7.1 warns about)
    naive = text.rstrip("\n")[-228:]
    assert naive[0:2] == " S"
    assert naive[41:50] != "000269000"
    (record,) = parse_master(raw, Market.KOSPI)   # no newline at all: byte offsets still right
    assert record.group_code == "ST" and record.base_price == 269_000


def test_crlf_blank_lines_and_missing_final_newline():
    records = lines(KOSPI_2026)
    data = b"\r\n".join(records[:2]) + b"\r\n\r\n   \n" + records[2]
    parsed = parse_master(data, "kospi")
    assert [r.code for r in parsed] == ["005930", "000040", "000215"]
    assert parse_master(b"", Market.KOSPI) == [] and parse_master(b"\n\n", Market.KOSPI) == []


def test_short_record_names_its_line():
    records = lines(KOSPI_2026)
    data = records[0] + b"\n" + records[1][:-1] + b"\n"
    with pytest.raises(MasterFormatError) as err:
        parse_master(data, Market.KOSPI)
    assert err.value.line == 2 and err.value.field == "record"
    assert "line 2" in str(err.value) and "287 bytes" in str(err.value)


def test_a_kosdaq_record_is_rejected_as_kospi():
    with pytest.raises(MasterFormatError, match="282 bytes, a KOSPI record has 288"):
        parse_master(KOSDAQ_2026.read_bytes(), Market.KOSPI)


def test_non_numeric_base_price_names_line_and_field():
    records = lines(KOSPI_2026)
    bad = splice(records[1], Market.KOSPI, "stck_sdpr", b"0000011X1")
    with pytest.raises(MasterFormatError) as err:
        parse_master(b"\n".join([records[0], bad, records[2]]), Market.KOSPI)
    assert (err.value.line, err.value.field, err.value.value) == (2, "stck_sdpr", "0000011X1")


def test_bad_flag_date_and_non_ascii_tail_are_format_errors():
    samsung = lines(KOSPI_2026)[0]
    cases = {
        "trht_yn": splice(samsung, Market.KOSPI, "trht_yn", b"X"),
        "stck_lstn_date": splice(samsung, Market.KOSPI, "stck_lstn_date", b"19751399"),
        "roe": splice(samsung, Market.KOSPI, "roe", b"0003.1.39"),
        "grp_code": splice(samsung, Market.KOSPI, "grp_code", "가".encode("cp949") + b"1"),
    }
    for field, record in cases.items():
        with pytest.raises(MasterFormatError) as err:
            parse_master(record, Market.KOSPI)
        assert err.value.field == field and err.value.line == 1


def test_errors_skip_keeps_the_good_records_and_counts_the_bad():
    records = lines(KOSDAQ_2026)
    data = b"\n".join([records[0], b"garbage", records[1],
                       splice(records[2], Market.KOSDAQ, "lstn_stcn", b"00000000000X855")])
    parsed = parse_master(data, Market.KOSDAQ, errors="skip")
    assert [r.code for r in parsed] == ["247540", "0004Y0"]
    assert [(e.line, e.field) for e in parsed.skipped] == [(2, "record"), (4, "lstn_stcn")]
    with pytest.raises(ValueError):
        parse_master(data, Market.KOSDAQ, errors="ignore")


def test_unknown_market_and_file_name():
    with pytest.raises(ValueError, match="unknown market"):
        parse_master(b"", "NASDAQ")
    with pytest.raises(ValueError, match="market"):
        parse_master_file(KOSPI_2026.with_name("codes.mst"))
    with pytest.raises(TypeError, match="bytes"):
        parse_master(KOSPI_2026.read_text("cp949"), Market.KOSPI)


def test_parse_the_zip_kis_publishes(tmp_path):
    archive = tmp_path / "kosdaq_code.mst.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("kosdaq_code.mst", KOSDAQ_2026.read_bytes())
    assert [r.code for r in parse_master_file(archive)] == ["247540", "0004Y0", "001000"]


# -- kinds and instruments ----------------------------------------------------------------------


@pytest.mark.parametrize("group, etp, kind", [
    (b"ST", b" ", InstrumentKind.STOCK),
    (b"EF", b"1", InstrumentKind.ETF),
    (b"EN", b"3", InstrumentKind.ETN),
    (b"EF", b"4", InstrumentKind.ETN),       # loss-limited ETN, whatever the group says
    (b"EW", b" ", InstrumentKind.ELW),
    (b"DR", b" ", InstrumentKind.STOCK),
])
def test_group_and_etp_codes_map_to_kinds(group, etp, kind):
    record = splice(lines(KOSPI_2026)[0], Market.KOSPI, "scrt_grp_cls_code", group)
    record = splice(record, Market.KOSPI, "etp_prod_cls_code", etp)
    (parsed,) = parse_master(record, Market.KOSPI)
    assert parsed.kind is kind
    assert parsed.to_instrument().kind is kind


def test_elw_lot_defaults_to_ten_and_warrants_have_no_instrument():
    record = splice(lines(KOSPI_2026)[0], Market.KOSPI, "scrt_grp_cls_code", b"EW")
    record = splice(record, Market.KOSPI, "frml_mrkt_deal_qty_unit", b"     ")
    assert parse_master(record, Market.KOSPI)[0].to_instrument().lot == 10
    warrant = splice(lines(KOSPI_2026)[0], Market.KOSPI, "scrt_grp_cls_code", b"SW")
    (parsed,) = parse_master(warrant, Market.KOSPI)
    assert parsed.kind is None
    with pytest.raises(ValueError, match="SW"):
        parsed.to_instrument()


def test_universe_from_master_orders_by_market_cap_and_merges_into_the_shipped_list():
    records = (list(parse_master_file(KOSDAQ_2026)) + list(parse_master_file(KOSPI_2026)))
    master = Universe.from_master(records)
    assert [i.code for i in master][:3] == ["005930", "247540", "000215"]
    assert len(master) == 6
    shipped = load_default()
    merged = shipped.merge(master)
    samsung = merged["005930"]
    assert samsung.name_en == shipped["005930"].name_en        # the master has no English name
    assert samsung.nxt is True                                # nor NXT eligibility
    assert samsung.base_price == 269_000
    assert len(merged) == len(shipped)                         # all six are in the shipped list
    assert [i.code for i in merged] == [i.code for i in shipped]
