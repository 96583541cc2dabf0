"""Help: every binding (with its keymap id, so ``[keymap]`` can rebind it) and every command of
the command line, generated from the same tables the app binds and the palette lists."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..actions import ALL_ACTIONS
from ..keys import widget_classes

COMMANDS = (
    ("b 005930 100 @71000", "매수 100주 지정가 (b/매수, s/매도)"),
    ("s 삼성전자 50 mkt", "매도 시장가 (mkt 시장가 · best 최유리 · top 최우선 · mid 중간가 · cond 조건부)"),
    ("b 카카오 ₩10,000,000 @best to plan:core", "금액 주문을 배분계획 core로 나눠 주문"),
    ("b 005930 10 @71000 ioc to kis:A nxt", "IOC/FOK, 계좌 지정, 시장 krx/nxt/sor"),
    ("b ㅅㅅㅈㅈ 10 @ask+2", "초성 종목, 매도호가+2틱 (@bid, @ask, @last ±N)"),
    ("c #3 · c 261205-00004 · c all [종목]", "취소: 주문표 행 번호, 주문 id, 주문번호, 전체"),
    ("a #3 @71100 [수량]", "정정: 가격 (그리고 수량)"),
    ("q 005930", "시세 조회 — quote panel"),
    ("?", "도움말"),
)


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "닫기 Close", id="help_close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen VerticalScroll { width: 110; height: 90%; border: round $primary;
                                 background: $surface; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._bindings_table())
            yield Static(self._commands_table())
            yield Static(Text("Esc 닫기 · Ctrl+P 명령 팔레트 · config.toml [keymap] id = \"keys\"",
                              style="dim"))

    def _bindings_table(self) -> Table:
        table = Table(title="키 Bindings", expand=True, title_justify="left")
        table.add_column("키 Keys", style="bold", width=16)
        table.add_column("동작 Action")
        table.add_column("id (keymap)", style="dim")
        keymap = self.app.config.keymap
        for action in ALL_ACTIONS:
            table.add_row(keymap.get(action.id, action.keys), action.description, action.id)
        for cls in widget_classes():
            for binding in cls.BINDINGS:
                if isinstance(binding, Binding) and binding.id:
                    table.add_row(keymap.get(binding.id, binding.key),
                                  f"{binding.description} ({cls.__name__})", binding.id)
        return table

    def _commands_table(self) -> Table:
        table = Table(title="명령줄 Command line (: or /)", expand=True, title_justify="left")
        table.add_column("입력 Typed", style="bold", width=44)
        table.add_column("뜻 Meaning")
        for typed, meaning in COMMANDS:
            table.add_row(typed, meaning)
        return table

    def action_dismiss(self) -> None:
        self.dismiss()
