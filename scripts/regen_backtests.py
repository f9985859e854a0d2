"""Regenerate the pinned back-test results in tests/backtest/ (run only on purpose).

    python scripts/regen_backtests.py

Each ``tests/backtest/NAME.yaml`` is simulated with seed 2026 and its KPI summary written
to ``NAME.expected.csv``. Commit the diff only when a change in behaviour is intended.
"""

from pathlib import Path

from sim import load_scenario, simulate

SEED = 2026
HERE = Path(__file__).resolve().parent.parent / "tests" / "backtest"


def expected(path: Path):
    """The summary table a back test pins for one scenario file."""
    res = simulate(load_scenario(path), seed=SEED)
    return res.summary[["kpi", "group", "n", "mean", "ci_low", "ci_high"]]


if __name__ == "__main__":
    for path in sorted(HERE.glob("*.yaml")):
        out = path.with_suffix(".expected.csv")
        expected(path).to_csv(out, index=False, float_format="%.10g")
        print(f"wrote {out}")
