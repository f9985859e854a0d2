"""The schematic network map: a non-blank figure whose discs carry the zones' values."""

import numpy as np
import pytest
from matplotlib.collections import PathCollection

from network_builders import write_files
from sim.network import load_network, simulate_network
from sim.plots.network import network_map


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    folder = tmp_path_factory.mktemp("net")
    loaded = load_network(write_files(folder, zones=[
        {"name": "near", "population": 1000, "x_km": 0, "y_km": 0},
        {"name": "far", "population": 500, "x_km": 30, "y_km": 0}]))
    return simulate_network(loaded, seed=0, reps=2, workers=1)


@pytest.mark.parametrize("colour", ["circle", "door", "wait"])
def test_zone_discs_carry_the_zone_values(result, colour):
    """The first scatter holds one disc per zone coloured by the zone table's column, and
    the figure draws to a non-blank PNG."""
    fig = network_map(result, colour)
    discs = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)][0]
    column = {"circle": "circle_share", "door": "door_to_card_share", "wait": "wait_mean_min"}[colour]
    np.testing.assert_allclose(discs.get_array(), result.zones[column].to_numpy(dtype=float))
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    assert np.asarray(canvas.buffer_rgba()).std() > 0


def test_an_unknown_colour_is_refused(result):
    """Only the documented colourings are accepted."""
    with pytest.raises(ValueError, match="colour must be one of"):
        network_map(result, "rainbow")
