"""The echo line: the parsed command in words, shown before anything is sent.

It is written in the command language itself, so it parses back to the same command
(``매수 삼성전자(005930) 100주 @71,000 지정가 DAY KRX → kis:fundA``).
"""

from __future__ import annotations

from ..domain.krx import format_krw
from .commands import (
    AmendCmd, CancelAllCmd, CancelCmd, Command, HelpCmd, PlaceCmd, PriceSpec, QuoteCmd,
)
from .grammar import route_text
from .vocab import KIND_KO


def describe_price(spec: PriceSpec) -> str:
    """``@71,000 지정가``, ``@매도호가+2 지정가``, ``@71,000 조건부``, ``@최유리``."""
    if spec.kind == "limit":
        return f"@{format_krw(spec.value or 0)} 지정가"
    if spec.kind == "cond":
        return f"@{format_krw(spec.value or 0)} 조건부"
    if spec.from_quote:
        ticks = f"{spec.ticks:+d}" if spec.ticks else ""
        return f"@{KIND_KO[spec.kind]}{ticks} 지정가"
    return f"@{KIND_KO[spec.kind]}"


def _symbol(inst) -> str:
    return f"{inst.name}({inst.code})"


def describe(cmd: Command) -> str:
    if isinstance(cmd, PlaceCmd):
        size = f"{format_krw(cmd.qty)}주" if cmd.qty else f"₩{format_krw(cmd.amount)}"
        if cmd.plan:
            route = f"plan:{cmd.plan}"
        elif cmd.account is not None:
            route = route_text(cmd.account)
        else:
            route = "계좌 미지정"
        return (f"{cmd.side.korean} {_symbol(cmd.instrument)} {size} {describe_price(cmd.price)} "
                f"{cmd.tif.name} {cmd.venue.value} → {route}")
    if isinstance(cmd, CancelCmd):
        return f"취소 {cmd.target}"
    if isinstance(cmd, CancelAllCmd):
        return "취소 전체" + (f" {cmd.code}" if cmd.code else "")
    if isinstance(cmd, AmendCmd):
        price = describe_price(cmd.price).removesuffix(" 지정가")
        qty = f" {format_krw(cmd.qty)}주" if cmd.qty is not None else ""
        return f"정정 {cmd.target} {price}{qty}"
    if isinstance(cmd, QuoteCmd):
        return f"시세 {_symbol(cmd.instrument)}"
    if isinstance(cmd, HelpCmd):
        return "도움말" + (f" {cmd.topic}" if cmd.topic else "")
    raise TypeError(f"not a command: {cmd!r}")
