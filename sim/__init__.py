"""hallsim: discrete-event simulation of social security card service halls (社保卡服务大厅)."""

from . import analytic
from .compare import Comparison, compare
from .distributions import Distribution
from .experiment import SimulationResult, combine, simulate
from .hall import OUTCOMES, ConservationError
from .kpis import KPIS
from .precision import replicate_until
from .staffing_search import StaffingPlan, staffing_search
from .loader import ScenarioError, default_scenario, load_scenario, load_scenario_text, scenario_to_yaml, with_overrides
from .records import COLUMNS
from .replication import ReplicationResult, run_replication
from .scenario import Scenario
from .standards import check_standards
from .summary import judge_sla, summarise
from .issuance import (IssuanceResult, capacity_needed, collect_demand, collection_overrides, hall_overrides,
                       simulate_issuance)
from .workdays import CalendarError, WorkCalendar
from .grid import Grid, load_grid
from .sweep import SweepError, SweepInterrupted, SweepResult, load_sweep, sweep
from .report import Report, ReportError, results_report, sweep_report, write_report

__version__ = "0.1.0"

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
]
