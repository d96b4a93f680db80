"""A funded idea's delivery becomes a commitment (core's Commitment, one model for every
promise): each project funded by its budget's latest count, or with delivery updates, gets a
commitment (source "budgeting.project:ID", its title and ward, owner blank) carrying its
delivery status and progress, and each DeliveryUpdate becomes a CommitmentUpdate (same text,
time and author). Then the old model and fields go."""

from django.db import migrations

#: the old delivery statuses -> a commitment's
STATUS = {
    "not_started": "planned",
    "in_progress": "in_progress",
    "done": "done",
    "stopped": "stopped",
}


def _funded(apps):
    """The projects the latest count of each budget funded (as budgeting.selectors does)."""
    Count = apps.get_model("budgeting", "Count")
    latest = {}
    for row in Count.objects.order_by("computed_at", "pk"):
        latest[row.heading_id] = row
    found = set()
    for row in latest.values():
        found |= {(row.heading_id, code) for code in row.selected}
    return found


def forwards(apps, schema_editor):
    Project = apps.get_model("budgeting", "Project")
    DeliveryUpdate = apps.get_model("budgeting", "DeliveryUpdate")
    Commitment = apps.get_model("core", "Commitment")
    CommitmentUpdate = apps.get_model("core", "CommitmentUpdate")
    funded = _funded(apps)
    with_updates = set(DeliveryUpdate.objects.values_list("project_id", flat=True))
    for project in Project.objects.select_related("process").order_by("pk"):
        if (project.heading_id, project.code) not in funded and project.pk not in with_updates:
            continue
        source = f"budgeting.project:{project.pk}"
        council_id = project.process.council_id
        commitment = Commitment.objects.filter(council_id=council_id, source=source).first()
        if commitment is None:
            commitment = Commitment.objects.create(
                council_id=council_id,
                source=source,
                title=project.title[:200],
                ward_id=project.ward_id,
                status=STATUS.get(project.delivery_status, "planned"),
                progress=min(100, project.delivery_progress),
            )
        for update in DeliveryUpdate.objects.filter(project=project).order_by("created_at", "pk"):
            CommitmentUpdate.objects.create(
                commitment=commitment,
                text=update.text,
                at=update.created_at,
                author_id=update.author_id,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("budgeting", "0009_welsh_versions"),
        ("core", "0009_commitments"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(model_name="project", name="delivery_progress"),
        migrations.RemoveField(model_name="project", name="delivery_status"),
        migrations.DeleteModel(name="DeliveryUpdate"),
    ]
