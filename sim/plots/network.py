"""A schematic map of a network (no map tiles: it works offline): zones as discs placed by
their coordinates, their area proportional to the residents, coloured by the circle or by
the wait; points as markers by level, filled when they make cards on the spot."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from sim.network.display import network_text
from sim.plots.style import finish, new_figure

__all__ = ["network_map", "MAP_COLOURS"]

MAP_COLOURS = {
    "circle": ("circle_share", "map.circle", "RdYlGn", (0.0, 1.0)),
    "door": ("door_to_card_share", "map.door", "RdYlGn", (0.0, 1.0)),
    "wait": ("wait_mean_min", "map.wait", "viridis_r", None),
}
"""What a map may be coloured by: zone column, colour-bar label (a key of
``net.*`` of :data:`sim.results.labels.TEXTS`), colour map, range."""

_MARKERS = {"city": "s", "county": "s", "bank_outlet": "^", "town": "D", "agency": "o"}


def network_map(result, colour: str = "circle", lang: str = "en", width: float = 7.5) -> Figure:
    """The map of a :class:`sim.network.simulation.NetworkResult` coloured by ``colour``
    (a key of :data:`MAP_COLOURS`). Axes in km."""
    if colour not in MAP_COLOURS:
        raise ValueError(f"colour must be one of {', '.join(MAP_COLOURS)} (got {colour!r})")
    column, label_key, cmap, limits = MAP_COLOURS[colour]
    label = network_text(label_key, lang)
    net = result.loaded.network
    zones = result.zones.set_index("zone")
    fig, ax = new_figure(lang, width, width * 0.85)
    x = np.array([z.x_km for z in net.zones])
    y = np.array([z.y_km for z in net.zones])
    pop = np.array([z.population for z in net.zones], dtype=float)
    values = zones.loc[[z.name for z in net.zones], column].to_numpy(dtype=float)
    size = 1500.0 * pop / max(pop.max(), 1.0) + 20.0
    vmin, vmax = limits if limits else (0.0, max(float(np.nanmax(values)) if len(values) else 1.0, 1e-9))
    discs = ax.scatter(x, y, s=size, c=values, cmap=cmap, vmin=vmin, vmax=vmax, alpha=0.75, edgecolors="#555555",
                       linewidths=0.6, zorder=2)
    for zone, zx, zy in zip(net.zones, x, y):
        ax.annotate(zone.name, (zx, zy), textcoords="offset points", xytext=(0, -14), ha="center", fontsize=7,
                    color="#333333", zorder=4)
    issuing = dict(zip(result.points["point"], result.points["instant_issue"]))
    for p in net.points:
        level = result.loaded.scenarios[p.name].hall.level
        filled = bool(issuing.get(p.name, False))
        ax.scatter([p.x_km], [p.y_km], marker=_MARKERS.get(level, "o"), s=70, zorder=3,
                   facecolors="#111111" if filled else "white", edgecolors="#111111", linewidths=1.2)
        ax.annotate(p.name, (p.x_km, p.y_km), textcoords="offset points", xytext=(6, 5), fontsize=7, zorder=4)
    bar = fig.colorbar(discs, ax=ax, shrink=0.8)
    bar.set_label(label)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel(network_text("map.east", lang))
    ax.set_ylabel(network_text("map.north", lang))
    ax.set_title(f"{net.name}: {label}; {network_text('map.legend', lang)}", fontsize=9, loc="left")
    return finish(fig, lang)
