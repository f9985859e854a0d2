"""The dashboard's chart specs (sim.ui.charts): valid Vega-Lite, data inline as Altair writes it."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
import pytest

from sim.ui import charts


def _blocks() -> pd.DataFrame:
    return pd.DataFrame({"block_start": ["08:30", "09:30"], "block_end": ["09:30", "10:30"],
                         "arrivals_per_hour": [30.5, 42.0], "windows": [3, 4], "staff": [4, 5],
                         "erlang_c_windows": [3.0, np.nan], "erlang_a_windows": [2, 3], "verdict": ["met", "not met"]})


def _specs() -> dict[str, charts.Chart]:
    daily = pd.DataFrame({"date": ["2024-01-02", "2024-01-02", "2024-01-03"], "replication": [0, 1, 0],
                          "backlog_batch": [10, 12, 8]})
    apps = pd.DataFrame({"route": ["batch", "batch", "batch"], "cycle_days": [3, 5, np.nan]})
    rows = pd.DataFrame({"point": [0, 1], "windows": [3, 4], "policy": ["a", "b"], "mean": [0.5, np.nan],
                         "ci_low": [0.4, np.nan], "ci_high": [0.6, np.nan]})
    bars = pd.DataFrame({"scenario": ["a", "b"], "panel": "mean", "series": 0, "label": "elderly", "kpi": "wait_mean_min",
                         "group": "elderly", "mean": [3.0, 4.0], "ci_low": [2.5, 3.5], "ci_high": [3.5, 4.5]})
    return {
        "staffing": charts.staffing_chart(_blocks(), False, "en"),
        "backlog": charts.backlog_chart(daily, ["batch"], "zh"),
        "cycle": charts.cycle_chart(apps, ["batch"], {"batch": 4.0}, "en"),
        "sweep": charts.sweep_chart(rows, "windows", ["policy"], "share", True, 0.55, "en"),
        "bars": charts.bars_chart(bars, ["a", "b"], "elderly", "mean wait", target=5.0, lang="en"),
        "empty": charts.queue_chart(pd.DataFrame(columns=["scenario", "time_min", "mean", "p10", "p90"]), ["a"], False),
    }


@pytest.mark.parametrize("name", list(_specs()))
def test_every_chart_is_valid_vega_lite_with_its_data_inline(name):
    """Each chart function writes a spec the Vega-Lite schema accepts (to_dict validates by
    default), every dataset a layer names is in ``datasets``, and to_dict hands out a new
    top-level dict each time (Streamlit takes the datasets out of the one it gets)."""
    chart = _specs()[name]
    spec = chart.to_dict()
    named = set()

    def walk(part):
        if isinstance(part, dict):
            if set(part) == {"name"} and str(part["name"]).startswith("data-"):
                named.add(part["name"])
            for value in part.values():
                walk(value)
        elif isinstance(part, list):
            for value in part:
                walk(value)

    walk({k: v for k, v in spec.items() if k != "datasets"})
    assert named and named == set(spec["datasets"])
    del spec["datasets"]
    assert "datasets" in chart.to_dict(validate=False)


def test_an_invalid_spec_is_refused_when_validated():
    """to_dict() checks the spec against the schema: a mark Vega-Lite does not know fails."""
    bad = charts.Chart({**charts.cycle_chart(None, [], {}).spec, "mark": {"type": "bogus"}})
    with pytest.raises(Exception, match="bogus|const|type"):
        bad.to_dict()
    assert bad.to_dict(validate=False)["mark"] == {"type": "bogus"}


def test_inline_values_are_written_as_altair_writes_them():
    """chart_values: floats as floats with NaN and inf as None, ints as ints, datetimes as ISO
    strings, categoricals as their values — the rows Altair's data transformer gives, and a
    chart's datasets are named by Altair's hash of them."""
    frame = pd.DataFrame({"x": [1.5, math.nan, math.inf], "n": np.array([1, 2, 3], dtype=np.int64),
                          "when": pd.to_datetime(["2024-01-02 00:00", "2024-01-03 10:30", None]),
                          "kind": pd.Categorical(["a", None, "b"]), "flag": [True, False, True], "text": ["u", "v", "w"]})
    values = charts.chart_values(frame)
    assert values == alt.utils.data.to_values(frame)["values"]
    assert values[1] == {"x": None, "n": 2, "when": "2024-01-03T10:30:00", "kind": None, "flag": False, "text": "v"}
    assert type(values[0]["n"]) is int and type(values[0]["x"]) is float
    spec = charts.Chart(alt.Chart(frame).mark_point().encode(x="x:Q").to_dict(validate=False))
    assert set(spec.spec["datasets"]) == {charts.dataset_name(values)}
