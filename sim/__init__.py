"""hallsim: discrete-event simulation of social security card service halls (社保卡服务大厅)."""

from sim.experiments import analytic
from sim.experiments.compare import Comparison, compare
from sim.scenario.distributions import Distribution
from sim.experiments.simulation import SimulationResult, combine, simulate
from sim.model.hall import OUTCOMES, ConservationError
from sim.results.kpis import KPIS
from sim.experiments.replications import replicate_until
from sim.experiments.staffing import StaffingPlan, staffing_search
from sim.scenario.loader import ScenarioError, default_scenario, load_scenario, load_scenario_text, scenario_to_yaml, with_overrides
from sim.model.records import COLUMNS
from sim.experiments.executors import ReplicationResult, run_replication
from sim.scenario.schema import Scenario
from sim.scenario.standards import check_standards
from sim.results.summary import judge_sla, summarise
from sim.issuance.simulation import (IssuanceResult, capacity_needed, collect_demand, collection_overrides, hall_overrides,
                       simulate_issuance)
from sim.scenario.workdays import CalendarError, WorkCalendar
from sim.experiments.grid import Grid, load_grid
from sim.experiments.sweep import SweepError, SweepInterrupted, SweepResult, load_sweep, sweep
from sim.report.build import Report, ReportError, results_report, sweep_report, write_report

from sim.version import __version__  # noqa: E402

__all__ = [
    "analytic",
    "Comparison",
    "compare",
    "COLUMNS",
    "ConservationError",
    "Distribution",
    "KPIS",
    "OUTCOMES",
    "ReplicationResult",
    "Scenario",
    "ScenarioError",
    "SimulationResult",
    "check_standards",
    "combine",
    "default_scenario",
    "judge_sla",
    "load_scenario",
    "load_scenario_text",
    "run_replication",
    "scenario_to_yaml",
    "simulate",
    "replicate_until",
    "staffing_search",
    "StaffingPlan",
    "summarise",
    "Grid",
    "load_grid",
    "SweepError",
    "SweepInterrupted",
    "SweepResult",
    "load_sweep",
    "sweep",
    "Report",
    "ReportError",
    "results_report",
    "sweep_report",
    "write_report",
    "with_overrides",
    "IssuanceResult",
    "capacity_needed",
    "collect_demand",
    "hall_overrides",
    "collection_overrides",
    "simulate_issuance",
    "CalendarError",
    "WorkCalendar",
    "__version__",
    "plots",
]


def __getattr__(name: str):
    """``sim.plots`` imports matplotlib only when first used (``import sim`` stays light)."""
    if name == "plots":
        import importlib

        return importlib.import_module("sim.plots")
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
