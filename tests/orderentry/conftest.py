import pytest

from lucy_tui.domain.instruments import load_default
from lucy_tui.domain.model import AccountRef, Level, Quote
from lucy_tui.orderentry import EntryContext

FUND_A = AccountRef("kis", "12345678", "01", "fundA")
FUND_B = AccountRef("ls", "55501234", "", "fundB")
BARE = AccountRef("kis", "87654321", "01")          # no label: typed as its number


@pytest.fixture
def ctx():
    return EntryContext(load_default(), [FUND_A, FUND_B, BARE], ["core", "Growth"], FUND_A)


@pytest.fixture
def quote():
    # 삼성전자 around 269,000 (tick 500), band 188,500-349,500.
    return Quote("005930", last=269_000, base=269_000, upper_limit=349_500, lower_limit=188_500,
                 bids=(Level(268_500, 10), Level(268_000, 5)),
                 asks=(Level(269_000, 7), Level(269_500, 3)))
