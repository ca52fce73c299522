"""manage.py upgrade — an upgrade in one command, in NetBox's manner (README, "Upgrading"): the
checks, a backup, the migrations (their plan shown first), the static files, and the jobs queued
while the portal was down sent again. Run it with the new release's code in place and the workers
and beat stopped; it stops at the first step that fails, before the database is touched when the
checks or the backup fail."""

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, SystemCheckError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from core import jobs
from jiceng import __version__

STEPS = 5


def unknown_migrations():
    """Migrations the database has applied that this release's code does not have: the database
    was made by a newer release (a code rollback without restoring the backup)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)  # a squashed migration's originals, whose files may be gone
    known_apps = {app for app, _name in known}
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(key for key in applied if key[0] in known_apps and key not in known)


class Command(BaseCommand):
    help = (
        "升级到当前代码的版本：系统检查（check --deploy）、备份（backup）、迁移数据库（先列出计划）、"
        "收集静态文件（collectstatic）、重新发送排队中的任务。请先停止 worker 和 beat。"
    )
    # Step 1 runs the checks itself, with the deploy checks, and says what failed.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-backup",
            action="store_true",
            help="不做备份（运维已有自己的数据库和上传文件备份时）",
        )

    def handle(self, *args, skip_backup, verbosity, **options):
        self.verbosity = verbosity
        self.stdout.write(self.style.MIGRATE_HEADING(f"升级到 基层治理平台 v{__version__}（upgrade to {__version__}）"))
        if not skip_backup and "backup" not in get_commands():
            raise CommandError(
                "找不到备份命令（backup），未做任何改动。请安装含 backup 命令的版本，"
                "或确认已有备份后加 --skip-backup 再运行。"
                " (No backup command: nothing was changed; pass --skip-backup if you back up otherwise.)"
            )
        self.check()
        self.backup(skip_backup)
        self.migrate()
        self.collect_static()
        self.resend_queued_jobs()
        self.stdout.write(
            self.style.SUCCESS(
                f"升级完成：基层治理平台 v{__version__}。请重新启动 web、worker 和 beat。"
                " (Upgrade done: restart the web server, the workers and beat.)"
            )
        )

    def step(self, number, title):
        self.stdout.write(self.style.MIGRATE_HEADING(f"[{number}/{STEPS}] {title}"))

    def check(self):
        self.step(1, "系统检查（check --deploy）")
        try:
            call_command("check", deploy=True, fail_level="ERROR", stdout=self.stdout, stderr=self.stderr)
        except SystemCheckError as error:
            raise CommandError(
                f"系统检查发现错误，未做任何改动；请先修正：\n{error}\n(System checks failed: nothing was changed.)"
            ) from None
        newer = unknown_migrations()
        if newer:
            names = "、".join(f"{app}.{name}" for app, name in newer)
            raise CommandError(
                f"数据库已由更新的版本迁移（本版本没有这些迁移：{names}），未做任何改动。"
                "回退版本时请恢复升级前的备份，再运行旧版本。"
                " (The database was migrated by a newer release: restore the backup taken before it.)"
            )

    def backup(self, skip_backup):
        self.step(2, "备份数据库和上传文件（backup）")
        if skip_backup:
            self.stdout.write("已跳过（--skip-backup）。 (skipped)")
            return
        try:
            call_command("backup", stdout=self.stdout, stderr=self.stderr)
        except CommandError as error:
            raise CommandError(f"备份失败，未做任何改动：{error} (The backup failed: nothing was changed.)") from None

    def migrate(self):
        self.step(3, "迁移数据库（migrate）")
        call_command("migrate", plan=True, stdout=self.stdout)
        call_command("migrate", interactive=False, verbosity=self.verbosity, stdout=self.stdout)

    def collect_static(self):
        self.step(4, "收集静态文件（collectstatic）")
        call_command("collectstatic", interactive=False, verbosity=min(self.verbosity, 1), stdout=self.stdout)

    def resend_queued_jobs(self):
        self.step(5, "重新发送排队中的任务（导入、导出、汇总）")
        sent = jobs.redispatch_pending(older_than_seconds=0)
        self.stdout.write(f"已重新发送 {sent} 个任务。 (queued jobs sent again: {sent})")
