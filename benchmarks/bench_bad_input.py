"""Bad-input benchmark (not a test): time and memory to refuse each malformed scenario file.

    python benchmarks/bench_bad_input.py [--processes 3]

Target (issue "bad input"): every malformed file is refused in under 5 s and 300 MB.

1. In-process, for every file of the generated corpus of ``tests/scenario/test_malformed_corpus.py``
   plus the heaviest inputs the limits let through (files of just under 1 MB: the most values,
   the longest string, an alias bomb after 1 MB of padding, an empirical distribution of
   10,000 values, 1,000-deep nesting): wall time of :func:`sim.scenario.loader.load_scenario`
   and the peak of Python allocations during it (``tracemalloc``).
2. For the ``--processes`` slowest of them, ``python -m sim validate FILE`` as a fresh
   process: wall time and the peak resident memory of the whole process (imports included).
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.scenario.limits import MAX_FILE_BYTES  # noqa: E402
from sim.scenario.loader import ScenarioError, load_scenario  # noqa: E402

TIME_S, MEMORY_MB = 5.0, 300.0


def corpus():
    """(name, bytes) of the test corpus."""
    spec = importlib.util.spec_from_file_location("malformed_corpus", ROOT / "tests" / "scenario" /
                                                  "test_malformed_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return [(c.name, c.content) for c in module.CORPUS]


def heavy():
    """(name, bytes) of inputs at the limits, each just under 1 MB."""
    county = (ROOT / "scenarios" / "county_hall.yaml").read_bytes()
    room = MAX_FILE_BYTES - len(county) - 64
    values = min(49_000, room // 3)
    bomb = 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 9))
    empirical = "values: [" + ", ".join(["1.5"] * 10_000) + "]"
    return [
        ("most_values.yaml", county + b"\nx: [" + b"1, " * values + b"1]\n"),
        ("longest_string.yaml", county.replace(b"description: >-", b"description: " + b"x" * (room - 40) +
                                               b"\nnotes: >-", 1)),
        ("padded_bomb.yaml", b"#" + b"p" * (room - len(bomb) - 10) + b"\n" + bomb.encode() + b"z: *a8\n" + county),
        ("empirical_10000.yaml", county.replace(b"window_time: {dist: lognormal, mean: 6.5, cv: 0.4}",
                                                b"window_time: {dist: empirical, " + empirical.encode() + b"}", 1)
         + b"\nextra: 1\n"),
        ("nested_1000.yaml", county + b"\nx: " + b"[" * 1000 + b"]" * 1000 + b"\n"),
        ("over_cap.yaml", county + b"\n#" + b"p" * MAX_FILE_BYTES + b"\n"),
    ]


def in_process(folder: Path, files):
    rows = []
    for name, content in files:
        path = folder / name
        path.write_bytes(content)
        tracemalloc.start()
        t0 = time.perf_counter()
        try:
            load_scenario(path)
            outcome = "LOADED"
        except ScenarioError as exc:
            outcome = exc.lines()[0][len(str(path)) + 2:][:70]
        seconds = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rows.append((name, len(content), seconds, peak, outcome))
    return rows


def as_process(path: Path) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    code = subprocess.call([sys.executable, "-m", "sim", "validate", str(path)], cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(after, before) / 1024, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=3, help="slowest files to run as a fresh process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = corpus() + heavy()
        rows = in_process(folder, files)
        rows.sort(key=lambda r: -r[2])
        print(f"{len(rows)} files; slowest first (in process: load_scenario, tracemalloc peak)")
        print(f"{'file':44} {'bytes':>9} {'s':>7} {'peak MB':>8}  first line")
        for name, size, seconds, peak, outcome in rows[:12]:
            print(f"{name:44} {size:9d} {seconds:7.3f} {peak:8.1f}  {outcome}")
        worst_s, worst_mb = max(r[2] for r in rows), max(r[3] for r in rows)
        loaded = [r[0] for r in rows if r[4] == "LOADED"]
        print(f"worst: {worst_s:.3f} s, {worst_mb:.1f} MB of Python allocations; loaded (should be none): {loaded}")
        print("\nas a fresh process (python -m sim validate FILE; RSS includes the imports):")
        for name, *_ in rows[: args.processes]:
            seconds, rss, code = as_process(folder / name)
            print(f"{name:44} {seconds:7.2f} s {rss:8.1f} MB peak RSS (children so far), exit {code}")
        ok = worst_s < TIME_S and worst_mb < MEMORY_MB and not loaded
        print(f"\ntarget < {TIME_S:g} s and < {MEMORY_MB:g} MB per file: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
