"""The limiter reaches a budget without exceeding it, serves waiters in order, never blocks."""

import asyncio
import heapq

import pytest

from lucy_tui.brokers.ratelimit import Limit, RateLimiter


class FakeTime:
    """Virtual time: sleepers wake in order of their deadlines, and time jumps to the next
    deadline only once every runnable task has run (checked by yielding a few times)."""

    def __init__(self):
        self.now = 1000.0
        self._sleepers: list[tuple[float, int, asyncio.Future]] = []
        self._seq = 0
        self._runner: asyncio.Task | None = None

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        fut = asyncio.get_running_loop().create_future()
        self._seq += 1
        heapq.heappush(self._sleepers, (self.now + seconds, self._seq, fut))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run())
        await fut

    async def _run(self) -> None:
        while True:
            for _ in range(10):
                await asyncio.sleep(0)
            while self._sleepers and self._sleepers[0][2].done():
                heapq.heappop(self._sleepers)
            if not self._sleepers:
                return
            due, _, fut = heapq.heappop(self._sleepers)
            self.now = max(self.now, due)
            fut.set_result(None)


def max_in_window(stamps: list[float], span: float) -> int:
    best = 0
    for i, start in enumerate(stamps):
        best = max(best, sum(1 for t in stamps[i:] if t < start + span))
    return best


async def run_all(limiter, fake, n, key="k", tr=None):
    stamps = []

    async def one():
        await limiter.acquire(key, tr)
        stamps.append(fake.now)

    await asyncio.gather(*(one() for _ in range(n)))
    return stamps


async def test_burst_up_to_the_limit_then_paced_by_the_window():
    fake = FakeTime()
    limiter = RateLimiter(Limit(2, 1.0), margin=0.05, clock=fake.clock, sleep=fake.sleep)
    stamps = await run_all(limiter, fake, 7)
    assert stamps[:2] == [1000.0, 1000.0]
    assert stamps[2] == pytest.approx(1001.05)
    # Never more than the limit inside one broker period (nor inside the widened window).
    assert max_in_window(stamps, 1.0) == 2
    assert max_in_window(stamps, 1.05) == 2


async def test_sustained_throughput_uses_at_least_95_percent_of_the_limit():
    fake = FakeTime()
    limiter = RateLimiter(Limit(20, 1.0), margin=0.04, clock=fake.clock, sleep=fake.sleep)
    stamps = await run_all(limiter, fake, 400)
    assert max_in_window(stamps, 1.0) <= 20
    rate = (len(stamps) - 20) / (stamps[-1] - stamps[0])  # the first burst is free
    assert rate >= 0.95 * 20
    assert limiter.granted == 400


async def test_waiters_are_served_first_come_first_served():
    fake = FakeTime()
    limiter = RateLimiter(Limit(1, 1.0), margin=0.0, clock=fake.clock, sleep=fake.sleep)
    order = []

    async def one(i):
        await limiter.acquire("k")
        order.append(i)

    tasks = []
    for i in range(6):
        tasks.append(asyncio.create_task(one(i)))
        await asyncio.sleep(0)  # enqueue in this order
    await asyncio.gather(*tasks)
    assert order == list(range(6))


async def test_keys_have_separate_budgets():
    fake = FakeTime()
    limiter = RateLimiter(Limit(1, 1.0), clock=fake.clock, sleep=fake.sleep)
    await limiter.acquire("a")
    await limiter.acquire("b")
    assert fake.now == 1000.0
    assert limiter.delay("a") > 0.9 and limiter.delay("c") == 0


async def test_a_tr_waiting_for_its_own_budget_does_not_hold_back_another_tr():
    fake = FakeTime()
    limiter = RateLimiter(Limit(10, 1.0), per_tr={"t8412": Limit(1, 1.0)}, margin=0.0,
                          clock=fake.clock, sleep=fake.sleep)
    await limiter.acquire("k", "t8412")
    done = []

    async def slow():
        await limiter.acquire("k", "t8412")
        done.append(("slow", fake.now))

    async def fast():
        await limiter.acquire("k", "CSPAT00601")
        done.append(("fast", fake.now))

    t1 = asyncio.create_task(slow())
    await asyncio.sleep(0)
    t2 = asyncio.create_task(fast())
    await asyncio.gather(t1, t2)
    assert done[0] == ("fast", 1000.0)
    assert done[1] == ("slow", pytest.approx(1001.0))


async def test_per_tr_budget_alone_when_the_broker_publishes_no_key_limit():
    fake = FakeTime()
    limiter = RateLimiter(None, per_tr={"t1102": Limit(3, 1.0)}, margin=0.0,
                          clock=fake.clock, sleep=fake.sleep)
    stamps = await run_all(limiter, fake, 9, tr="t1102")
    assert max_in_window(stamps, 1.0) == 3
    other = await run_all(limiter, fake, 50, tr="unlisted")
    assert len(set(other)) == 1  # unlimited: all at once


async def test_a_cancelled_waiter_gives_its_turn_away():
    fake = FakeTime()
    limiter = RateLimiter(Limit(1, 1.0), margin=0.0, clock=fake.clock, sleep=fake.sleep)
    await limiter.acquire("k")
    gone = asyncio.create_task(limiter.acquire("k"))
    await asyncio.sleep(0)
    gone.cancel()
    with pytest.raises(asyncio.CancelledError):
        await gone
    await limiter.acquire("k")
    assert fake.now == pytest.approx(1001.0)
    assert limiter.granted == 2 and limiter.waiting("k") == 0


async def test_backoff_holds_every_request_of_the_key():
    fake = FakeTime()
    limiter = RateLimiter(Limit(5, 1.0), clock=fake.clock, sleep=fake.sleep)
    limiter.backoff("k", 0.5)
    await limiter.acquire("k")
    assert fake.now == pytest.approx(1000.5)


async def test_real_clock_pacing_does_not_block_the_loop():
    limiter = RateLimiter(Limit(3, 0.2), margin=0.01)
    ticks = 0
    stop = asyncio.Event()

    async def ticker():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            await asyncio.sleep(0.005)

    t = asyncio.create_task(ticker())
    loop = asyncio.get_running_loop()
    start = loop.time()
    stamps = []
    for _ in range(9):
        await limiter.acquire()
        stamps.append(loop.time() - start)
    stop.set()
    await t
    assert max_in_window(stamps, 0.2) <= 3
    assert 0.4 <= stamps[-1] < 0.6
    assert ticks > 30  # the loop kept running while requests waited


def test_limits_must_be_positive():
    with pytest.raises(ValueError):
        Limit(0)
    with pytest.raises(ValueError):
        RateLimiter(Limit(1), margin=-1)


async def test_a_slot_counts_from_its_answer_so_transit_time_cannot_crowd_the_window():
    """With ``slot``, a request that was slow to reach the broker and answer holds its place
    until one window after its answer; with ``acquire`` it would have left at grant + window."""
    fake = FakeTime()
    limiter = RateLimiter(Limit(2, 1.0), margin=0.0, clock=fake.clock, sleep=fake.sleep)
    arrivals = []

    async def request(transit: float):
        async with limiter.slot("k"):
            await fake.sleep(transit)          # on its way; the broker counts it on arrival
            arrivals.append(fake.now)
            await fake.sleep(0.01)             # the answer comes back

    await asyncio.gather(request(0.6), request(0.0), request(0.0), request(0.0))
    arrivals.sort()
    # Never more than two arrivals within one broker period, however late the first one came.
    assert max_in_window(arrivals, 1.0) <= 2
    assert limiter.granted == 4


async def test_a_slot_still_out_holds_its_place_and_its_answer_wakes_the_next():
    fake = FakeTime()
    limiter = RateLimiter(Limit(1, 1.0), margin=0.0, clock=fake.clock, sleep=fake.sleep)
    started = []

    async def long_request():
        async with limiter.slot("k"):
            await fake.sleep(5.0)

    async def next_request():
        await limiter.acquire("k")
        started.append(fake.now)

    first = asyncio.create_task(long_request())
    await asyncio.sleep(0)
    await asyncio.gather(first, next_request())
    assert started == [pytest.approx(1006.0)]    # answered at 1005, one window on


async def test_a_failed_request_gives_its_slot_back_after_the_window():
    fake = FakeTime()
    limiter = RateLimiter(Limit(1, 1.0), margin=0.0, clock=fake.clock, sleep=fake.sleep)
    with pytest.raises(RuntimeError):
        async with limiter.slot("k"):
            raise RuntimeError("connection reset")
    await limiter.acquire("k")
    assert fake.now == pytest.approx(1001.0)
