"""Tables of a batch of replications: DataFrames built on access, numpy columns without them."""

import numpy as np
import pytest

from builders import scenario
from sim import simulate

FIELDS = {"visits": ["replication", "wait_min", "in_warmup"], "queue": ["time_min", "replication", "waiting"],
          "windows": ["replication", "state", "end_min"]}


@pytest.fixture(scope="module")
def result():
    return simulate(scenario(run={"days": 2}), seed=1, reps=3, workers=1)


def test_chosen_columns_equal_the_table_s_without_building_it(result):
    """tables.columns(name, fields) gives exactly those columns of the table, in that order
    (replication included), without building any DataFrame."""
    chosen = {name: result.tables.columns(name, fields) for name, fields in FIELDS.items()}
    assert repr(result.tables).endswith("built: none)")
    for name, fields in FIELDS.items():
        assert list(chosen[name]) == fields
        frame = result.tables[name]
        for f in fields:
            assert np.array_equal(np.asarray(frame[f], dtype=object), np.asarray(chosen[name][f], dtype=object)), (name, f)


def test_an_unknown_column_is_a_key_error(result):
    """Asking for a column the table does not have raises KeyError."""
    with pytest.raises(KeyError):
        result.tables.columns("visits", ["no_such_column"])
