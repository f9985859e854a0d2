"""The calibration report (``hallsim calibrate --report NAME``): the log read, what was
fitted with its intervals, observed beside simulated with a verdict per figure, and the
calibrated scenario — the same :class:`~sim.report.build.Report` machinery as ``hallsim
report`` (``index.html``, ``report.md``, ``figures/``, ``tables/``, ``meta.json``)."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd

from sim.calibration import figures
from sim.calibration.calibrate import Calibration
from sim.calibration.fit import BIN_MIN
from sim.calibration.validate import MIN_TICKETS, TOLERANCES
from sim.report.build import FIGURE_DPI, Report
from sim.report.document import Cell, Code, Figure, Heading, Para, Table
from sim.results.files import now_iso

__all__ = ["calibration_report", "number_text", "interval_text"]


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=FIGURE_DPI)
    return buf.getvalue()


def number_text(x, digits: int = 2) -> str:
    """``x`` with ``digits`` decimals; "–" when not finite."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    return "–" if not math.isfinite(x) else f"{x:.{digits}f}"


def interval_text(lo, hi, digits: int = 2) -> str:
    """``lo – hi`` with ``digits`` decimals; "–" when either is not finite."""
    if not (math.isfinite(float(lo)) and math.isfinite(float(hi))):
        return "–"
    return f"{number_text(lo, digits)} – {number_text(hi, digits)}"


def _params(p) -> str:
    return ", ".join(f"{k} {number_text(v, 3) if isinstance(v, float) else v}" for k, v in dict(p).items())


def _verdict(v: str) -> Cell:
    return Cell(v, {"reproduced": "verdict-met", "not reproduced": "verdict-not-met"}.get(v, "verdict-no-data"))


def _read_blocks(c: Calibration) -> list:
    log = c.log
    blocks = [Heading(2, "The log", "log"),
              Para(f"`{Path(log.path).name}`: {log.rows} rows, layout **{log.layout}**, encoding **{log.encoding_name}**; "
                   f"{len(log.tickets)} tickets kept over {len(c.fit.days)} days ({c.fit.days[0]} to {c.fit.days[-1]}). "
                   f"Ages from: {log.age_source or 'none (no 年龄 or 证件号码)'}; booking flag: "
                   f"{'yes' if log.booked_known else 'no'}.")]
    if len(log.bad):
        blocks.append(Para(f"**{log.bad['line'].nunique()} bad rows left out**, by kind:"))
        blocks.append(Table(["bad rows"], [[s] for s in log.bad_summary()]))
    else:
        blocks.append(Para("No bad rows."))
    if log.unmatched:
        blocks.append(Para("**Business names that match no service of the hall file** (left out, not guessed; "
                           "name them in a mapping file's `services:`):"))
        blocks.append(Table(["business name", "tickets"], [[k, str(v)] for k, v in log.unmatched.items()]))
    return blocks


def _fit_blocks(c: Calibration, lang: str) -> list:
    f = c.fit
    v = f.volume
    out = [Heading(2, "What was fitted", "fit"),
           Para(f"**Tickets per opening day:** {number_text(v['visitors_per_day'], 1)} (95 % interval "
                f"{interval_text(v['low'], v['high'], 1)}, {v['days']} days)."),
           Table(["weekday", "days", "tickets per day", "factor", "95 % interval"],
                 [[r.weekday, str(r.days), number_text(r.mean, 1), number_text(r.factor, 3), interval_text(r.low, r.high, 3)]
                  for r in f.weekdays.itertuples()]),
           Figure("figures/arrival_profile.png", f"Arrival profile in {BIN_MIN}-minute periods",
                  _png(figures.arrival_profile(f, lang))),
           Heading(3, "Are arrivals Poisson? (Kim & Whitt 2014)", "poisson"),
           Para("Within each profile period the rate is taken as constant, so arrival positions within their "
                "period should be uniform (KS test, pooled per hour); the dispersion index of an hour's counts "
                "across days of the same weekday is 1 for Poisson counts, above 1 when over-dispersed. "
                "A small p-value (< 0.01) says the assumption fails in that hour."),
           Table(["hour", "tickets", "KS p-value", "dispersion index", "dispersion p-value"],
                 [[r.hour, str(r.tickets), number_text(r.ks_p, 3), number_text(r.dispersion, 2), number_text(r.dispersion_p, 3)]
                  for r in f.poisson.itertuples()]),
           Heading(3, "Service mix", "mix"),
           Table(["service", "tickets", "share", "95 % interval"],
                 [[r.service, str(r.tickets), number_text(r.share, 3), interval_text(r.low, r.high, 3)] for r in f.mix.itertuples()]),
           Heading(3, "Window time per service", "times"),
           Para("Exponential, lognormal and gamma fitted by maximum likelihood; the lowest AIC is chosen, unless its "
                "Kolmogorov–Smirnov p-value is below 0.01 with at least 200 times (then the empirical distribution). "
                "Elderly visitors' times are divided by the fitted elderly multiplier first."),
           Table(["service", "n", "mean, min", "95 % interval", "chosen"],
                 [[r.service, str(r.n), number_text(r.mean), interval_text(r.low, r.high), r.chosen]
                  for r in f.time_means.itertuples()])]
    if len(f.times):
        out.append(Table(["service", "candidate", "parameters", "AIC", "KS p-value", "chosen"],
                         [[r.service, r.dist, _params(r.params), number_text(r.aic, 1), number_text(r.ks_p, 3), "✔" if r.chosen else ""]
                          for r in f.times.itertuples()]))
        out.append(Figure("figures/service_qq.png", "Q–Q plots: observed window times against the calibrated "
                          "distributions", _png(figures.service_qq(c.log.tickets, c.scenario, lang))))
    out.append(Heading(3, "Patience", "patience"))
    if f.patience.empty:
        out.append(Para("Nobody left before being served in the log: patience is not fitted (the hall file's stays)."))
    else:
        out.append(Para("Visitors who left (过号 / 弃号 / NO_SHOW / REMOVE) reveal their patience; those called were "
                        "still willing to wait (right-censored). The exponential rate is departures ÷ total waiting "
                        "time (interval from the chi-square); lognormal and gamma by censored maximum likelihood; the "
                        "scenario uses the lowest AIC."))
        out.append(Table(["candidate", "parameters", "mean, min", "95 % interval", "AIC", "used"],
                         [[r.dist, _params(r.params), number_text(r.mean, 1), interval_text(r.low, r.high, 1), number_text(r.aic, 1),
                           "✔" if r.chosen else ""] for r in f.patience.itertuples()]))
    out.append(Figure("figures/patience.png", "Kaplan–Meier estimate of patience and the fitted curves",
                      _png(figures.patience_curves(f, lang))))
    out.append(Heading(3, "Shares and other figures", "shares"))
    out.append(Table(["figure", "value", "95 % interval", "n"],
                     [[r.figure, number_text(r.value, 3), interval_text(r.low, r.high, 3), str(r.n)] for r in f.shares.itertuples()]))
    if len(f.windows):
        out.append(Heading(3, "Windows in the log", "windows"))
        out.append(Para("Median first service start and last service end per window over the days it served "
                        "(reported; the hall file's windows, hours and roster are kept)."))
        out.append(Table(["window", "days", "first", "last", "tickets", "operators"],
                         [[r.window, str(r.days), r.first, r.last, str(r.tickets), str(r.operators)]
                          for r in f.windows.itertuples()]))
    if f.notes:
        out.append(Heading(3, "Notes", "notes"))
        out += [Para(n) for n in f.notes]
    return out


def _validation_blocks(c: Calibration, lang: str) -> list:
    val = c.validation
    if val is None:
        return [Heading(2, "Validation", "validation"), Para("Not run.")]
    counts = val.counts()
    judged = counts["reproduced"] + counts["not reproduced"]
    tol = "; ".join(f"{k}: {a:g}" + (f" or {r:.0%}" if r else "") for k, (a, r) in TOLERANCES.items())
    t = val.table
    out = [Heading(2, "Validation: observed beside simulated", "validation"),
           Para(f"The calibrated scenario simulated over the log's {c.scenario.run.days} days, {val.reps} replications "
                f"(seed {val.seed}). **{counts['reproduced']} of {judged} figures reproduced**"
                + (f", {counts['too few']} with too few tickets to judge" if counts["too few"] else "") + ".",
                "verdict"),
           Para("A figure is reproduced when the observed value lies within the central 95 % of the replications' "
                f"values, or within the practical tolerance of the simulated mean ({tol}; the larger applies). Hours "
                f"with fewer than {MIN_TICKETS} tickets are not judged on waits. \"By\" is observed − simulated mean."),
           Table(["figure", "hour", "observed", "simulated mean", "simulated 95 %", "verdict", "by"],
                 [[r.figure, r.hour, number_text(r.observed), number_text(r.sim_mean), interval_text(r.sim_low, r.sim_high),
                   _verdict(r.verdict), f"{number_text(r.difference)}" + (f" ({r.relative:+.0%})" if math.isfinite(r.relative)
                                                                  else "")]
                  for r in t.itertuples()])]
    for key, caption in figures.HOURLY_FIGURES.items():
        out.append(Figure(f"figures/{key}.png", f"{caption}: observed against simulated",
                          _png(figures.observed_vs_simulated(val, key, lang))))
    return out


def calibration_report(c: Calibration, title: str, command: str | None = None, lang: str = "en") -> Report:
    """The report of a calibration ``c`` (blocks, the scenario and tables as files, meta)."""
    blocks = [Heading(1, f"Calibration: {title}")]
    if c.validation is not None:
        counts = c.validation.counts()
        blocks.append(Para(f"Calibrated from **{Path(c.log.path).name}** against the hall file "
                           f"**{Path(c.hall_path).name}**; the model reproduces **{counts['reproduced']} of "
                           f"{counts['reproduced'] + counts['not reproduced']}** observed figures.", "verdict"))
    blocks += _read_blocks(c) + _fit_blocks(c, lang) + _validation_blocks(c, lang)
    name = Path(c.out_path).name
    blocks += [Heading(2, "The calibrated scenario", "scenario"), Code(f"scenarios/{name}", c.text, "yaml")]
    if command:
        blocks.append(Para(f"Made with `{command}`."))
    tables = {"weekdays": c.fit.weekdays, "profile": c.fit.profile, "poisson": c.fit.poisson, "mix": c.fit.mix,
              "service_times": c.fit.times, "service_time_means": c.fit.time_means, "patience": c.fit.patience,
              "kaplan_meier": c.fit.km, "shares": c.fit.shares, "windows": c.fit.windows, "bad_rows": c.log.bad}
    if c.validation is not None:
        tables["validation"] = c.validation.table
    files = {f"tables/{k}.csv": pd.DataFrame(v).to_csv(index=False) for k, v in tables.items()}
    files[f"scenarios/{name}"] = c.text
    from sim.version import __version__

    meta = {"kind": "calibration", "hallsim": __version__, "created": now_iso(), "command": command,
            "log": c.log.path, "hall": c.hall_path, "scenario": c.out_path, "tickets": len(c.log.tickets),
            "days": len(c.fit.days), "encoding": c.log.encoding_name, "layout": c.log.layout,
            "bad_rows": int(c.log.bad["line"].nunique()) if len(c.log.bad) else 0,
            "reps": c.validation.reps if c.validation else None, "seed": c.validation.seed if c.validation else None,
            "verdicts": c.validation.counts() if c.validation else None}
    return Report(title, lang, blocks, files, meta)
