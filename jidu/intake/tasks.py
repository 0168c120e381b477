from django_tasks import task

from jidu.intake.importing import run_import
from jidu.intake.models import ImportBatch


@task()
def import_batch(batch_id: int) -> dict:
    """Background import of an uploaded file (the web upload enqueues this)."""
    batch = run_import(ImportBatch.objects.get(pk=batch_id))
    return {"state": batch.state, "created": batch.created, "updated": batch.updated, "errors": batch.errors}
