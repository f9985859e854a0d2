"""The whole calibration: read the log, fit, write the scenario text, validate.

:func:`calibrate` is what ``hallsim calibrate`` and the dashboard call. The calibrated
scenario is YAML that ``extends:`` the hall file (a path relative to where the scenario is
written) and overrides only the fitted parts; it is validated by loading it back, and
the validation runs that loaded scenario.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

from sim.calibration.fit import Fit, fit_tickets
from sim.calibration.logs import LogError, ReadLog, read_log, read_mapping
from sim.calibration.validate import DEFAULT_REPS, Validation, validate
from sim.scenario.loader import load_scenario, load_file_text
from sim.scenario.schema import Scenario

__all__ = ["Calibration", "calibrate", "calibrated_yaml", "DEFAULT_REPS"]

@dataclass(frozen=True)
class Calibration:
    """A calibration: the ``log`` read, the ``fit``, the scenario ``text`` (YAML) and the
    ``scenario`` it loads to, the ``validation`` (None when not run) and the paths."""

    log: ReadLog
    fit: Fit
    text: str
    scenario: Scenario
    validation: Validation | None
    hall_path: str
    out_path: str


def _extends_path(hall: Path, out: Path) -> str:
    return Path(os.path.relpath(hall.resolve(), out.resolve().parent)).as_posix()


def calibrated_yaml(fit: Fit, log: ReadLog, hall: Path, out: Path) -> str:
    """The calibrated scenario as YAML text: a header saying where each part comes from,
    ``extends:`` the hall file, then the fitted overrides."""
    v = fit.volume
    days = fit.days
    lines = [
        f"# Calibrated by `hallsim calibrate` from the ticket log {Path(log.path).name}",
        f"# ({len(log.tickets)} tickets over {len(days)} days, {days[0]} to {days[-1]}; layout {log.layout}, "
        f"{log.encoding_name}).",
        f"# Fitted from the log: visitors_per_day ({v['visitors_per_day']:.1f}, 95 % interval "
        f"{v['low']:.1f}-{v['high']:.1f}), weekday_factors, hourly_profile, service_mix,",
        "# window_time per service (chosen by AIC and a KS test; call to end of service), elderly share",
        "# and multiplier (when the log has ages), patience (censored waits; when anyone left), the log's",
        "# dates and calendar (run: holidays, closed days), window hours and the roster (windows, staff;",
        "# when the log names windows and operators), appointments (when the log has a booking flag).",
        "# Set because a ticket log counts window tickets only (return visits included): kiosk",
        "# preference 0 and missing_docs_prob 0. Everything else is the hall file's.",
        "# See the calibration report for the fits, their intervals and the validation.",
    ]
    lines += [f"# Note: {n}" for n in fit.notes]
    body: dict[str, Any] = {"extends": _extends_path(hall, out),
                            "description": f"Calibrated from {Path(log.path).name}: {len(days)} days, "
                                           f"{v['visitors_per_day']:.0f} tickets a day."}
    body.update(fit.overrides)
    return "\n".join(lines) + "\n" + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)


def calibrate(log_path: str | Path, hall_path: str | Path, out_path: str | Path,
              mapping_path: str | Path | None = None, layout: str | None = None, reps: int = DEFAULT_REPS,
              seed: int = 0, workers: int | None = 1, run_validation: bool = True, progress=None,
              mapping: Mapping[str, Any] | None = None) -> Calibration:
    """Calibrate the hall in ``hall_path`` from the log in ``log_path``; the scenario text
    is made for ``out_path`` (not written here). Raises LogError (the log or mapping),
    ScenarioError (the hall file, or a calibrated scenario that does not validate)."""
    hall_path, out_path = Path(hall_path), Path(out_path)
    hall = load_scenario(hall_path)
    if mapping is None and mapping_path is not None:
        mapping = read_mapping(Path(mapping_path))
    log = read_log(log_path, list(hall.services), layout, mapping, hall.demand.elderly_age)
    if log.tickets["service"].notna().sum() == 0:
        names = ", ".join(f"{k} ({v})" for k, v in list(log.unmatched.items())[:8])
        raise LogError(f"{log.path}: no business name matches a service code of {hall_path} "
                       f"({', '.join(hall.services)}); names in the log: {names}; map them with "
                       f"--columns map.yaml (services: {{NAME: CODE}})")
    fit = fit_tickets(log.tickets, hall, missed=log.missed, slot_known=log.slot_known)
    text = calibrated_yaml(fit, log, hall_path, out_path)
    scenario = load_file_text(text, out_path)
    simulated = log.tickets[log.tickets["date"].isin(set(fit.log_days.simulated))]
    result = validate(scenario, simulated, reps, seed, workers, progress) if run_validation else None
    return Calibration(log, fit, text, scenario, result, str(hall_path), str(out_path))
