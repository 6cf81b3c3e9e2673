"""The move's rows/s and time left come from the whole copy so far, not one table's start-up."""

from __future__ import annotations

from backend.services.move_workflow import ProgressTracker


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def tracker(clock: Clock) -> ProgressTracker:
    progress = ProgressTracker("job", clock=clock)
    progress.publish = lambda **_: None  # type: ignore[method-assign]  # no workflow to publish to here
    plan = [{"name": "courses", "rows_total": 10}, {"name": "attendance", "rows_total": 99_990}]
    progress.take({"event": "plan", "tables": plan})
    return progress


def test_no_estimate_in_the_first_second() -> None:
    clock = Clock()
    progress = tracker(clock)
    # A tiny first table copied at a crawl (its own rate: 20 rows/s) must not promise hours.
    progress.take({"event": "start", "table": "courses", "rows_done": 0, "rows_total": 10})
    clock.now += 0.5
    progress.take(
        {"event": "finish", "table": "courses", "rows_done": 10, "rows_total": 10, "rows_per_second": 20}
    )
    snapshot = progress.snapshot()
    assert (
        snapshot["rows_done"] == 10
        and snapshot["rows_per_second"] is None
        and snapshot["seconds_left"] is None
    )


def test_the_estimate_follows_the_whole_copy() -> None:
    clock = Clock()
    progress = tracker(clock)
    progress.take({"event": "start", "table": "courses", "rows_done": 0, "rows_total": 10})
    progress.take(
        {"event": "finish", "table": "courses", "rows_done": 10, "rows_total": 10, "rows_per_second": 20}
    )
    progress.take({"event": "start", "table": "attendance", "rows_done": 0, "rows_total": 99_990})
    clock.now += 2.0
    progress.take({"event": "batch", "table": "attendance", "rows_done": 39_990, "rows_total": 99_990})
    snapshot = progress.snapshot()
    assert snapshot["rows_per_second"] == 20_000.0
    assert snapshot["seconds_left"] == 3.0  # 60,000 rows to go at 20,000 rows/s
