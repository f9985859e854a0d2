"""Back tests: small fixed scenarios give exactly their pinned KPI summaries.

Cross-cutting (several layers at once), so it stays at the tests/ top level rather than in one layer's folder.
"""

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

HERE = Path(__file__).parent / "backtest"
spec = importlib.util.spec_from_file_location("regen", Path(__file__).parent.parent / "scripts" / "regen_backtests.py")
regen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(regen)


@pytest.mark.parametrize("name", sorted(p.stem for p in HERE.glob("*.yaml")))
def test_summary_matches_pinned_file(name):
    """The KPI summary equals the pinned file (regenerate with scripts/regen_backtests.py)."""
    pinned = pd.read_csv(HERE / f"{name}.expected.csv", keep_default_na=False, na_values=[""])
    now = regen.expected(HERE / f"{name}.yaml").reset_index(drop=True)
    assert list(now["kpi"] + "|" + now["group"]) == list(pinned["kpi"] + "|" + pinned["group"])
    for col in ("n", "mean", "ci_low", "ci_high"):
        pd.testing.assert_series_equal(now[col].astype(float), pinned[col].astype(float), rtol=1e-8, check_names=False)
