"""Fixtures of tiny networks (see tests/network_builders.py)."""

from __future__ import annotations

import pytest

from network_builders import write_files
from sim.network.loader import load_network


@pytest.fixture
def write_network(tmp_path):
    """``write_network(**overrides)`` writes the tiny network's files into a temporary
    folder and returns the path of net.yaml."""
    return lambda **overrides: write_files(tmp_path, **overrides)


@pytest.fixture
def tiny(write_network):
    """``tiny(**overrides)``: the loaded tiny network."""
    return lambda **overrides: load_network(write_network(**overrides))
