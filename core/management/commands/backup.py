"""manage.py backup — the database, the uploaded files and a manifest in one archive (core/backups.py)."""

from django.core.management.base import BaseCommand, CommandError

from core import backups


class Command(BaseCommand):
    help = (
        "备份数据库（pg_dump 自定义格式，一个快照）、MEDIA_ROOT 下的全部上传文件和清单（版本、迁移、行数、校验和），"
        "写成一个 .tar 文件，默认在 BACKUP_DIR；最后一行输出备份文件的路径。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="备份文件的路径，或写入其中的目录（默认 BACKUP_DIR）")

    def handle(self, *args, output=None, **options):
        try:
            path = backups.create_backup(output, log=self.stdout.write)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        return str(path)
