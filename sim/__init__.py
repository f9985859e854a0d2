"""hallsim: discrete-event simulation of social security card service halls (社保卡服务大厅)."""

from . import analytic
from .compare import Comparison, compare
from .distributions import Distribution
from .experiment import SimulationResult, combine, simulate
from .hall import OUTCOMES, ConservationError
from .kpis import KPIS
from .loader import ScenarioError, default_scenario, load_scenario, load_scenario_text, scenario_to_yaml, with_overrides
from .records import COLUMNS
from .replication import ReplicationResult, run_replication
from .scenario import Scenario
from .standards import check_standards
from .summary import judge_sla, summarise

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
    "summarise",
    "with_overrides",
    "__version__",
]
