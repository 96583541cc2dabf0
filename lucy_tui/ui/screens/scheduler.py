"""The Scheduler screen: every background job with its schedule, next and last run and last
result; ``enter`` or ``r`` runs the selected job now (in a worker, so the screen stays live).

It reads the headless :class:`~lucy_tui.sources.scheduler.JobRegistry` and follows its change
notifications; a timer keeps the next-run column current.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...sources.scheduler import JobInfo, JobRegistry

STATUS_STYLE = {"ok": "#5fd75f", "error": "bold #ff5f5f", "running": "#ffaf00", "never run": "#8a8a8a"}


def _when(at: datetime | None) -> str:
    return f"{at:%m-%d %H:%M:%S}" if at else "—"


class SchedulerScreen(Screen):
    DEFAULT_CSS = """
    SchedulerScreen #scheduler-status { height: 1; background: $panel; padding: 0 1; }
    SchedulerScreen #scheduler-table { height: 1fr; }
    SchedulerScreen #scheduler-detail { height: auto; max-height: 6; padding: 0 1;
                                        border-top: solid $primary; }
    """
    BINDINGS = [
        Binding("r", "run_selected", "Run now", id="scheduler_run"),
        Binding("escape", "app.pop_screen", "Back", id="scheduler_back"),
    ]
    COLUMNS = (("id", "Job"), ("description", "Description"), ("schedule", "Schedule"),
               ("next", "Next run"), ("last", "Last run"), ("status", "Status"),
               ("result", "Last result"))

    def __init__(self, registry: JobRegistry, **kwargs) -> None:
        super().__init__(**kwargs)
        self.registry = registry
        self.job_ids: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(id="scheduler-status")
        yield DataTable(id="scheduler-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="scheduler-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label in self.COLUMNS:
            table.add_column(label, key=key)
        self.fill()
        self.registry.on_change(self._changed)
        self.set_interval(1.0, self.fill)
        table.focus()

    def on_unmount(self) -> None:
        self.registry.off_change(self._changed)

    def _changed(self, info: JobInfo) -> None:
        # Called on the loop by the registry; the row is redrawn on the next refresh.
        self.call_later(self.fill)

    def _cells(self, info: JobInfo) -> list:
        outcome = info.last_outcome
        return [info.id, info.description, info.schedule, _when(info.next_run),
                _when(info.last_run), Text(info.status, style=STATUS_STYLE[info.status]),
                outcome.message if outcome else ""]

    def fill(self) -> None:
        table = self.query_one(DataTable)
        infos = self.registry.jobs()
        ids = [i.id for i in infos]
        if ids != self.job_ids:
            table.clear()
            for info in infos:
                table.add_row(*self._cells(info), key=info.id)
            self.job_ids = ids
        else:
            for info in infos:
                for (key, _), value in zip(self.COLUMNS, self._cells(info)):
                    table.update_cell(info.id, key, value, update_width=True)
        self._detail()
        running = sum(1 for i in infos if i.running)
        self.query_one("#scheduler-status", Static).update(
            f"Scheduler · {len(infos)} jobs" + (f" · {running} running" if running else ""))

    def _detail(self) -> None:
        """The selected job's last result in full (the table column is cut to fit)."""
        job_id = self.selected
        if job_id is None:
            return
        info = self.registry.info(job_id)
        text = Text(f"{info.id}: ", style="bold")
        text.append(info.description)
        if info.last_outcome is not None:
            text.append(f"\nlast result ({_when(info.last_run)}): ")
            text.append(info.last_outcome.message, style=STATUS_STYLE[info.status])
        self.query_one("#scheduler-detail", Static).update(text)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    @property
    def selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.job_ids or table.cursor_row is None or table.cursor_row >= len(self.job_ids):
            return None
        return self.job_ids[table.cursor_row]

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_run_selected()

    def action_run_selected(self) -> None:
        job_id = self.selected
        if job_id is not None:
            self._run(job_id)

    @work(group="scheduler-run")
    async def _run(self, job_id: str) -> None:
        outcome = await self.registry.run_now(job_id)
        self.fill()
        self.notify(f"{job_id}: {outcome.message}", severity="information" if outcome.ok else "error",
                    timeout=8)
