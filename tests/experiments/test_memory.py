"""The memory guard of sim.simulate: a run that would hold more than the memory available
is refused before it starts, with the estimate in the message."""

from pathlib import Path

import pytest

import sim
from builders import scenario
from sim.experiments import simulation
from sim.experiments.simulation import MEMORY_ENV, MemoryLimitError, check_memory, memory_estimate


def test_the_estimate_counts_expected_visits_times_replications():
    """10 visitors a day, 1 day, 4 replications with tables: the held part is 4 × 10 visits
    at record plus table bytes; the worker holds one batch and one day."""
    s = scenario()
    e = memory_estimate(s, 4, tables=True, workers=1)
    assert e.visits_per_replication == pytest.approx(10.0)
    per_visit = simulation.RECORD_BYTES_PER_VISIT + simulation.TABLE_BYTES_PER_VISIT
    worker = 4 * 10 * simulation.RECORD_BYTES_PER_VISIT + 10 * simulation.DAY_BYTES_PER_VISIT
    assert e.held == 4 and e.batch == 4 and e.workers == 1
    assert e.bytes == pytest.approx(4 * 10 * per_visit + worker)


def test_kpis_only_or_streamed_tables_hold_no_replication_to_the_end():
    """Without tables, or with a sink, the estimate does not grow with the replications held."""
    s = scenario()
    assert memory_estimate(s, 1000, tables=False).held == 0
    assert memory_estimate(s, 1000, tables=True, streamed=True).held == 0
    assert memory_estimate(s, 1000, tables=False).bytes < memory_estimate(s, 1000, tables=True).bytes / 50


def test_a_run_above_the_available_memory_is_refused_before_it_starts(monkeypatch):
    """With 1 MB allowed, 500 replications of 1,000 visits with tables (~500 MB) are refused
    naming the estimate, the limit and --stream; nothing runs (no progress call)."""
    monkeypatch.setenv(MEMORY_ENV, str(1024 * 1024))
    s = scenario(demand={"visitors_per_day": 1000}, windows=[{"id": f"W{i}", "services": ["consult"]} for i in range(30)])
    calls = []
    with pytest.raises(MemoryLimitError) as info:
        sim.simulate(s, reps=500, progress=lambda done, total: calls.append(done))
    message = str(info.value)
    assert "1.0 MB is available" in message and "500 replications" in message and "--stream" in message
    assert "1,000 visits" in message and "MB of memory" in message
    assert calls == []
    assert info.value.estimate.bytes > 400 * 1024 * 1024


def test_the_same_run_with_kpis_only_fits(monkeypatch):
    """The refused run's KPIs alone fit in 16 MB (a batch at a time) and run."""
    monkeypatch.setenv(MEMORY_ENV, str(16 * 1024 * 1024))
    s = scenario(demand={"visitors_per_day": 1000}, windows=[{"id": f"W{i}", "services": ["consult"]} for i in range(30)])
    assert check_memory(s, 500, tables=False).fits
    with pytest.raises(MemoryLimitError):
        check_memory(s, 500, tables=True)


def test_available_memory_reads_the_machine_when_not_told(monkeypatch):
    """Without the variable the machine's available memory is used (a positive number on Linux)."""
    monkeypatch.delenv(MEMORY_ENV, raising=False)
    assert simulation.available_memory() > 0


def test_a_comparison_above_the_available_memory_is_refused_before_it_starts(monkeypatch):
    """compare and compare_until check memory too: their largest scenario for the
    replications of all of them (compare_until: up to its cap)."""
    from sim.experiments.compare import compare
    from sim.experiments.replications import compare_until

    monkeypatch.setenv(MEMORY_ENV, str(1024 * 1024))
    big = scenario(demand={"visitors_per_day": 1000}, windows=[{"id": f"W{i}", "services": ["consult"]} for i in range(30)])
    small = scenario()
    with pytest.raises(MemoryLimitError):
        compare([small, big], ["small", "big"], reps=300)
    with pytest.raises(MemoryLimitError):
        compare_until([small, big], ["small", "big"], cap=300)
    assert compare([small, small], ["a", "b"], reps=2, workers=1).reps == 2  # a small one still runs


def test_compare_cli_refuses_a_comparison_too_big_for_memory_with_exit_2(monkeypatch, tmp_path):
    """`hallsim compare` says the estimate and exits 2 (no traceback)."""
    from typer.testing import CliRunner

    from sim.cli.main import app

    monkeypatch.setenv(MEMORY_ENV, "1000")
    root = Path(__file__).resolve().parents[2]
    files = [str(root / "scenarios" / "county_hall.yaml"), str(root / "scenarios" / "county_hall_no_green.yaml")]
    result = CliRunner().invoke(app, ["compare", *files, "--reps", "50", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "memory" in result.output and "Traceback" not in result.output
