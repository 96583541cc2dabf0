"""`lucy ipo --html FILE [--kind …] --json`."""

import json

from lucy_tui.cli import main
from lucy_tui.sim.pages import PagesFront
from html_fixtures import HTML


def run(capsys, *args):
    code = main(["ipo", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_schedule_page_as_json(capsys):
    code, out, err = run(capsys, "--html", str(HTML / "38/o-k_schedule-table_2024-11.html"), "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["kind"] == "schedule" and len(data["records"]) == 30
    baek = next(r for r in data["records"] if r["no"] == 2103)
    assert baek["competition"] == "772.80" and baek["final_price"] == 34000
    assert baek["subscription_start"] == "2024-10-28" and baek["kospi"] is True


def test_cp949_detail_page_saved_from_the_site(capsys, tmp_path):
    page = tmp_path / "detail.htm"
    page.write_bytes(PagesFront().detail_page(2103).replace("\u00a0", " ").encode("cp949"))
    code, out, _ = run(capsys, "--html", str(page), "--json")
    (record,) = json.loads(out)["records"]
    assert code == 0 and record["name"] == "더본코리아" and record["market"] == "유가증권"
    assert record["final_price"] == 34000 and record["lockup_ratio"] == "4.51"
    page.write_bytes(PagesFront().detail_page(1).encode("cp949"))
    code, _, err = run(capsys, "--html", str(page), "--kind", "detail")
    assert code == 1 and "no such offering" in err


def test_listings_page_plain_output(capsys, tmp_path):
    html = ('<table summary="신규상장종목"><tr><td><a href="./?o=v&no=5">알파<font>(유가)</font></a></td>'
            '<td>2026/01/30</td><td>1,000</td><td>1.00%</td><td>900</td><td>11.11%</td><td>950</td>'
            '<td>5.56%</td><td>990</td></tr></table>')
    page = tmp_path / "nw.html"
    page.write_bytes(html.encode("cp949"))
    code, out, _ = run(capsys, "--html", str(page))
    assert code == 0 and "no=5  name=알파  kospi=True  listing=2026-01-30" in out


def test_unknown_page_and_missing_file(capsys, tmp_path):
    page = tmp_path / "x.html"
    page.write_text("<html>nothing</html>")
    code, _, err = run(capsys, "--html", str(page))
    assert code == 1 and "no 38.co.kr table found" in err
    code, _, err = run(capsys, "--html", str(tmp_path / "missing.html"))
    assert code == 2 and "cannot read" in err
    code, _, err = run(capsys, "--html", str(page), "--kind", "schedule")
    assert code == 1 and "table '공모주 청약일정' not found" in err
