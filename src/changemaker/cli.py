"""The ``changemaker`` command.

Capability subcommands are loaded lazily: ``changemaker pb ...`` imports only
``changemaker.budgeting.cli`` (which calls the pure engine), so engine-only
commands start fast and never import Django.
"""

from __future__ import annotations

import importlib
import os

import click

# name -> (module path, attribute, one-line help). Keep the help here so that
# ``changemaker --help`` does not have to import every capability.
SUBCOMMANDS: dict[str, tuple[str, str, str]] = {
    "pb": ("changemaker.budgeting.cli", "cli", "Participatory budgeting: count .pb elections."),
    "opinions": ("changemaker.consultations.cli", "cli", "Consultations: map opinion groups."),
    "support": ("changemaker.support.cli", "cli", "Community support: match volunteers."),
    "insight": ("changemaker.insight.cli", "cli", "Shared view of need: link records."),
    "evidence": ("changemaker.evidence.cli", "cli", "Pilots and evidence: analyse and pool."),
    "culture": ("changemaker.culture.cli", "cli", "Changemaking culture: survey reports."),
    "listening": ("changemaker.listening.cli", "cli", "Listening: notification email retries."),
    "jobs": ("changemaker.core.cli", "jobs", "Background jobs: list and follow progress."),
    "manage": ("changemaker.core.cli", "manage", "Run a Django management command."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported only when used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = SUBCOMMANDS.get(cmd_name)
        if spec is None:
            return None
        module_name, attr, _help = spec
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            return _not_yet(cmd_name, _help)
        command = getattr(module, attr)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module_name}.{attr} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SUBCOMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _not_yet(name: str, help_text: str) -> click.Command:
    @click.command(name=name, help=help_text + " (not available in this version)")
    def missing() -> None:
        raise click.ClickException(f"'changemaker {name}' is not available in this version yet.")

    return missing


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="changemaker")
def cli() -> None:
    """Changemaker: run a community-powered council from the command line."""


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "changemaker.settings.dev")
    cli(prog_name="changemaker")


if __name__ == "__main__":
    main()
