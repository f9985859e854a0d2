"""Figures of a calibration (matplotlib Figures built without pyplot, see :mod:`sim.plots.style`):
observed against simulated by hour, the arrival profile and the weekdays' profiles, Q–Q
plots of the window times, the patience curves and the time from call to service start.
Labels are in ``lang`` (English or Chinese, :mod:`sim.results.labels`)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from sim.calibration.fit import Fit
from sim.calibration.validate import FIGURE_UNITS, Validation
from sim.model.streams import Streams
from sim.plots.style import colour, finish, new_figure, no_data
from sim.results.labels import text
from sim.scenario.schema import Scenario

__all__ = ["observed_vs_simulated", "arrival_profile", "weekday_profiles", "service_qq", "patience_curves",
           "call_to_start", "HOURLY_FIGURES", "hourly_title"]

HOURLY_FIGURES = {"wait_mean_min": "Mean wait by hour of issue", "wait_p90_min": "90th percentile of the wait by hour",
                  "served_per_hour": "Visitors served per hour", "windows_open": "Windows serving per hour"}
"""The figures drawn by hour of the day (English titles; :func:`hourly_title` in a language)."""


def hourly_title(figure: str, lang: str = "en") -> str:
    """The title of an hourly figure in ``lang``."""
    return text(f"calf.{figure}", lang) if figure in HOURLY_FIGURES else figure


_UNITS = ("calf.unit.min", "calf.unit.visitors/h", "calf.unit.windows")


def observed_vs_simulated(validation: Validation, figure: str, lang: str = "en"):
    """One figure by hour of the day: the simulated 95 % band and mean, the observed values
    (filled where reproduced, hollow red where not)."""
    fig, ax = new_figure(lang, width=7.5, height=3.6)
    t = validation.table
    t = t[(t["figure"] == figure) & (t["hour"] != "all")]
    if t.empty:
        no_data(ax, lang)
        return finish(fig, lang)
    x = np.array([int(h[:2]) for h in t["hour"]], dtype=float) + 0.5
    ax.fill_between(x, t["sim_low"].to_numpy(float), t["sim_high"].to_numpy(float), color=colour(0), alpha=0.2,
                    step=None, label=text("calf.band", lang))
    ax.plot(x, t["sim_mean"].to_numpy(float), color=colour(0), label=text("calf.sim_mean", lang))
    ok = (t["verdict"] == "reproduced").to_numpy()
    obs = t["observed"].to_numpy(float)
    ax.scatter(x[ok], obs[ok], color="black", zorder=5, label=text("calf.obs_ok", lang))
    bad = (t["verdict"] == "not reproduced").to_numpy()
    if bad.any():
        ax.scatter(x[bad], obs[bad], facecolors="none", edgecolors=colour(1), s=60, linewidths=1.8, zorder=6,
                   label=text("calf.obs_bad", lang))
    ax.set_xticks(np.arange(math.floor(x.min()), math.ceil(x.max()) + 1))
    ax.set_xticklabels([f"{int(h):02d}:00" for h in np.arange(math.floor(x.min()), math.ceil(x.max()) + 1)])
    ax.set_xlabel(text("calf.hour_of_day", lang))
    unit = FIGURE_UNITS[figure]
    ax.set_ylabel(text(f"calf.unit.{unit}", lang) if f"calf.unit.{unit}" in _UNITS else unit)
    ax.set_title(hourly_title(figure, lang))
    ax.legend(fontsize=8, loc="best")
    return finish(fig, lang)


def arrival_profile(fit: Fit, lang: str = "en"):
    """Tickets issued per hour in each period of the profile (mean over the log's days)."""
    fig, ax = new_figure(lang, width=7.5, height=3.4)
    p = fit.profile
    if p.empty:
        no_data(ax, lang)
        return finish(fig, lang)
    ax.bar(range(len(p)), p["rate_per_hour"].to_numpy(float), color=colour(0), width=0.9)
    step = max(1, len(p) // 12)
    ax.set_xticks(range(0, len(p), step))
    ax.set_xticklabels(list(p["period"])[::step], rotation=45, ha="right")
    ax.set_ylabel(text("calf.tickets_per_hour", lang))
    ax.set_title(text("calf.profile_title", lang, n=f"{fit.volume['visitors_per_day']:.1f}"))
    return finish(fig, lang)


def weekday_profiles(fit: Fit, lang: str = "en"):
    """Tickets per hour on each weekday (dashed: a weekday with too few days, given the
    pooled profile) with the pooled profile of all days (black)."""
    from sim.results.labels import TEXTS

    fig, ax = new_figure(lang, width=7.5, height=3.4)
    w = fit.weekday_hours
    if w.empty:
        no_data(ax, lang)
        return finish(fig, lang)
    hours = list(dict.fromkeys(w["hour"]))
    x = np.array([int(h[:2]) for h in hours], dtype=float) + 0.5
    for i, (wd, part) in enumerate(w.groupby("weekday", sort=False)):
        name = text(f"weekday.{wd}", lang) if f"weekday.{wd}" in TEXTS else wd
        ax.plot(x, part["rate_per_hour"].to_numpy(float), color=colour(i), marker="o", markersize=3,
                linestyle="-" if (part["profile"] == "own").all() else "--", label=name)
    pooled = w.groupby("hour", sort=False).apply(lambda p: float((p["tickets"]).sum()) / float(
        p.drop_duplicates("weekday")["days"].sum()), include_groups=False)
    ax.plot(x, pooled.reindex(hours).to_numpy(float), color="black", linewidth=2, label=text("calf.pooled", lang))
    ax.set_xticks(np.arange(math.floor(x.min()), math.ceil(x.max()) + 1))
    ax.set_xlabel(text("calf.hour_of_day", lang))
    ax.set_ylabel(text("calf.tickets_per_hour", lang))
    ax.set_title(text("calf.weekday_title", lang))
    ax.legend(fontsize=8, ncol=4)
    return finish(fig, lang)


def call_to_start(fit: Fit, lang: str = "en"):
    """Histogram of the minutes from call to service start of served tickets."""
    fig, ax = new_figure(lang, width=7.0, height=3.2)
    x = fit.call_to_start
    if len(x) == 0:
        no_data(ax, lang)
        return finish(fig, lang)
    ax.hist(x, bins=min(40, max(5, int(math.sqrt(len(x))))), color=colour(0))
    ax.set_xlabel(text("calf.minutes", lang))
    ax.set_ylabel(text("calf.tickets", lang))
    ax.set_title(text("calf.call_start_title", lang, mean=f"{float(np.mean(x)):.2f}"))
    return finish(fig, lang)


def service_qq(tickets: pd.DataFrame, scenario: Scenario, lang: str = "en", draws: int = 20000):
    """Q–Q plots of each fitted service's window times: observed quantiles against the
    calibrated distribution's (visitors not known to be elderly; 99 quantiles)."""
    served = tickets[tickets["outcome"].isin(["served", "transferred"]) & tickets["service"].notna()
                     & tickets["service_min"].notna() & ~tickets["elderly"].fillna(False).astype(bool)]
    services = [s for s in served["service"].value_counts().index if s in scenario.services]
    n = max(len(services), 1)
    cols = min(3, n)
    rows = math.ceil(n / cols)
    fig, axes = new_figure(lang, width=3.0 * cols, height=2.7 * rows, nrows=rows, ncols=cols)
    axes = np.atleast_1d(axes).ravel()
    q = np.linspace(0.01, 0.99, 99)
    for i, svc in enumerate(services):
        ax = axes[i]
        x = served.loc[served["service"] == svc, "service_min"].to_numpy(float)
        model = scenario.services[svc].window_time.sample(Streams(0, 0)(f"qq:{svc}"), draws)
        a, b = np.quantile(model, q), np.quantile(x, q)
        ax.scatter(a, b, s=8, color=colour(0))
        top = float(max(a.max(), b.max()))
        ax.plot([0, top], [0, top], color="#888888", linewidth=1)
        ax.set_title(f"{svc} ({scenario.services[svc].window_time.dist}, n={len(x)})", fontsize=9)
        ax.set_xlabel(text("calf.model_min", lang), fontsize=8)
        ax.set_ylabel(text("calf.log_min", lang), fontsize=8)
    for ax in axes[len(services):]:
        ax.set_visible(False)
    if not services:
        no_data(axes[0], lang)
    return finish(fig, lang)


def patience_curves(fit: Fit, lang: str = "en"):
    """The Kaplan–Meier estimate of patience (survival: still willing to wait) with the
    fitted candidates' survival curves."""
    fig, ax = new_figure(lang, width=7.0, height=3.6)
    km = fit.km
    if fit.patience.empty:
        no_data(ax, lang)
        ax.set_title(text("calf.patience_none", lang))
        return finish(fig, lang)
    ax.step(km["time_min"], km["survival"], where="post", color="black", label=text("calf.km", lang))
    top = float(max(km["time_min"].max(), 1.0)) * 1.2
    t = np.linspace(0.01, top, 200)
    for i, r in enumerate(fit.patience.itertuples()):
        p = r.params
        if r.dist == "exponential":
            sf = stats.expon(scale=p["mean"]).sf(t)
        elif r.dist == "lognormal":
            s2 = math.log1p(p["cv"] ** 2)
            sf = stats.lognorm(s=math.sqrt(s2), scale=math.exp(math.log(p["mean"]) - s2 / 2)).sf(t)
        else:
            sf = stats.gamma(p["shape"], scale=p["scale"]).sf(t)
        ax.plot(t, sf, color=colour(i), linestyle="--" if not r.chosen else "-",
                label=text("calf.candidate", lang, dist=r.dist, mean=f"{r.mean:.1f}")
                + (text("calf.chosen", lang) if r.chosen else ""))
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(text("calf.waited", lang))
    ax.set_ylabel(text("calf.still_waiting", lang))
    ax.set_title(text("calf.patience_title", lang))
    ax.legend(fontsize=8)
    return finish(fig, lang)
