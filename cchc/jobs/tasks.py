"""The one django-tasks task: "run job N". Whatever the kind, the worker goes through services.execute."""

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    from cchc.jobs import services

    return services.execute(job_id)
