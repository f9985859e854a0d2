"""hallsim figures: every function returns a :class:`matplotlib.figure.Figure` built without
pyplot (no global state), used by the report writer (PNG, HTML) and the dashboard
(``st.pyplot(fig)``). Every function takes ``lang="en"`` or ``"zh"``.

- :mod:`sim.plots.hall` — runs and comparisons: queue through the day, wait distribution,
  waits by hour, elderly against others, utilisation, utilisation heat map, one day's
  timeline, on-the-spot issuance times;
- :mod:`sim.plots.sweep` — a KPI against a swept parameter;
- :mod:`sim.plots.staffing` — a staffing plan: demand per block, proposed windows, Erlang references;
- :mod:`sim.plots.issuance` — card issuance over working days: backlog, cycle times;
- :mod:`sim.plots.style` — colours, the CJK font and shared axes helpers.
"""

from sim.plots.hall import (day_timeline, elderly_vs_others, issuance_times, queue_through_day, utilisation,
                   utilisation_heatmap, wait_cdf, waits_by_hour)
from sim.plots.issuance import backlog_over_time, cycle_times
from sim.plots.staffing import staffing_plan
from sim.plots.style import cjk_font
from sim.plots.sweep import sweep_kpi

__all__ = [
    "backlog_over_time",
    "cjk_font",
    "cycle_times",
    "day_timeline",
    "elderly_vs_others",
    "issuance_times",
    "queue_through_day",
    "staffing_plan",
    "sweep_kpi",
    "utilisation",
    "utilisation_heatmap",
    "wait_cdf",
    "waits_by_hour",
]
