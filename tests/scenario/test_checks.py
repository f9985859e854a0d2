"""Semantic checks (sim.scenario.checks): valid scenarios that make no sense as a hall day
are refused or warned about, naming the field; sensible ones pass without a word.

The tiny base hall (tests/builders.py) opens Monday 09:00–12:00 with one always-attended
window and 10 visitors of 5 minutes each: 50 window-minutes of work in 180.
"""

import pytest

from builders import scenario
from sim.scenario import checks
from sim.scenario.loader import ScenarioError, merge, with_overrides

TWO_SERVICES = {"consult": {"window_time": {"dist": "fixed", "value": 5}},
                "apply": {"window_time": {"dist": "fixed", "value": 5}}}
GREEN_ONLY = dict(
    windows=[{"id": "W1", "services": ["consult"]}, {"id": "G1", "kind": "green", "services": ["consult", "apply"]}],
    services=TWO_SERVICES,
    demand={"visitors_per_day": 10, "service_mix": {"consult": 1, "apply": 1}},
    policies={"green_channel": {"mode": "dedicated", "green_takes_ordinary": False}},
)
ROSTER = {"staffing": "roster"}


def person(name="a", post="W1", start="09:00", end="12:00", **more):
    return {"name": name, "a_post": post, "shift": {"start": start, "end": end}, **more}


def refused(**overrides) -> ScenarioError:
    """The ScenarioError that validation raises for the base with ``overrides``."""
    with pytest.raises(ScenarioError) as info:
        scenario(**overrides)
    return info.value


def findings(s, level):
    return [(f.path, str(f.message)) for f in checks.check(s) if f.level == level]


def test_the_tiny_hall_has_nothing_to_say():
    """A sensible hall gets no refusal and no warning."""
    assert checks.check(scenario()) == []


def test_offered_load_per_hour_is_arrivals_times_mean_time_over_attended_windows():
    """Each opening hour: 10/3 expected arrivals × 5 minutes over 60 attended window-minutes."""
    rows = checks.hourly_load(scenario())
    assert [(r.start, r.end) for r in rows] == [("09:00", "10:00"), ("10:00", "11:00"), ("11:00", "12:00")]
    for r in rows:
        assert r.arrivals == pytest.approx(10 / 3)
        assert r.work_min == pytest.approx(50 / 3)
        assert r.capacity_min == 60
        assert r.rho == pytest.approx(50 / 180)


def test_window_work_leaves_out_kiosk_users_and_visitors_sent_away_at_the_guide_desk():
    """Window minutes per arrival: kiosk users (30 %) and guide-desk catches bring no window work;
    a visit lacking documents at the window lasts its rejection fraction."""
    s = scenario(services={"consult": {"window_time": {"dist": "fixed", "value": 10}, "kiosk_time": {"dist": "fixed", "value": 3},
                                       "missing_docs_prob": 0.5, "rejection_fraction": 0.2}},
                 devices={"kiosks": {"count": 1, "services": ["consult"]}},
                 demand={"elderly_share": 0, "kiosk_preference": 0.3},
                 policies={"guide_desk": {"enabled": True, "detect_missing_docs": 0.5}})
    caught = 0.25  # half the visitors lack documents, half of those are told at the desk
    lack = 0.25 / (1 - caught)  # of the visitors who take a ticket, these lack documents
    expected = (1 - caught) * 0.7 * 10 * (1 - lack * (1 - 0.2))
    assert checks.window_work(s)["consult"] == pytest.approx(expected)


# ------------------------------------------------------------------------ refusals
def test_a_service_only_at_green_windows_that_call_elderly_only_is_refused_naming_it():
    """Under dedicated with green_takes_ordinary false, 'apply' offered only at the green
    window could never serve a younger visitor: validation refuses demand.service_mix.apply."""
    err = refused(**GREEN_ONLY)
    assert [p for p, _m in err.problems] == ["demand.service_mix.apply"]
    message = err.problems[0][1]
    assert "'apply'" in message and "G1" in message and "green_takes_ordinary" in message
    assert "绿色通道" in err.lines("zh")[0]


def test_a_green_only_service_is_fine_when_green_windows_take_ordinary_tickets_or_everyone_is_elderly():
    """The same hall passes when the green window may call ordinary tickets, or when every visitor is elderly."""
    assert findings(scenario(**merge(GREEN_ONLY, {"policies": {"green_channel": {"green_takes_ordinary": True}}})),
                    "refusal") == []
    assert findings(scenario(**merge(GREEN_ONLY, {"demand": {"elderly_share": 1.0}})), "refusal") == []


def test_no_window_ever_open_while_the_hall_is_is_refused():
    """A window whose hours fall outside the opening hours: nothing can be served; field windows."""
    err = refused(windows=[{"id": "W1", "services": ["consult"], "hours": [{"start": "13:00", "end": "14:00"}]}])
    assert [p for p, _m in err.problems] == ["windows"]
    assert "13:00–14:00" in err.problems[0][1] and "09:00–12:00" in err.problems[0][1]


def test_every_shift_after_closing_is_refused_naming_the_staff():
    """Staff who come after closing attend no window: refused, field staff, with shifts and opening hours."""
    err = refused(policies=ROSTER, staff=[person(start="13:00", end="17:00")])
    assert [p for p, _m in err.problems] == ["staff"]
    assert "13:00–17:00" in err.problems[0][1] and "09:00–12:00" in err.problems[0][1]


def test_staff_and_open_windows_that_never_meet_are_refused():
    """The window opens 11:00–12:00, the only shift ends at 10:00."""
    err = refused(policies=ROSTER, staff=[person(end="10:00")],
                  windows=[{"id": "W1", "services": ["consult"], "hours": [{"start": "11:00", "end": "12:00"}]}])
    assert [p for p, _m in err.problems] == ["staff"]
    assert "no staff member is on shift while a window is open" in err.problems[0][1]


def test_demand_far_above_capacity_is_refused_with_the_numbers():
    """40,000 visitors of 5 minutes at one window open 180 minutes: ρ ≈ 1,111 ≥ 10, refused
    on demand.visitors_per_day with arrivals, work and capacity in the message (100,000 a
    day is above the field's bound, refused before this check)."""
    err = refused(demand={"visitors_per_day": 40_000})
    assert [p for p, _m in err.problems] == ["demand.visitors_per_day"]
    message = err.problems[0][1]
    for number in ("1,111", "40,000", "200,000", "180"):
        assert number in message


def test_demand_just_under_the_refusal_limit_runs_with_a_warning():
    """ρ = 9 over the day is not refused; every hour is above 1, so a warning lists them."""
    s = scenario(demand={"visitors_per_day": 324})  # 324 × 5 / 180 = 9
    assert findings(s, "refusal") == []
    [(path, message)] = findings(s, "warning")
    assert path == "demand.visitors_per_day"
    assert "every opening day: 09:00–10:00 ρ 9.00, 10:00–11:00 ρ 9.00, 11:00–12:00 ρ 9.00" in message


def test_refusals_reach_every_way_of_building_a_scenario():
    """with_overrides (grid points, the dashboard's editor) refuses like a file does."""
    with pytest.raises(ScenarioError) as info:
        with_overrides(scenario(), {"demand.visitors_per_day": 40_000}, source="grid.yaml")
    assert info.value.lines()[0].startswith("grid.yaml: demand.visitors_per_day: the demand is")


def test_a_day_without_demand_is_not_refused_for_lack_of_staff():
    """Weekday factor 0 and nobody on shift: no work, so nothing to refuse."""
    s = scenario(demand={"weekday_factors": {"mon": 0}})
    assert findings(s, "refusal") == []


# ------------------------------------------------------------------------ warnings
def test_a_service_no_open_window_serves_at_some_hours_is_warned_with_the_hours():
    """'consult' is served only by W1, open 09:00–10:00; W2 serves 'apply' all day."""
    s = scenario(windows=[{"id": "W1", "services": ["consult"], "hours": [{"start": "09:00", "end": "10:00"}]},
                          {"id": "W2", "services": ["apply"]}],
                 services=TWO_SERVICES, demand={"service_mix": {"consult": 1, "apply": 1}})
    assert findings(s, "warning") == [
        ("demand.service_mix.consult",
         "no open window serves 'consult' on every opening day 10:00–12:00 (visitors arriving then wait until one "
         "opens, or leave)")]


def test_a_window_open_while_nobody_is_on_shift_is_warned():
    """W2 opens 10:00–11:00, the only shift ends at 09:30: W2 is never attended (windows.1)."""
    s = scenario(policies=ROSTER, staff=[person(end="09:30")],
                 windows=[{"id": "W1", "services": ["consult"]},
                          {"id": "W2", "services": ["consult"], "hours": [{"start": "10:00", "end": "11:00"}]}])
    paths = dict(findings(s, "warning"))
    assert "windows.1" in paths and "never attended" in paths["windows.1"] and "10:00–11:00" in paths["windows.1"]


def test_a_window_nobody_has_as_a_post_is_warned():
    """Two windows, one person on W1: W2 is attended only when someone else is free."""
    s = scenario(policies=ROSTER, staff=[person()],
                 windows=[{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}])
    assert findings(s, "warning") == [("windows.1", "no staff member has window 'W2' as A post: it is attended "
                                                    "only when someone else is free to cover it")]


def test_an_hour_above_capacity_is_warned_with_its_rho():
    """A 09:00 peak: 8 of 10 weights in the first hour, 72 visitors × 5 min at one window."""
    s = scenario(demand={"visitors_per_day": 90, "hourly_profile": {"09:00": 8, "10:00": 1, "11:00": 1}})
    [(path, message)] = findings(s, "warning")
    assert path == "demand.visitors_per_day"
    assert "on every opening day: 09:00–10:00 ρ 6.00 (" in message  # 72 × 5 / 60


def test_days_with_different_loads_are_named():
    """Monday (factor 1) and Tuesday (factor 2) differ: each day lists its own hours."""
    s = scenario(hall={"opening_hours": {"tue": {"open": "09:00", "close": "12:00"}}},
                 demand={"visitors_per_day": 90, "hourly_profile": {"09:00": 8, "10:00": 1, "11:00": 1},
                         "weekday_factors": {"tue": 2}}, run={"days": 2})
    [(path, message)] = findings(s, "warning")
    assert "on mon 09:00–10:00 ρ 6.00; tue 09:00–10:00 ρ 12.00, 10:00–11:00 ρ 1.50, 11:00–12:00 ρ 1.50 (" in message


def test_a_lunch_break_nobody_covers_shows_an_hour_without_an_attended_window():
    """The only person breaks 10:00–11:00: that hour has work and no attended window (ρ ∞)."""
    s = scenario(policies=ROSTER, staff=[person(breaks=[{"start": "10:00", "duration_min": 60}])])
    [(path, message)] = findings(s, "warning")
    assert "10:00–11:00 ρ ∞ (no window attended)" in message


def test_warnings_say_themselves_in_chinese():
    """Every finding's message has a Chinese text."""
    s = scenario(policies=ROSTER, staff=[person()],
                 windows=[{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}])
    [finding] = checks.check(s)
    assert finding.message.in_lang("zh") == "没有工作人员以窗口 'W2' 为 A 岗：只有别人空闲时才会有人顶岗"


def test_continuous_runs_check_the_flat_load():
    """A continuous M/M/1 at λ = 2/min, 1 min service: ρ = 2 is warned, ρ = 20 refused."""
    base = {"run": {"horizon_min": 600, "days": 1}, "demand": {"visitors_per_day": None, "arrival_rate_per_min": 2},
            "services": {"consult": {"window_time": {"dist": "exponential", "mean": 1}}}}
    s = scenario(**base)
    [(path, message)] = findings(s, "warning")
    assert path == "demand.arrival_rate_per_min" and "over the run" in message and "ρ 2.00" in message
    err = refused(**merge(base, {"demand": {"arrival_rate_per_min": 20}}))
    assert [p for p, _m in err.problems] == ["demand.arrival_rate_per_min"]


def test_findings_survive_pickling_with_their_chinese():
    """Messages cross process boundaries (the sweep's workers) and still say themselves in Chinese."""
    import pickle

    err = refused(**GREEN_ONLY)
    again = pickle.loads(pickle.dumps(err.problems[0][1]))
    assert again.in_lang("zh") == err.problems[0][1].in_lang("zh") and "绿色通道" in again.in_lang("zh")



def test_service_load_counts_tickets_and_window_minutes_by_hand():
    """Half the visitors elderly at 1.5x of a fixed 4-minute service, none at a kiosk or
    sent away: every arrival takes a ticket and brings 0.5*6 + 0.5*4 = 5 window minutes;
    the staffing search's window_load says the same over the mix."""
    from sim.experiments.staffing import window_load
    from sim.scenario.checks import service_load

    s = scenario(demand={"elderly_share": 0.5, "service_mix": {"consult": 1}},
                 services={"consult": {"window_time": {"dist": "fixed", "value": 4}, "elderly_multiplier": 1.5}})
    assert service_load(s, "consult") == pytest.approx((1.0, 5.0, 0.0))
    assert window_load(s) == pytest.approx((1.0, 5.0))


def test_service_load_counts_helped_elderly_visits_at_their_factor():
    """With helpers (ask_share 0.5, window_time_factor 2): half the elderly take
    1.5 x 4 x 2 = 12 minutes, the other half 6, the others 4: 0.5*4 + 0.25*6 + 0.25*12 = 6.5
    window minutes per arrival (every asker counted as helped)."""
    from sim.scenario.checks import service_load

    s = scenario(demand={"elderly_share": 0.5, "service_mix": {"consult": 1}},
                 services={"consult": {"window_time": {"dist": "fixed", "value": 4}, "elderly_multiplier": 1.5}},
                 helpers={"ask_share": 0.5, "window_time_factor": 2.0})
    assert service_load(s, "consult") == pytest.approx((1.0, 6.5, 0.0))
