"""How ``hallsim … --help`` reads: flags without a type placeholder (``--json``, not
``--json <bool>``), several values as ``<path>...`` (not ``<list[Path]>``) and usage lines naming arguments in capitals (``hallsim run [OPTIONS]
SCENARIO``, not ``{scenario}``), as in the README.

:class:`HelpCommand` is the class of every hallsim command; :func:`apply` gives it to the
commands registered on a Typer app.
"""

from __future__ import annotations

import typer
from typer.core import TyperArgument, TyperCommand, TyperOption

__all__ = ["HelpCommand", "apply"]


def _plain_flag(param) -> None:
    if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
        param.metavar = ""  # typer shows the metavar in place of "<bool>"


def _plain_list(param) -> None:
    """An argument taking several values shows the type of one value, then "..." (``<path>...``,
    not ``<list[Path]>``)."""
    if isinstance(param, TyperArgument) and param.nargs != 1:
        one = param.display_type_rich

        def display_type_rich(ctx, one=one) -> str | None:
            shown = one(ctx)
            if shown and shown.startswith("<list[") and shown.endswith("]>"):
                return "<" + shown[len("<list["):-2].lower() + ">..."
            return shown

        param.display_type_rich = display_type_rich


class HelpCommand(TyperCommand):
    """A Typer command whose help shows flags bare and arguments as NAME in the usage line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for param in self.params:
            _plain_flag(param)
            _plain_list(param)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            _plain_flag(option)
        return option

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = (param.metavar or param.name or "").upper()
                name = name if param.required else f"[{name}]"
                pieces.append(name + ("..." if param.nargs != 1 else ""))
        return pieces


def apply(app: typer.Typer) -> typer.Typer:
    """Give :class:`HelpCommand` to every command of ``app`` that has no class of its own."""
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):
            info.cls = HelpCommand
    return app
