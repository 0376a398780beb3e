"""ImportJob keeps the file; its status, progress, errors and figures move to the background job (cchc.jobs)."""

from django.db import migrations, models
import django.db.models.deletion

STATUS_MAP = {"cho": "loi", "dang_chay": "loi", "xong": "xong", "tu_choi": "tu_choi", "loi": "loi"}


def to_jobs(apps, schema_editor):
    ImportJob = apps.get_model("dossiers", "ImportJob")
    Job = apps.get_model("jobs", "Job")
    for imp in ImportJob.objects.all().iterator():
        status = STATUS_MAP.get(imp.status, "loi")
        stage = imp.stage
        if imp.status in ("cho", "dang_chay"):  # their thread died with the server that ran it
            stage = "Tiến trình xử lý bị dừng giữa chừng (máy chủ khởi động lại). Hãy nạp lại tệp."
        job = Job.objects.create(
            kind="dossiers.import",
            label=f"{'Kiểm tra' if imp.dry_run else 'Nạp'} tệp hồ sơ {imp.file_name}"[:255],
            status=status,
            progress=100 if status != "cho" else imp.progress,
            stage=stage[:300],
            params={"import_job": imp.pk},
            result={
                "summary": imp.stage,
                "dry_run": imp.dry_run,
                "rows": imp.rows,
                "created": imp.created,
                "updated": imp.updated,
                "unchanged": imp.unchanged,
            }
            if imp.status == "xong"
            else None,
            errors=imp.errors,
            error_total=imp.error_total,
            actor_id=imp.user_id,
            actor_label=imp.actor_label,
            attempts=1,
            finished_at=imp.finished_at,
        )
        Job.objects.filter(pk=job.pk).update(created_at=imp.created_at)
        imp.job_id = job.pk
        imp.save(update_fields=["job"])


class Migration(migrations.Migration):
    # The data step commits on its own: PostgreSQL refuses to alter a table with deferred FK checks pending.
    atomic = False

    dependencies = [
        ("dossiers", "0005_handover_to_people"),
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="job",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="dossier_import",
                to="jobs.job",
            ),
        ),
        migrations.RunPython(to_jobs, migrations.RunPython.noop, atomic=True),
        migrations.RemoveField(model_name="importjob", name="status"),
        migrations.RemoveField(model_name="importjob", name="progress"),
        migrations.RemoveField(model_name="importjob", name="stage"),
        migrations.RemoveField(model_name="importjob", name="rows"),
        migrations.RemoveField(model_name="importjob", name="created"),
        migrations.RemoveField(model_name="importjob", name="updated"),
        migrations.RemoveField(model_name="importjob", name="unchanged"),
        migrations.RemoveField(model_name="importjob", name="error_total"),
        migrations.RemoveField(model_name="importjob", name="errors"),
        migrations.RemoveField(model_name="importjob", name="finished_at"),
    ]
