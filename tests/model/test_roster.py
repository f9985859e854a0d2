"""A/B staffing (sim.model.roster): who attends which window through one tiny day.

Each test runs one day (09:00-12:00) of the tiny hall of ``builders`` under a roster and
reads the window and staff intervals the day recorded. Window intervals are
(window, state, staff, covered, start, end); staff intervals are
(staff, state, post, a_post, start, end).
"""

from builders import run_day, scenario, visitor


def roster(*staff, **policies):
    """The tiny hall with ``staff`` on a roster (and extra ``policies``)."""
    return scenario(policies={"staffing": "roster", **policies}, staff=list(staff))


def person(name, a_post, b_post=None, start="09:00", end="12:00", breaks=(), **more):
    p = {"name": name, "a_post": a_post, "shift": {"start": start, "end": end},
         "breaks": [{"start": t, "duration_min": d} for t, d in breaks], **more}
    if b_post is not None:
        p["b_post"] = b_post
    return p


def window_rows(rec, state=None):
    return [r for r in rec.windows if state is None or r[1] == state]


def staff_rows(rec, state=None):
    return [r for r in rec.staff if state is None or r[1] == state]


def test_empty_window_recorded_without_cover():
    """A's 30-minute break with nobody to cover leaves the window empty for exactly 30 minutes."""
    s = scenario(
        policies={"staffing": "roster"},
        staff=[{"name": "A", "a_post": "W1", "shift": {"start": "09:00", "end": "12:00"},
                "breaks": [{"start": "10:00", "duration_min": 30}]}],
    )
    _, rec = run_day(s, [])
    empty = [(s_, e) for (w, state, who, cov, s_, e) in rec.windows if state == "empty"]
    assert empty == [(600.0, 630.0)]


def test_b_post_covers_and_hands_back():
    """A floater with B post W1 covers A's break, so the window is never empty, and hands back when A returns."""
    s = scenario(
        policies={"staffing": "roster"},
        staff=[
            {"name": "A", "a_post": "W1", "shift": {"start": "09:00", "end": "12:00"},
             "breaks": [{"start": "10:00", "duration_min": 30}]},
            {"name": "B", "a_post": "floater", "b_post": "W1", "shift": {"start": "09:00", "end": "12:00"}},
        ],
    )
    _, rec = run_day(s, [])
    states = [(state, who, cov, s_, e) for (w, state, who, cov, s_, e) in rec.windows]
    assert not any(st == "empty" for st, *_ in states)
    assert ("idle", "B", True, 600.0, 630.0) in states
    assert ("idle", "A", False, 630.0, 720.0) in states


def test_break_waits_for_the_current_visitor():
    """A break due while serving starts when the visitor is done and still lasts its full duration."""
    s = scenario(
        policies={"staffing": "roster"},
        staff=[{"name": "A", "a_post": "W1", "shift": {"start": "09:00", "end": "12:00"},
                "breaks": [{"start": "10:00", "duration_min": 30}]}],
    )
    vs = [visitor(0, 598.0, base=5)]
    _, rec = run_day(s, vs)
    brk = [(s_, e) for (name, state, post, a, s_, e) in rec.staff if state == "break"]
    assert brk == [(603.0, 633.0)]


def test_b_whose_own_window_is_open_does_not_cover():
    """B attending their own window does not leave it to cover: the other window goes empty instead."""
    s = scenario(
        windows=[{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}],
        policies={"staffing": "roster"},
        staff=[
            {"name": "A", "a_post": "W1", "shift": {"start": "09:00", "end": "12:00"},
             "breaks": [{"start": "10:00", "duration_min": 20}]},
            {"name": "B", "a_post": "W2", "b_post": "W1", "shift": {"start": "09:00", "end": "12:00"}},
        ],
    )
    _, rec = run_day(s, [])
    empty = [(w, s_, e) for (w, state, who, cov, s_, e) in rec.windows if state == "empty"]
    assert empty == [("W1", 600.0, 620.0)]


def test_b_post_is_asked_before_a_floater():
    """The person whose B post is the window covers it, even when a plain floater is listed first."""
    s = roster(person("A", "W1", breaks=[("10:00", 30)]),
               person("F", "floater"),
               person("B", "floater", b_post="W1"))
    _, rec = run_day(s, [])
    assert ("W1", "idle", "B", True, 600.0, 630.0) in window_rows(rec)
    assert ("F", "available", None, "floater", 540.0, 720.0) in staff_rows(rec)  # F never left the pool


def test_guide_desk_staff_cover_an_empty_window_when_allowed():
    """With nobody else free, guide-desk staff leave the desk to cover A's break and return to the desk after."""
    s = roster(person("A", "W1", breaks=[("10:00", 30)]), person("G", "guide"),
               guide_desk={"enabled": True, "staff_may_cover": True})
    _, rec = run_day(s, [])
    assert window_rows(rec, "empty") == []
    assert ("W1", "idle", "G", True, 600.0, 630.0) in window_rows(rec)
    assert [(r[4], r[5]) for r in staff_rows(rec, "guide")] == [(540.0, 600.0), (630.0, 720.0)]


def test_guide_desk_staff_stay_at_the_desk_when_not_allowed_to_cover():
    """With staff_may_cover false, the guide stays at the desk all day and the window is empty during A's break."""
    s = roster(person("A", "W1", breaks=[("10:00", 30)]), person("G", "guide"),
               guide_desk={"enabled": True, "staff_may_cover": False})
    _, rec = run_day(s, [])
    assert [(r[4], r[5]) for r in window_rows(rec, "empty")] == [(600.0, 630.0)]
    assert [(r[4], r[5]) for r in staff_rows(rec, "guide")] == [(540.0, 720.0)]


def test_cover_hands_back_only_after_the_current_visitor():
    """A returns at 10:30 while the cover B is serving; B finishes the visitor (a covered service) and A takes over at 10:33."""
    s = roster(person("A", "W1", breaks=[("10:00", 30)]), person("B", "floater", b_post="W1"))
    vs = [visitor(0, 628.0, base=5)]
    _, rec = run_day(s, vs)
    assert vs[0].staff == "B" and vs[0].outcome == "served" and vs[0].end == 633.0
    assert ("W1", "serving", "B", True, 628.0, 633.0) in window_rows(rec)
    assert ("W1", "idle", "A", False, 633.0, 720.0) in window_rows(rec)
    assert ("A", "available", None, "W1", 630.0, 633.0) in staff_rows(rec)  # back, waiting for the handover


def test_window_is_empty_until_a_late_shift_starts():
    """A's shift starting at 10:00 with nobody to cover leaves the window empty from opening (09:00) until 10:00."""
    s = roster(person("A", "W1", start="10:00"))
    _, rec = run_day(s, [])
    assert window_rows(rec) == [("W1", "empty", None, False, 540.0, 600.0), ("W1", "idle", "A", False, 600.0, 720.0)]


def test_shift_end_at_closing_waits_for_the_visitor_inside():
    """A's shift ends at closing, but A keeps serving the visitor who came at 11:59 until the service ends at 12:19 (overtime)."""
    s = roster(person("A", "W1"))
    vs = [visitor(0, 719.0, base=20)]
    _, rec = run_day(s, vs)
    assert vs[0].outcome == "served" and vs[0].staff == "A" and vs[0].end == 739.0
    assert ("A", "serving", "W1", "W1", 719.0, 739.0) in staff_rows(rec)


def absent(seed):
    s = roster(person("A", "W1", absences={"rate_per_hour": 2, "duration": {"dist": "fixed", "value": 7}}))
    _, rec = run_day(s, [], seed=seed)
    return rec


def test_random_absences_leave_the_window_empty_while_they_last():
    """Random absences with nobody to cover: A is away for the fixed 7 minutes each time, exactly when the window is empty."""
    rec = absent(seed=3)
    away = [(r[4], r[5]) for r in staff_rows(rec, "absence")]
    assert away, "2 absences an hour over 3 hours: seed 3 draws some"
    assert all(round(e - s_, 9) == 7 for s_, e in away)
    assert [(r[4], r[5]) for r in window_rows(rec, "empty")] == away


def test_absences_are_drawn_from_the_seed():
    """The same seed gives the same absences; another seed gives others."""
    def away(seed):
        return [(r[4], r[5]) for r in staff_rows(absent(seed), "absence")]
    assert away(3) == away(3)
    assert away(3) != away(4)


def test_without_absences_or_breaks_a_roster_day_has_one_interval_per_person():
    """A roster without breaks or absences keeps A at the window all day: one idle interval and no empty minute."""
    _, rec = run_day(roster(person("A", "W1")), [])
    assert window_rows(rec) == [("W1", "idle", "A", False, 540.0, 720.0)]
    assert staff_rows(rec) == [("A", "idle", "W1", "W1", 540.0, 720.0)]


def test_always_staffing_keeps_every_window_attended_and_logs_no_staff():
    """Under staffing 'always' each window has its own anonymous attendant all day: never empty, and no staff intervals."""
    s = scenario(windows=[{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}])
    vs = [visitor(0, 600.0)]
    _, rec = run_day(s, vs)
    assert window_rows(rec, "empty") == []
    assert {r[2] for r in window_rows(rec)} == {"auto-W1", "auto-W2"}
    assert rec.staff == []
    assert vs[0].staff == "auto-W1"


def test_a_break_waits_for_cover_when_the_policy_says_so():
    """Under policies.breaks_wait_for_cover A's 10:00 break waits until the floater's
    shift begins at 10:20 (A keeps the window, looking again each minute), then lasts its
    30 minutes while the floater covers: the window is never empty. Without the policy
    the window stands empty 10:00-10:20."""
    staff = [person("A", "W1", breaks=[("10:00", 30)]), person("F", "floater", "W1", start="10:20")]
    _, rec = run_day(roster(*staff), [])
    assert [(s_, e) for (_w, st, *_r, s_, e) in rec.windows if st == "empty"] == [(600.0, 620.0)]
    _, rec = run_day(roster(*staff, breaks_wait_for_cover=True), [])
    assert not window_rows(rec, "empty")
    assert [(who, s_, e) for (who, st, _post, _a, s_, e) in staff_rows(rec, "break")] == [("A", 620.0, 650.0)]
    assert ("idle", "F", True, 620.0, 650.0) in [(st, who, cov, s_, e) for (_w, st, who, cov, s_, e) in rec.windows]


def test_a_waiting_break_starts_at_once_when_the_doors_are_shut():
    """A break that waits for cover does not wait while the doors are shut for lunch
    (lunch: closed, 10:30-11:00) and nobody waits: the window needs nobody then."""
    from sim.model.hall import DayModel
    from sim.model.records import Recorder
    from sim.model.streams import Streams
    from sim.scenario.days import day_plans

    s = scenario(policies={"staffing": "roster", "breaks_wait_for_cover": True},
                 staff=[person("A", "W1", breaks=[("10:30", 20)])],
                 hall={"lunch": {"mode": "closed", "start": "10:30", "end": "11:00"}})
    rec = Recorder()
    DayModel(s, day_plans(s)[0], [], Streams(0, 0), rec).run()
    assert [(who, s_, e) for (who, st, _post, _a, s_, e) in staff_rows(rec, "break")] == [("A", 630.0, 650.0)]
    s = scenario(policies={"staffing": "roster", "breaks_wait_for_cover": True},
                 staff=[person("A", "W1", breaks=[("10:00", 20)])])
    _, rec = run_day(s, [])
    assert not staff_rows(rec, "break") and not window_rows(rec, "empty")  # open all day, nobody to cover: no break


def test_rests_after_a_long_stretch_at_the_windows_with_cover():
    """policies.rests (after 60 min, 15 min long): A rests at 10:00 and, back at 10:15,
    again at 11:15, each time while the floater covers W1; the window is never empty and
    the rests are recorded as breaks."""
    staff = [person("A", "W1"), person("F", "floater", "W1")]
    _, rec = run_day(roster(*staff, rests={"after_min": 60, "length_min": 15}), [])
    assert [(who, s_, e) for (who, st, _post, _a, s_, e) in staff_rows(rec, "break")] == \
        [("A", 600.0, 615.0), ("A", 675.0, 690.0)]
    assert not window_rows(rec, "empty")


def test_a_rest_never_leaves_a_window_empty():
    """With nobody to cover W1, A never rests (the window is never empty); a rest due
    while A serves waits for the visitor to be done."""
    _, rec = run_day(roster(person("A", "W1"), rests={"after_min": 60, "length_min": 15}), [])
    assert not staff_rows(rec, "break") and not window_rows(rec, "empty")
    staff = [person("A", "W1"), person("F", "floater", "W1")]
    _, rec = run_day(roster(*staff, rests={"after_min": 60, "length_min": 15}), [visitor(0, 598.0, base=5.0)])
    assert [(who, s_, e) for (who, st, _post, _a, s_, e) in staff_rows(rec, "break")][0] == ("A", 603.0, 618.0)


def test_a_rest_gives_way_to_a_window_that_would_stand_empty():
    """A rests at 10:00 while the floater covers W1; when the floater leaves for a break
    at 10:05 and nobody else could cover, A is called back from the rest at once (the
    return due at 10:15 then changes nothing): W1 is never empty."""
    staff = [person("A", "W1"), person("F", "floater", "W1", breaks=[("10:05", 20)])]
    _, rec = run_day(roster(*staff, rests={"after_min": 60, "length_min": 15}), [])
    assert [(who, s_, e) for (who, st, _post, _a, s_, e) in staff_rows(rec, "break")][:2] == \
        [("A", 600.0, 605.0), ("F", 605.0, 625.0)]
    assert not window_rows(rec, "empty")
    assert ("idle", "A", False, 605.0, 665.0) in [(st, who, cov, s_, e) for (_w, st, who, cov, s_, e) in rec.windows]


def test_breaks_that_wait_for_cover_cut_empty_window_minutes():
    """On a roster day with random absences, breaks that wait for cover leave windows empty
    fewer minutes a day than breaks at their fixed times, on the same seeds (40
    replications), and still do with rests on too (after 60 minutes, 10 minutes long)."""
    import sim

    staff = [person("A", "W1", "W2", breaks=[("10:00", 30)], absences={"rate_per_hour": 0.6}),
             person("B", "W2", "W1", breaks=[("10:30", 30)], absences={"rate_per_hour": 0.6}),
             person("F", "floater", "W1", absences={"rate_per_hour": 0.6})]
    base = scenario(policies={"staffing": "roster"}, staff=staff,
                    windows=[{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}],
                    demand={"visitors_per_day": 60, "service_mix": {"consult": 1}})
    waits = sim.with_overrides(base, {"policies.breaks_wait_for_cover": True})
    both = sim.with_overrides(waits, {"policies.rests": {"after_min": 60, "length_min": 10}})
    empty = [sim.simulate(s, seed=3, reps=40, workers=1).kpi("empty_window_min_per_day").mean
             for s in (base, waits, both)]
    assert empty[1] < empty[0] and empty[2] < empty[0]
