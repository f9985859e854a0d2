"""How `hallsim COMMAND --help` reads (sim.cli.help): flags bare, arguments named in capitals."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from sim.cli.main import app

runner = CliRunner()
COMMANDS = sorted(typer.main.get_command(app).commands)


def test_every_command_is_listed():
    """The commands checked below are all hallsim has (so a new one is checked too)."""
    assert {"run", "demo", "compare", "sweep", "report", "validate"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_flags_bare_and_arguments_in_capitals(command):
    """No '<bool>' after a flag, no '<list[...]>' and no '{name}' in the usage line; at 80
    columns no line is wider than 80."""
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "80", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "<bool>" not in out and "list[" not in out
    usage = next(line for line in out.splitlines() if "Usage:" in line)
    assert "{" not in usage and "}" not in usage
    assert all(len(line) <= 80 for line in out.splitlines())


def test_usage_names_the_argument_and_several_values_end_with_dots():
    """`run` takes SCENARIO; `compare` takes SCENARIOS... shown as <path>... in its panel."""
    run = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "80"}).stdout
    assert "hallsim run [OPTIONS] SCENARIO" in run
    compare = runner.invoke(app, ["compare", "--help"], env={"COLUMNS": "80"}).stdout
    assert "SCENARIOS..." in compare and "<path>..." in compare
