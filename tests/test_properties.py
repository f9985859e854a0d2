"""Property tests: the loader fails cleanly on any malformed input; conservation always holds.

Cross-cutting (several layers at once), so it stays at the tests/ top level rather than in one layer's folder.
"""

import copy

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builders import BASE, scenario
from sim import OUTCOMES, ScenarioError, load_scenario_text, simulate

PATHS = [
    ("hall", "floor_area_m2"), ("hall", "level"), ("windows",), ("demand", "visitors_per_day"),
    ("demand", "service_mix"), ("services", "consult", "window_time"), ("policies", "green_channel"),
    ("run", "days"), ("sla", "wait_mean_max_min"), ("hall", "opening_hours", "mon", "open"),
]
JUNK = st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.text(max_size=8),
                 st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2))


@settings(max_examples=150, deadline=None)
@given(path=st.sampled_from(PATHS), junk=JUNK)
def test_loader_fails_only_with_scenario_error(path, junk):
    """Replacing any field with junk either loads or raises ScenarioError naming a field — nothing else."""
    data = copy.deepcopy(BASE)
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = junk
    try:
        text = yaml.safe_dump(data)
    except yaml.YAMLError:
        return
    try:
        load_scenario_text(text, "<prop>")
    except ScenarioError as exc:
        assert exc.problems and all(isinstance(p, str) and m for p, m in exc.problems)


@settings(max_examples=150, deadline=None)
@given(text=st.one_of(st.text(max_size=200), st.text(alphabet="{}[]:,-?&*!|>'\"#% \n\tab1.", max_size=60)))
@example(text="{}:")  # a mapping as a key once crashed the duplicate-key check
def test_loader_survives_arbitrary_text(text):
    """Arbitrary text (and text made of YAML's own punctuation) is a scenario or a
    ScenarioError, never another exception."""
    try:
        load_scenario_text(text, "<prop>")
    except ScenarioError:
        pass


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    windows=st.integers(1, 3),
    per_day=st.floats(5, 120),
    mode=st.sampled_from(["none", "priority", "dedicated"]),
    patience=st.one_of(st.none(), st.floats(0.5, 30)),
    baulk=st.one_of(st.none(), st.integers(1, 10)),
    guide=st.booleans(),
    missing=st.floats(0, 0.5),
    roster=st.booleans(),
    waits=st.booleans(),
    rests=st.one_of(st.none(), st.tuples(st.floats(10, 120), st.floats(1, 30))),
    seed=st.integers(0, 2**31),
)
def test_conservation_on_generated_halls(windows, per_day, mode, patience, baulk, guide, missing, roster, waits, rests,
                                         seed):
    """Every visitor of a generated hall ends in exactly one outcome (breaks that wait for
    cover and rests after a stretch at the windows included)."""
    wins = [{"id": f"W{i}", "services": ["consult", "apply"], "kind": "green" if i == 0 else "general"}
            for i in range(windows)]
    staff = [{"name": f"S{i}", "a_post": f"W{i}", "b_post": f"W{(i + 1) % windows}" if windows > 1 else None,
              "shift": {"start": "09:00", "end": "11:30"}, "breaks": [{"start": "10:00", "duration_min": 15}],
              "absences": {"rate_per_hour": 0.5}} for i in range(windows)]
    staff.append({"name": "G", "a_post": "guide", "b_post": "W0", "shift": {"start": "09:00", "end": "12:00"}})
    s = scenario(
        windows=wins,
        staff=staff if roster else [],
        demand={"visitors_per_day": per_day, "service_mix": {"consult": 1, "apply": 1}, "elderly_share": 0.4},
        services={"consult": {"window_time": {"dist": "exponential", "mean": 4}, "missing_docs_prob": missing},
                  "apply": {"window_time": {"dist": "lognormal", "mean": 6, "cv": 0.7}, "instant_issue": True}},
        devices={"instant_printers": {"count": 1, "mtbf_min": 60}},
        policies={"staffing": "roster" if roster else "always", "green_channel": {"mode": mode},
                  "patience": {"dist": "exponential", "mean": patience} if patience else None,
                  "baulk_queue_length": baulk, "guide_desk": {"enabled": guide}, "breaks_wait_for_cover": waits,
                  "rests": None if rests is None else {"after_min": rests[0], "length_min": rests[1]}},
        run={"days": 3},
    )
    res = simulate(s, seed=seed % 1000, reps=1)
    v = res.visits
    assert v["outcome"].isin(OUTCOMES).all()
    assert v["visitor"].is_unique
