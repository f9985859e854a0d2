"""Gantt chart of a proposed roster (:class:`sim.experiments.rostering.RosterPlan`): one row
per person, a bar per stretch at one post over the day (A post, B post cover, guide desk),
lunch breaks and rests hatched, free time on shift as a thin line. The cover drawn is the
simulation's (``plan.simulated``: one simulated day with absences off, where the hall's
rules pick who covers whom) when the plan has it, else the CP-SAT model's arrangement."""

from __future__ import annotations

from sim.plots.style import clock_axis, colour, finish, new_figure, no_data

__all__ = ["roster_gantt", "gantt_bars"]

_WORDS = {
    "en": {"title": "Proposed roster: people x time (A post, B cover, lunch)", "lunch": "lunch", "free": "free (cover)",
           "guide": "guide desk", "b": "cover (not the own A post)", "rest": "rest", "simulated": "one simulated day, absences off"},
    "zh": {"title": "排班方案：人员 × 时间（A岗、B岗顶岗、午休）", "lunch": "午休", "free": "空闲（可顶岗）",
           "guide": "引导台", "b": "顶岗（非本人A岗）", "rest": "工间休息", "simulated": "仿真一天，不含临时离岗"},
}


def _runs(row: list[str]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for k, post in enumerate(row):
        if out and out[-1][2] == post and out[-1][1] == k:
            out[-1] = (out[-1][0], k + 1, post)
        else:
            out.append((k, k + 1, post))
    return [r for r in out if r[2]]


def gantt_bars(plan) -> list[tuple[str, float, float, str, bool]]:
    """The chart's bars: (person, start minute, length in minutes, post, cover), post a
    window id, "guide", "lunch" or "free"; cover True at a post other than the person's A
    post ("rest": a rest break). From ``plan.simulated`` when present (the simulation's cover), else from the
    model's ``plan.attendance``."""
    rows = plan.simulated if plan.simulated is not None else plan.attendance
    slot = plan.slots[1] - plan.slots[0] if len(plan.slots) > 1 else plan.rules.slot_min
    out = []
    for person in plan.people.itertuples(index=False):
        for a, b, post in _runs(rows.get(person.name, [])):
            out.append((person.name, plan.slots[a], (b - a) * slot, post,
                        post not in ("lunch", "rest", "free") and post != person.a_post))
    return out


def roster_gantt(plan, lang: str = "en"):
    """The roster as a Gantt chart (:func:`gantt_bars`); window colours are the windows' (A
    and B alike, cover stretches outlined in black)."""
    words = _WORDS.get(lang, _WORDS["en"])
    people = plan.people
    fig, ax = new_figure(lang, width=9.0, height=max(2.5, 0.45 * len(people) + 1.4))
    if people.empty:
        no_data(ax, lang)
        return finish(fig, lang)
    windows = list(plan.open)
    shown = set()
    ys = {name: y for y, name in enumerate(people["name"])}
    for name, x, w, post, cover in gantt_bars(plan):
        y = ys[name]
        if post == "lunch":
            label = words["lunch"]
            ax.barh(y, w, left=x, height=0.6, color="white", edgecolor="#888888", hatch="///",
                    label=None if label in shown else label)
        elif post == "rest":
            label = words["rest"]
            ax.barh(y, w, left=x, height=0.6, color="white", edgecolor="#888888", hatch="...",
                    label=None if label in shown else label)
        elif post == "free":
            label = words["free"]
            ax.barh(y, w, left=x, height=0.15, color="#bbbbbb", label=None if label in shown else label)
        else:
            label = words["guide"] if post == "guide" else post
            col = "#7f7f7f" if post == "guide" else colour(windows.index(post) if post in windows else len(windows))
            ax.barh(y, w, left=x, height=0.6, color=col, edgecolor="black" if cover else col,
                    linewidth=1.5 if cover else 0.5, label=None if label in shown else label)
            if cover and words["b"] not in shown:
                ax.barh(y, 0, left=x, height=0.6, color="white", edgecolor="black", label=words["b"])
                shown.add(words["b"])
        shown.add(label)
    ax.set_yticks(range(len(people)))
    ax.set_yticklabels([f"{r.name} (A {r.a_post}" + (f", B {r.b_post})" if r.b_post else ")")
                        for r in people.itertuples(index=False)])
    ax.invert_yaxis()
    clock_axis(ax.xaxis, False, lang)
    ax.set_title(words["title"] + (f"\n({words['simulated']})" if plan.simulated is not None else ""))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
    return finish(fig, lang)
