"""Gantt chart of a proposed roster (:class:`sim.experiments.rostering.RosterPlan`): one row
per person, a bar per stretch at one post over the day (A post, B post cover, guide desk),
lunch breaks hatched, free time on shift as a thin line."""

from __future__ import annotations

from sim.plots.style import clock_axis, colour, finish, new_figure, no_data

__all__ = ["roster_gantt"]

_WORDS = {
    "en": {"title": "Proposed roster: people x time (A post, B cover, lunch)", "lunch": "lunch", "free": "free (cover)",
           "guide": "guide desk", "b": "as B (cover)"},
    "zh": {"title": "排班方案：人员 × 时间（A岗、B岗顶岗、午休）", "lunch": "午休", "free": "空闲（可顶岗）",
           "guide": "引导台", "b": "B岗顶岗"},
}


def _runs(row: list[str]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for k, post in enumerate(row):
        if out and out[-1][2] == post and out[-1][1] == k:
            out[-1] = (out[-1][0], k + 1, post)
        else:
            out.append((k, k + 1, post))
    return [r for r in out if r[2]]


def roster_gantt(plan, lang: str = "en"):
    """The roster as a Gantt chart; window colours are the windows' (A and B alike, B
    stretches outlined in black)."""
    words = _WORDS.get(lang, _WORDS["en"])
    people = plan.people
    fig, ax = new_figure(lang, width=9.0, height=max(2.5, 0.45 * len(people) + 1.4))
    if people.empty:
        no_data(ax, lang)
        return finish(fig, lang)
    slot = plan.slots[1] - plan.slots[0] if len(plan.slots) > 1 else plan.rules.slot_min
    windows = list(plan.open)
    shown = set()
    for y, row in enumerate(people.itertuples(index=False)):
        for a, b, post in _runs(plan.attendance[row.name]):
            x, w = plan.slots[a], (b - a) * slot
            if post == "lunch":
                label = words["lunch"]
                ax.barh(y, w, left=x, height=0.6, color="white", edgecolor="#888888", hatch="///",
                        label=None if label in shown else label)
            elif post == "free":
                label = words["free"]
                ax.barh(y, w, left=x, height=0.15, color="#bbbbbb", label=None if label in shown else label)
            else:
                label = words["guide"] if post == "guide" else post
                col = "#7f7f7f" if post == "guide" else colour(windows.index(post))
                cover = post != row.a_post
                ax.barh(y, w, left=x, height=0.6, color=col, edgecolor="black" if cover else col,
                        linewidth=1.5 if cover else 0.5, label=None if label in shown else label)
                if cover and words["b"] not in shown:
                    ax.barh(y, 0, left=x, height=0.6, color="white", edgecolor="black", label=words["b"])
                    shown.add(words["b"])
            shown.add(label)
    ax.set_yticks(range(len(people)))
    ax.set_yticklabels([f"{r.name} (A {r.a_post}, B {r.b_post})" for r in people.itertuples(index=False)])
    ax.invert_yaxis()
    clock_axis(ax.xaxis, False, lang)
    ax.set_title(words["title"])
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
    return finish(fig, lang)
