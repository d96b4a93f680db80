"""CLI commands that need Django: background jobs, and management commands."""

from __future__ import annotations

import os
import time

import click


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "changemaker.settings.dev")
    import django

    django.setup()


@click.group(help="Background jobs: list them and follow their progress.")
def jobs() -> None:
    _django()


@jobs.command("list")
@click.option("--limit", default=20, show_default=True)
def list_jobs(limit: int) -> None:
    """List recent jobs with their status and progress, and why a failed job failed."""
    from changemaker.core.models import Job

    for job in Job.objects.order_by("-created_at")[:limit]:
        click.echo(f"{job.pk}  {job.status:<9} {job.percent:>3}%  {job.kind:<24} {job.title}")
        if job.status == Job.Status.FAILED and job.error:
            click.echo(f"    failed: {job.error}")
        elif job.was_lost:
            click.echo("    its worker stopped; queued again to run from the start")


@jobs.command("follow")
@click.argument("job_id")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between checks.")
def follow(job_id: str, interval: float) -> None:
    """Show a job's progress until it finishes."""
    from django.core.exceptions import ValidationError

    from changemaker.core.models import Job

    try:
        job = Job.objects.get(pk=job_id)
    except (Job.DoesNotExist, ValidationError, ValueError) as exc:
        raise click.ClickException(f"No job with id {job_id}") from exc
    last = None
    while True:
        job.refresh_from_db()
        line = f"{job.get_status_display()}: {job.percent}% {job.message}".rstrip()
        if line != last:
            click.echo(line)
            last = line
        if job.is_finished:
            break
        time.sleep(interval)
    if job.status == Job.Status.FAILED:
        raise click.ClickException(job.error or "The job failed")


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    help="Run a Django management command, e.g. `changemaker manage migrate`.",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "changemaker.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["changemaker manage", *args])
