"""The calibration report (``hallsim calibrate --report NAME``): the log read, what was
fitted with its intervals, observed beside simulated with a verdict per figure, and the
calibrated scenario — the same :class:`~sim.report.build.Report` machinery as ``hallsim
report`` (``index.html``, ``report.md``, ``figures/``, ``tables/``, ``meta.json``), in English
or Chinese (``lang``; every text through :mod:`sim.results.labels`)."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration import figures
from sim.calibration.calibrate import Calibration
from sim.calibration.fit import BIN_MIN, MIN_WEEKDAY_DAYS
from sim.calibration.notes import note_text
from sim.calibration.roster import BREAK_MIN_GAP, DOOR_SLACK_MIN
from sim.calibration.validate import MIN_TICKETS, TOLERANCES
from sim.report.build import FIGURE_DPI, Report
from sim.report.document import Cell, Code, Figure, Heading, Para, Table
from sim.results.files import now_iso
from sim.results.labels import TEXTS, check_lang, text

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


def _verdict(v: str, lang: str) -> Cell:
    return Cell(text(f"calr.verdict.{v}", lang),
                {"reproduced": "verdict-met", "not reproduced": "verdict-not-met"}.get(v, "verdict-no-data"))


def _heads(lang: str, *keys: str) -> list[str]:
    return [text(f"calc.{k}", lang) for k in keys]


def _yes(flag: bool, lang: str) -> str:
    return text("calr.yes" if flag else "calr.no", lang)


def _read_blocks(c: Calibration, lang: str) -> list:
    log = c.log
    blocks = [Heading(2, text("calr.log", lang), "log"),
              Para(text("calr.log_summary", lang, name=Path(log.path).name, rows=log.rows, layout=log.layout,
                        encoding=log.encoding_name, tickets=len(log.tickets), days=len(c.fit.days),
                        first=c.fit.days[0], last=c.fit.days[-1], ages=log.age_source or text("calr.no_ages", lang),
                        booked=_yes(log.booked_known, lang), slot=_yes(log.slot_known, lang)))]
    if len(log.bad):
        blocks.append(Para(text("calr.bad_rows", lang, n=log.bad["line"].nunique())))
        blocks.append(Table(_heads(lang, "bad"), [[s] for s in log.bad_summary()]))
    else:
        blocks.append(Para(text("calr.no_bad", lang)))
    if log.unmatched:
        blocks.append(Para(text("calr.unmatched", lang)))
        blocks.append(Table(_heads(lang, "business", "tickets"), [[k, str(v)] for k, v in log.unmatched.items()]))
    return blocks


def _val(value: str, lang: str) -> str:
    """A value of a fitted table (``whole day``, ``closed``, a source) in ``lang``, when it has a translation."""
    return text(f"calr.val.{value}", lang) if f"calr.val.{value}" in TEXTS else value


def _weekday_name(wd: str, lang: str) -> str:
    return text(f"weekday.{wd}", lang)


def _arrival_blocks(c: Calibration, lang: str) -> list:
    f = c.fit
    v = f.volume
    out = [Heading(2, text("calr.fit", lang), "fit"),
           Para(text("calr.volume", lang, value=number_text(v["visitors_per_day"], 1),
                     interval=interval_text(v["low"], v["high"], 1), days=v["days"])),
           Table(_heads(lang, "weekday", "days", "per_day", "factor", "interval"),
                 [[_weekday_name(r.weekday, lang), str(r.days), number_text(r.mean, 1), number_text(r.factor, 3),
                   interval_text(r.low, r.high, 3)] for r in f.weekdays.itertuples()]),
           Figure("figures/arrival_profile.png", text("calr.profile_caption", lang, bin=BIN_MIN),
                  _png(figures.arrival_profile(f, lang)))]
    w = f.weekday_hours
    if len(w):
        hours = list(dict.fromkeys(w["hour"]))
        rows = []
        for wd, part in w.groupby("weekday", sort=False):
            mark = "" if (part["profile"] == "own").all() else " *"
            rows.append([_weekday_name(wd, lang) + mark, str(int(part["days"].iloc[0]))]
                        + [number_text(x, 1) for x in part.set_index("hour")["rate_per_hour"].reindex(hours)])
        test = f.profile_test
        out += [Heading(3, text("calr.weekday_hours", lang), "weekday_hours"),
                Para(text("calr.weekday_hours_text", lang, min=MIN_WEEKDAY_DAYS)),
                Table(_heads(lang, "weekday", "days") + [h[:2] for h in hours], rows),
                Figure("figures/weekday_profiles.png", text("calr.weekday_caption", lang),
                       _png(figures.weekday_profiles(f, lang)))]
        if test.get("differ") is None:
            out.append(Para(text("calr.profile_untested", lang, min=MIN_WEEKDAY_DAYS)))
        else:
            out.append(Para(text("calr.profile_test", lang, weekdays=", ".join(_weekday_name(x, lang) for x in test["weekdays"]),
                                 chi2=number_text(test["chi2"], 1), dof=test["dof"], p=f"{test['p']:.3g}",
                                 verdict=text("calr.profiles_differ" if test["differ"] else "calr.profiles_same", lang))))
        out.append(Para(text("calr.profile_pooled", lang)))
    out += [Heading(3, text("calr.poisson", lang), "poisson"),
            Para(text("calr.poisson_text", lang)),
            Table(_heads(lang, "hour", "tickets", "ks_p", "dispersion", "dispersion_p"),
                  [[r.hour, str(r.tickets), number_text(r.ks_p, 3), number_text(r.dispersion, 2),
                    number_text(r.dispersion_p, 3)] for r in f.poisson.itertuples()])]
    d = f.log_days
    if d is not None:
        out.append(Heading(3, text("calr.days", lang), "days"))
        out.append(Para(text("calr.days_text", lang, calendar=d.calendar, closed=len(d.closed), outside=len(d.outside))))
        if len(d.table):
            out.append(Table(_heads(lang, "date", "weekday", "kind", "tickets", "verdict"),
                             [[str(r.date), _weekday_name(r.weekday, lang), _val(r.kind, lang), _yes(r.tickets, lang),
                               text(f"calday.{r.verdict}", lang)] for r in d.table.itertuples()]))
        else:
            out.append(Para(text("calr.days_plain", lang)))
    return out


def _service_blocks(c: Calibration, lang: str) -> list:
    f = c.fit
    out = [Heading(3, text("calr.mix", lang), "mix"),
           Table(_heads(lang, "service", "tickets", "share", "interval"),
                 [[r.service, str(r.tickets), number_text(r.share, 3), interval_text(r.low, r.high, 3)]
                  for r in f.mix.itertuples()]),
           Heading(3, text("calr.times", lang), "times"),
           Para(text("calr.times_text", lang)),
           Table(_heads(lang, "service", "n", "mean_min", "interval", "chosen"),
                 [[r.service, str(r.n), number_text(r.mean), interval_text(r.low, r.high), r.chosen]
                  for r in f.time_means.itertuples()])]
    if len(f.times):
        out.append(Table(_heads(lang, "service", "candidate", "parameters", "aic", "ks_p", "chosen"),
                         [[r.service, r.dist, _params(r.params), number_text(r.aic, 1), number_text(r.ks_p, 3),
                           "✔" if r.chosen else ""] for r in f.times.itertuples()]))
        out.append(Figure("figures/service_qq.png", text("calr.qq_caption", lang),
                          _png(figures.service_qq(c.log.tickets, c.scenario, lang))))
    out.append(Heading(3, text("calr.call_start", lang), "call_to_start"))
    x = f.call_to_start
    if len(x) and float(np.mean(x)) > 0:
        m = float(np.mean(x))
        half = 1.96 * float(np.std(x, ddof=1)) / math.sqrt(len(x)) if len(x) > 1 else math.nan
        out.append(Para(text("calr.call_start_text", lang, mean=number_text(m), interval=interval_text(m - half, m + half),
                             median=number_text(np.median(x)), p90=number_text(np.quantile(x, 0.9)), n=len(x))))
        out.append(Figure("figures/call_to_start.png", text("calr.call_start_caption", lang),
                          _png(figures.call_to_start(f, lang))))
    else:
        out.append(Para(text("calr.call_start_none", lang)))
    out.append(Heading(3, text("calr.patience", lang), "patience"))
    if f.patience.empty:
        out.append(Para(text("calr.patience_none", lang)))
    else:
        out.append(Para(text("calr.patience_text", lang)))
        out.append(Table(_heads(lang, "candidate", "parameters", "mean_min", "interval", "aic", "chosen"),
                         [[r.dist, _params(r.params), number_text(r.mean, 1), interval_text(r.low, r.high, 1),
                           number_text(r.aic, 1), "✔" if r.chosen else ""] for r in f.patience.itertuples()]))
    out.append(Figure("figures/patience.png", text("calr.patience_caption", lang), _png(figures.patience_curves(f, lang))))
    out.append(Heading(3, text("calr.shares", lang), "shares"))
    out.append(Table(_heads(lang, "figure", "value", "interval", "n"),
                     [[r.figure, number_text(r.value, 3), interval_text(r.low, r.high, 3), str(r.n)]
                      for r in f.shares.itertuples()]))
    return out


def _roster_blocks(c: Calibration, lang: str) -> list:
    f = c.fit
    r = f.roster
    out = []
    if r is not None and len(r.windows):
        out += [Heading(3, text("calr.windows", lang), "windows"),
                Para(text("calr.windows_text", lang, slack=f"{DOOR_SLACK_MIN:g}")),
                Table(_heads(lang, "window", "days", "first", "last", "hours", "tickets", "operators", "a_post"),
                      [[w.window, str(w.days), w.first, w.last, _val(w.hours, lang), str(w.tickets), str(w.operators), w.a_post]
                       for w in r.windows.itertuples()])]
        if len(r.staff):
            out.append(Para(text("calr.staff_text", lang, gap=f"{BREAK_MIN_GAP:g}")))
            out.append(Table(_heads(lang, "staff", "days", "tickets", "a_post", "b_post", "shift", "break", "source"),
                             [[p.staff, str(p.days), str(p.tickets), p.a_post, p.b_post, p.shift, p.brk, _val(p.source, lang)]
                              for p in r.staff.rename(columns={"break": "brk"}).itertuples()]))
        if r.scenario_staff is None:
            out.append(Para(text("calr.staff_kept", lang)))
    b = f.bookings
    if b is not None:
        out.append(Heading(3, text("calr.bookings", lang), "bookings"))
        if b.appointments is None:
            out.append(Para(text("calr.bookings_none", lang)))
        else:
            out.append(Para(text("calr.bookings_text", lang)))
            out.append(Table(_heads(lang, "service", "booked", "missed", "tickets", "share", "interval"),
                             [[x.service, str(x.booked), str(x.missed), str(x.tickets), number_text(x.share, 3),
                               interval_text(x.low, x.high, 3)] for x in b.shares.itertuples()]))
            out.append(Table(_heads(lang, "figure", "value", "interval", "n"),
                             [[x.figure, number_text(x.value, 3), interval_text(x.low, x.high, 3), str(x.n)]
                              for x in b.figures.itertuples()]))
    if f.notes:
        out.append(Heading(3, text("calr.notes", lang), "notes"))
        out += [Para(note_text(n, lang)) for n in f.notes]
    return out


def _validation_blocks(c: Calibration, lang: str) -> list:
    val = c.validation
    if val is None:
        return [Heading(2, text("calr.validation", lang), "validation"), Para(text("calr.validation_none", lang))]
    counts = val.counts()
    judged = counts["reproduced"] + counts["not reproduced"]
    tol = "; ".join(f"{k}: {a:g}" + (f" / {r:.0%}" if r else "") for k, (a, r) in TOLERANCES.items())
    t = val.table
    few = text("calr.validation_few", lang, n=counts["too few"]) if counts["too few"] else ""
    out = [Heading(2, text("calr.validation", lang), "validation"),
           Para(text("calr.validation_text", lang, days=c.scenario.run.days, reps=val.reps, seed=val.seed,
                     n=counts["reproduced"], of=judged, few=few), "verdict"),
           Para(text("calr.validation_rule", lang, tol=tol, min=MIN_TICKETS)),
           Table(_heads(lang, "figure", "hour", "observed", "sim_mean", "sim_interval", "verdict", "by"),
                 [[r.figure, r.hour, number_text(r.observed), number_text(r.sim_mean), interval_text(r.sim_low, r.sim_high),
                   _verdict(r.verdict, lang), f"{number_text(r.difference)}" + (f" ({r.relative:+.0%})"
                                                                               if math.isfinite(r.relative) else "")]
                  for r in t.itertuples()])]
    for key in figures.HOURLY_FIGURES:
        caption = (text("calr.windows_caption", lang) if key == "windows_open"
                   else text("calr.fig_caption", lang, what=figures.hourly_title(key, lang)))
        out.append(Figure(f"figures/{key}.png", caption, _png(figures.observed_vs_simulated(val, key, lang))))
    return out


def calibration_report(c: Calibration, title: str, command: str | None = None, lang: str = "en") -> Report:
    """The report of a calibration ``c`` (blocks, the scenario and tables as files, meta)."""
    check_lang(lang)
    blocks = [Heading(1, text("calr.title", lang, title=title))]
    if c.validation is not None:
        counts = c.validation.counts()
        blocks.append(Para(text("calr.headline", lang, log=Path(c.log.path).name, hall=Path(c.hall_path).name,
                                n=counts["reproduced"], of=counts["reproduced"] + counts["not reproduced"]), "verdict"))
    blocks += (_read_blocks(c, lang) + _arrival_blocks(c, lang) + _service_blocks(c, lang) + _roster_blocks(c, lang)
               + _validation_blocks(c, lang))
    name = Path(c.out_path).name
    blocks += [Heading(2, text("calr.scenario", lang), "scenario"), Code(f"scenarios/{name}", c.text, "yaml")]
    if command:
        blocks.append(Para(text("calr.made_with", lang, command=command)))
    tables = {"weekdays": c.fit.weekdays, "profile": c.fit.profile, "poisson": c.fit.poisson, "mix": c.fit.mix,
              "service_times": c.fit.times, "service_time_means": c.fit.time_means, "patience": c.fit.patience,
              "kaplan_meier": c.fit.km, "shares": c.fit.shares, "windows": c.fit.windows, "bad_rows": c.log.bad,
              "weekday_hours": c.fit.weekday_hours, "call_to_start": pd.DataFrame({"minutes": c.fit.call_to_start})}
    if c.fit.log_days is not None:
        tables["log_days"] = c.fit.log_days.table
    if c.fit.roster is not None:
        tables["window_hours"] = c.fit.roster.windows
        tables["roster"] = c.fit.roster.staff
    if c.fit.bookings is not None:
        tables["booked_shares"] = c.fit.bookings.shares
        tables["bookings"] = c.fit.bookings.figures
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
