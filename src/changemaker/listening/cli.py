"""`changemaker listening`: how notification emails are retried (engine only, no Django).

changemaker listening retries
"""

from __future__ import annotations

import click

from changemaker.listening.engine import MAX_ATTEMPTS, retry_schedule


@click.group(name="listening")
def cli() -> None:
    """Listening: follow and notify."""


@click.command()
def retries() -> None:
    """Print when a failed notification email is tried again, and when it is given up."""
    waited = 0.0
    for attempt, pause in enumerate(retry_schedule(), start=2):
        waited += pause.total_seconds()
        click.echo(
            f"try {attempt}: {pause.total_seconds() / 60:g} min after the last "
            f"({waited / 60:g} min after the first)"
        )
    click.echo(f"after try {MAX_ATTEMPTS}: given up, shown as 'Could not be emailed'")


cli.add_command(retries)
