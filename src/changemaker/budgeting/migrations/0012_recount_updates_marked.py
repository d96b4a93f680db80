"""The commitment updates recounts wrote before updates carried a reason are marked as the
recount's: found by the recount's own English words, on commitments of budgeting projects."""

from django.db import migrations

RECOUNT_WORDS = ("No longer funded after the recount on ", "Funded again after the recount on ")


def mark(apps, schema_editor):  # type: ignore[no-untyped-def]
    updates = apps.get_model("core", "CommitmentUpdate").objects.filter(
        commitment__source__startswith="budgeting.project:", reason=""
    )
    for words in RECOUNT_WORDS:
        updates.filter(text__startswith=words).update(reason="budgeting.recount")


class Migration(migrations.Migration):
    dependencies = [
        ("budgeting", "0011_idea_evidence"),
        ("core", "0010_commitment_update_reason"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
