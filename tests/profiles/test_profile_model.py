from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from lucy_tui.domain.model import AccountRef
from lucy_tui.engine.allocation import split_quantity
from lucy_tui.profiles import AccountSpec, Limits, PlanSpec, Profile, ProfileError, parse_account, parse_plan
from lucy_tui.profiles.model import from_doc, to_doc


def sample() -> Profile:
    return Profile("main", accounts=(parse_account("kis:12345678-01:fundA:Alpha Fund"),
                                     parse_account("ls:555566667777:fundB")),
                   plans=(parse_plan("core=fundA:60,fundB:40"),),
                   limits=Limits(max_qty=1000, max_value=50_000_000, confirm_value=10_000_000),
                   environments=(("kis", "real"),), hts_ids=(("kis", "hts01"),))


def test_account_text_round_trips_and_fills_defaults():
    a = parse_account("kis:12345678-01:fundA:Alpha Fund")
    assert (a.broker, a.number, a.product, a.label, a.fund) == ("kis", "12345678", "01", "fundA", "Alpha Fund")
    assert parse_account(a.text()) == a
    b = parse_account("KIS:87654321")
    assert (b.broker, b.product, b.label) == ("kis", "01", "kis4321")
    assert parse_account("ls:555566667777").product == ""


@pytest.mark.parametrize("text,words", [
    ("kis", "BROKER:NUMBER"), ("nh:1234", "unknown broker 'nh'"), ("kis:12ab", "digits"),
    ("kis:1234-x", "product code"), ("kis:12345678:fund A", "no spaces"),
])
def test_bad_accounts_say_what_is_wrong(text, words):
    with pytest.raises(ProfileError, match=words):
        parse_account(text)


@pytest.mark.parametrize("text,words", [
    ("core", "NAME=LABEL:WEIGHT"), ("core=fundA", "not LABEL:WEIGHT"),
    ("core=fundA:x", "not LABEL:WEIGHT"), ("core=fundA:0", "positive"),
    ("core=fundA:1,fundA:2", "twice"),
])
def test_bad_plans_say_what_is_wrong(text, words):
    with pytest.raises(ProfileError, match=words):
        parse_plan(text)


def test_profile_checks_names_labels_and_plan_legs():
    with pytest.raises(ProfileError, match="profile name"):
        Profile("김 철수")
    acct = parse_account("kis:12345678:x1")
    with pytest.raises(ProfileError, match="used twice"):
        Profile("p", accounts=(acct, parse_account("kis:99999999:x1")))
    with pytest.raises(ProfileError, match="no account labelled 'ghost'"):
        Profile("p", accounts=(acct,), plans=(parse_plan("core=ghost:1"),))
    with pytest.raises(ProfileError, match="'mock' or 'real'"):
        Profile("p", environments=(("kis", "demo"),))


def test_engine_views():
    p = sample()
    refs = p.account_refs()
    assert refs == (AccountRef("kis", "12345678", "01", "fundA"), AccountRef("ls", "555566667777", "", "fundB"))
    (plan,) = p.engine_plans()
    assert plan.name == "core" and [leg.account for leg in plan.legs] == list(refs)
    assert split_quantity(101, [leg.weight for leg in plan.legs]) == [61, 40]
    limits = p.risk_limits()
    assert (limits.max_qty, limits.max_value, limits.allow_real) == (1000, 50_000_000, True)
    assert p.confirm_threshold == 10_000_000
    assert p.is_real and p.real_brokers == ("kis",) and p.environment("ls") == "mock"
    assert p.brokers == ("kis", "ls") and p.hts_id("kis") == "hts01"
    assert not Profile("x").risk_limits().allow_real


def test_documents_round_trip():
    p = sample()
    assert from_doc(to_doc(p)) == p
    assert from_doc(to_doc(Profile("empty"))) == Profile("empty")


def test_switching_to_real_is_detected_per_broker():
    p = Profile("p")
    assert p.switches_to_real(p.with_environment("ls", "real")) == ("ls",)
    real = p.with_environment("kis", "real")
    assert real.switches_to_real(real.with_environment("ls", "mock")) == ()


def test_plan_weights_are_decimals():
    plan = PlanSpec("x", (("a1234", "0.25"),))
    assert plan.legs == (("a1234", Decimal("0.25")),)
    assert parse_plan(plan.text()) == plan
    with pytest.raises(ProfileError):
        Limits(max_qty=-1)
    assert AccountSpec("ls", "1234").label == "ls1234"

labels = st.from_regex(r"[A-Za-z가-힣][A-Za-z0-9가-힣_]{0,10}", fullmatch=True)


@st.composite
def profiles(draw):
    accounts = []
    for i, label in enumerate(draw(st.lists(labels, min_size=0, max_size=4, unique=True))):
        broker = draw(st.sampled_from(["kis", "ls"]))
        number = f"{50000000 + i}" if broker == "kis" else f"5550123450{i}"
        fund = draw(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)).strip()
        accounts.append(AccountSpec(broker, number, "", label, fund))
    plans = ()
    if accounts:
        legs = tuple((a.label, Decimal(draw(st.integers(1, 100)))) for a in accounts)
        plans = (PlanSpec("p1", legs),)
    envs = tuple((b, draw(st.sampled_from(["mock", "real"]))) for b in
                 draw(st.lists(st.sampled_from(["kis", "ls"]), unique=True)))
    limits = Limits(*(draw(st.integers(0, 10**12)) for _ in range(3)))
    return Profile(draw(st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True)),
                   tuple(accounts), plans, limits, envs)


@given(profiles())
def test_any_profile_survives_its_document_and_text_forms(p):
    assert from_doc(to_doc(p)) == p
    assert tuple(parse_account(a.text()) for a in p.accounts) == p.accounts
    assert tuple(parse_plan(pl.text()) for pl in p.plans) == p.plans
