"""Named random streams (sim.model.streams): one generator per (seed, replication, name)."""

import numpy as np
import pytest

from sim.model.streams import Streams


def draws(streams, name, n=5):
    return streams(name).random(n)


def test_same_seed_replication_and_name_give_the_same_numbers():
    """Two Streams with the same seed and replication draw identical numbers from a stream of the same name."""
    np.testing.assert_array_equal(draws(Streams(7, 3), "arrivals"), draws(Streams(7, 3), "arrivals"))


def test_a_stream_does_not_depend_on_the_order_of_first_use():
    """Using other streams first (or not at all) leaves a stream's numbers unchanged."""
    alone = Streams(7, 0)
    crowded = Streams(7, 0)
    for other in ("mix", "patience", "service_time:apply", "failures:printers"):
        draws(crowded, other, 50)
    np.testing.assert_array_equal(draws(alone, "arrivals"), draws(crowded, "arrivals"))


def test_a_stream_continues_rather_than_restarting_on_reuse():
    """Asking for the same name twice returns the same generator, which continues its sequence."""
    s = Streams(7, 0)
    first, second = draws(s, "mix"), draws(s, "mix")
    fresh = Streams(7, 0)("mix").random(10)
    np.testing.assert_array_equal(np.concatenate([first, second]), fresh)


@pytest.mark.parametrize("a, b", [
    ((7, 0, "arrivals"), (7, 0, "mix")),          # different names
    ((7, 0, "arrivals"), (7, 1, "arrivals")),     # different replications
    ((7, 0, "arrivals"), (8, 0, "arrivals")),     # different seeds
    ((7, 0, "service_time:apply"), (7, 0, "service_time:collect")),
])
def test_any_difference_in_seed_replication_or_name_gives_different_numbers(a, b):
    """Changing the seed, the replication or the stream name changes the numbers drawn."""
    (sa, ra, na), (sb, rb, nb) = a, b
    assert not np.array_equal(draws(Streams(sa, ra), na), draws(Streams(sb, rb), nb))


@pytest.mark.parametrize("seed, replication", [(-1, 0), (0, -1)])
def test_negative_seed_or_replication_is_refused(seed, replication):
    """A negative seed or replication raises ValueError naming both values."""
    with pytest.raises(ValueError, match="seed and replication must be >= 0"):
        Streams(seed, replication)
