from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from orgs.importing import run_command_import


class Command(BaseCommand):
    help = "导入区划表（列：区划代码, 名称, 层级, 上级代码）。任何一行未通过校验则不写入，退出码为 1。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="xlsx 或 CSV 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--json", action="store_true", help="以一个 JSON 对象输出结果")
        parser.add_argument("--user", help="以该用户的权限导入（默认：系统管理员，不受范围限制）")

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"用户 {options['user']} 不存在。")
        code = run_command_import(self, "areas", options, user=user)
        if code:
            raise SystemExit(code)
