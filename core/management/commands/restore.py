"""manage.py restore PATH [--force] — a backup of `manage.py backup` back into the database and MEDIA_ROOT."""

from django.core.management.base import BaseCommand, CommandError

from core import backups


class Command(BaseCommand):
    help = (
        "从 manage.py backup 的备份恢复数据库和上传文件。先检查全部内容（校验和、pg_restore 能否读取、"
        "迁移是否都为本版本所知、目标数据库是否为空），任何一项不符即拒绝且不写入任何东西；"
        "恢复在一个事务内完成，之后按清单核对行数和每个文件的校验和。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件（jiceng-….tar）")
        parser.add_argument(
            "--force", action="store_true", help="目标数据库已有数据时，删除其全部表和数据，换成备份的内容"
        )

    def handle(self, *args, path, force, **options):
        try:
            report = backups.restore_backup(path, force=force, log=self.stdout.write)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        for label, expected, found in report.count_mismatches:
            self.stderr.write(f"行数不符：{label} 备份 {expected}，恢复后 {found}")
        for name in report.file_mismatches:
            self.stderr.write(f"文件不符：{name}")
        if not report.ok:
            raise CommandError("恢复后的核对发现不符（见上）。")
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复完成，核对无误：{report.rows_checked} 行（{len(backups.MAIN_MODELS)} 个主要表及历史记录）、"
                f"{report.files_checked} 个文件与清单一致，用时 {report.seconds:.1f} 秒。"
            )
        )
