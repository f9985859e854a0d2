"""Accompanied service for the elderly (陪办 / 帮办): tiny deterministic days, the helper's
states, the kiosk rule, the KPIs, and the direction of more or fewer helpers."""

import math

import numpy as np

from builders import run_day, scenario, visitor
from sim import OUTCOMES, simulate
from sim.model.records import EXTRA_VISIT_COLUMNS, visit_columns

T0 = 540.0  # 09:00
SHIFT = {"start": "09:00", "end": "12:00"}
ROSTER = {"staffing": "roster", "green_channel": {"mode": "none"}}
SHIFT_ENTRY = {"a_post": "helper", "shift": SHIFT}


def hall(helper=None, windows=1, **helpers):
    """W1 (and W2) each with its A; one helper ``hu`` on the helper post (``helper``
    overrides their entry); every elderly visitor asks for help unless told otherwise."""
    staff = [{"name": f"a{i + 1}", "a_post": f"W{i + 1}", "shift": SHIFT} for i in range(windows)]
    staff.append({"name": "hu", "a_post": "helper", "shift": SHIFT, **(helper or {})})
    return scenario(windows=[{"id": f"W{i + 1}", "services": ["consult"]} for i in range(windows)],
                    staff=staff, policies=ROSTER,
                    helpers={"ask_share": 1.0, "patience": {"dist": "fixed", "value": 4}, **helpers})


def elderly(vid, arrival, patience=4.0, **kw):
    """An elderly visitor who asks for a helper (help draw 0) and waits ``patience`` minutes for one."""
    v = visitor(vid, arrival, elderly=True, **kw)
    v.help_u, v.help_patience = 0.0, patience
    return v


def test_helper_joins_waits_and_the_impatient_go_alone():
    """The first asker gets the free helper at once and keeps them to the end of the visit
    (09:00-09:05). The second (patience 10) waits for the helper from 09:01 and is joined
    when the first leaves, at 09:05; the third (patience 2) gives up at 09:04 and takes a
    ticket alone, ahead of the second, who holds the helper until their visit ends."""
    vs = [elderly(0, T0), elderly(1, T0 + 1, patience=10.0), elderly(2, T0 + 2, patience=2.0)]
    _, rec = run_day(hall(), vs)
    assert [v.helper for v in vs] == ["hu", "hu", None]
    assert [v.help_wait for v in vs] == [0.0, 4.0, 2.0]
    assert [v.ticket_time for v in vs] == [T0, T0 + 5, T0 + 4]
    assert [v.call for v in vs] == [T0, T0 + 10, T0 + 5]
    assert [v.end for v in vs] == [T0 + 5, T0 + 15, T0 + 10]
    helping = [(r[4], r[5]) for r in rec.staff if r[0] == "hu" and r[1] == "helping"]
    assert helping == [(T0, T0 + 5), (T0 + 5, T0 + 15)]
    assert all(v.outcome == "served" for v in vs)


def test_when_busy_alone_goes_on_at_once():
    """Under when_busy: alone an asker who finds the helper busy takes a ticket at once."""
    vs = [elderly(0, T0 + 1), elderly(1, T0 + 2)]
    run_day(hall(when_busy="alone"), vs)
    assert vs[0].helper == "hu"
    assert vs[1].helper is None and vs[1].help_wait == 0.0 and vs[1].ticket_time == T0 + 2


def test_only_elderly_below_the_share_ask():
    """A visitor under the elderly age never asks; an elderly one asks only when the help
    draw is below ask_share."""
    young = visitor(0, T0)
    young.help_u = 0.0
    old_no = elderly(1, T0 + 1)
    old_no.help_u = 0.6
    run_day(hall(ask_share=0.5), [young, old_no])
    assert young.help_asked is None and old_no.help_asked is None and old_no.helper is None


def test_helped_visitor_prefers_the_kiosk_and_is_faster_at_the_window():
    """With kiosk_preference 0.8 a helped elderly visitor whose draw (0.5) is above the
    elderly preference (0.1) uses the kiosk with the helper; at a window a helped visit
    takes window_time_factor x its minutes."""
    s = scenario(windows=[{"id": "W1", "services": ["consult", "e_card"]}],
                 services={"consult": {"window_time": {"dist": "fixed", "value": 5}},
                           "e_card": {"window_time": {"dist": "fixed", "value": 4},
                                      "kiosk_time": {"dist": "fixed", "value": 3}}},
                 devices={"kiosks": {"count": 1, "services": ["e_card"]}},
                 demand={"visitors_per_day": 10, "service_mix": {"consult": 1, "e_card": 1},
                         "elderly_kiosk_preference": 0.1},
                 staff=[{"name": "a1", "a_post": "W1", "shift": SHIFT},
                        {"name": "hu", "a_post": "helper", "shift": SHIFT},
                        {"name": "hv", "a_post": "helper", "shift": SHIFT}],
                 policies=ROSTER, helpers={"ask_share": 1.0, "kiosk_preference": 0.8, "window_time_factor": 0.6})
    at_kiosk = elderly(0, T0, service="e_card", kiosk_u=0.5, kiosk_time=3.0)
    alone = visitor(1, T0, service="e_card", elderly=True, kiosk_u=0.5)
    at_window = elderly(2, T0 + 1)
    run_day(s, [at_kiosk, alone, at_window])
    assert at_kiosk.outcome == "served_kiosk" and at_kiosk.helper == "hu" and at_kiosk.end == T0 + 3
    assert alone.outcome == "served" and alone.window == "W1"  # alone, 0.5 > 0.1: a ticket
    assert at_window.helper == "hv" and math.isclose(at_window.end - at_window.start, 3.0)


def test_helper_on_break_is_waited_for_and_a_break_waits_for_the_visit():
    """A helper due for a break while accompanying someone goes when the visit ends; an
    elderly visitor asking meanwhile is joined when the helper is back."""
    s = hall(helper={"breaks": [{"start": "09:02", "duration_min": 10}]})
    vs = [elderly(0, T0), elderly(1, T0 + 6, patience=20.0)]
    _, rec = run_day(s, vs)
    assert ("hu", "break", None, "helper", T0 + 5, T0 + 15) in rec.staff
    assert vs[1].helper == "hu" and vs[1].help_wait == 9.0 and vs[1].ticket_time == T0 + 15


def test_helpers_cover_an_empty_window_only_when_allowed():
    """With staff_may_cover a free helper covers W1 while its A is on a break; without it
    W1 stands empty."""
    a_break = [{"name": "a1", "a_post": "W1", "shift": SHIFT, "breaks": [{"start": "10:00", "duration_min": 30}]},
               {"name": "hu", "a_post": "helper", "shift": SHIFT}]
    covered = scenario(staff=a_break, policies=ROSTER, helpers={"ask_share": 0.5, "staff_may_cover": True})
    _, rec = run_day(covered, [])
    assert ("W1", "idle", "hu", True, 600.0, 630.0) in rec.windows
    alone = scenario(staff=a_break, policies=ROSTER, helpers={"ask_share": 0.5})
    _, rec = run_day(alone, [])
    assert ("W1", "empty", None, False, 600.0, 630.0) in rec.windows


def test_helper_columns_only_with_helpers():
    """The visit columns asked_help / helped / helper / helper_wait_min come only with the
    helpers section, and hold what happened."""
    vs = [elderly(0, T0), elderly(1, T0 + 1, patience=1.0), visitor(2, T0 + 2)]
    run_day(hall(), vs)
    cols = visit_columns(vs, "", "mon", 0.0, tuple(EXTRA_VISIT_COLUMNS["helpers"]))
    assert cols["asked_help"].tolist() == [True, True, False]
    assert cols["helped"].tolist() == [True, False, False]
    assert cols["helper"].tolist() == ["hu", None, None]
    assert np.allclose(cols["helper_wait_min"], [0.0, 1.0, np.nan], equal_nan=True)
    without = simulate(scenario(), seed=0, reps=1)
    assert "helped" not in without.visits and not without.kpis["kpi"].str.contains("help").any()


def _county(helpers=1, window_a=2, **extra):
    """Two windows; ``window_a`` of them have an A (the others' A is a helper instead);
    ``helpers`` people on the helper post in all."""
    staff = [{"name": f"a{i}", "a_post": f"W{i}", "shift": SHIFT} for i in range(1, window_a + 1)]
    staff += [{"name": f"h{i}", "a_post": "helper", "shift": SHIFT} for i in range(helpers)]
    return scenario(
        windows=[{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}],
        staff=staff,
        demand={"visitors_per_day": 45, "service_mix": {"consult": 1}, "elderly_share": 0.5},
        services={"consult": {"window_time": {"dist": "lognormal", "mean": 5, "cv": 0.5}, "elderly_multiplier": 1.5}},
        policies={**ROSTER, "patience": {"dist": "exponential", "mean": 30}},
        helpers={"ask_share": 0.6, "patience": {"dist": "exponential", "mean": 8}, **extra},
        run={"days": 6})


def test_more_helpers_help_more_and_keep_askers_waiting_less():
    """Direction, common random numbers: a second helper raises the helped visits and the
    helped share of the elderly, and lowers the wait for a helper and the unmet asks."""
    one = simulate(_county(helpers=1), seed=3, reps=4)
    two = simulate(_county(helpers=2), seed=3, reps=4)
    assert two.kpi("helped_visits_per_day").mean > one.kpi("helped_visits_per_day").mean
    assert two.kpi("helped_share", "elderly").mean > one.kpi("helped_share", "elderly").mean
    assert two.kpi("helper_wait_mean_min").mean < one.kpi("helper_wait_mean_min").mean
    assert two.kpi("help_unmet_rate", "elderly").mean < one.kpi("help_unmet_rate", "elderly").mean
    for res in (one, two):
        assert res.visits["outcome"].isin(OUTCOMES).all()
        assert 0 <= res.kpi("helper_utilisation").mean <= 1


def test_helpers_taken_from_the_windows_lengthen_the_others_waits():
    """Direction, common random numbers: making W2's A a second helper (W2 then stands
    empty) lengthens the waits of visitors who are not elderly."""
    both = simulate(_county(helpers=1, window_a=2), seed=4, reps=4)
    taken = simulate(_county(helpers=2, window_a=1), seed=4, reps=4)
    assert taken.kpi("wait_mean_min", "other").mean > both.kpi("wait_mean_min", "other").mean
    assert taken.kpi("helped_visits_per_day").mean > both.kpi("helped_visits_per_day").mean


def test_always_staffed_halls_have_anonymous_helpers():
    """Under staffing: always one anonymous helper per helper-post entry (at least one)
    attends the post all day: two askers at once are both joined."""
    s = scenario(helpers={"ask_share": 1.0}, staff=[{**SHIFT_ENTRY, "name": f"h{i}"} for i in range(2)])
    vs = [elderly(0, T0 + 1), elderly(1, T0 + 1)]
    run_day(s, vs)
    assert sorted(v.helper for v in vs) == ["auto-helper-1", "auto-helper-2"]
    one = [elderly(0, T0 + 1), elderly(1, T0 + 1, patience=0.0)]
    run_day(scenario(helpers={"ask_share": 1.0}), one)
    assert [v.helper for v in one] == ["auto-helper-1", None]
