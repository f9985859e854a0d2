"""A county's network of service points: zones choose points, each point's hall is
simulated with its assigned demand, and the 10-minute card circle is measured.

``load_network(path)`` reads a network file; ``simulate_network(loaded, seed, reps)``
runs it; :mod:`sim.network.whatif` adds, closes or moves points and compares on common
random numbers; :mod:`sim.network.location` places new instant-issue outlets.
"""

from sim.network.loader import LoadedNetwork, load_network, load_network_text
from sim.network.simulation import NetworkResult, simulate_network

__all__ = ["LoadedNetwork", "load_network", "load_network_text", "NetworkResult", "simulate_network"]
