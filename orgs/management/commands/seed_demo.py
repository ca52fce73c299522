"""manage.py seed_demo — the demo city and its logins (the logic lives in orgs/demo.py)."""

from django.core.management.base import BaseCommand
from django.db import connection

from core.registry import registry
from orgs import demo


class Command(BaseCommand):
    help = (
        "建立演示城市（长春市）的区划树和演示账号。已有区划时不再建立，只确保演示账号存在；"
        "--force 先清空所有区划和角色授权（TRUNCATE … CASCADE，仅用于演示数据库）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size", choices=demo.SIZES, default="small", help="small（默认）或 city（约16.5万个区划）"
        )
        parser.add_argument("--force", action="store_true", help="清空全部区划和角色授权后重建")

    def handle(self, *args, size, force, **options):
        if force:
            demo.wipe()
        if demo.has_areas():
            self.stdout.write("已有区划，未重新建立（如需重建请加 --force）。")
        else:
            result = demo.build_city(size)
            self.stdout.write(self.style.SUCCESS(f"已建立 {result.areas} 个区划，用时 {result.seconds:.1f} 秒。"))
            demo.create_demo_users()  # before the fillers: what they tell (notices) reaches the demo's users
            for fill in registry.demo_fillers:
                self.stdout.write(fill(size))
            # The fillers' bulk writes marked most of the tallies (core.tallies) stale: counted
            # once here, not by the first page viewed.
            for tally in registry.tallies.values():
                tally.fill()
            # And the planner's statistics, once for every table: the fillers wrote with bulk_create,
            # and on a server without autovacuum the funds' tables stayed unanalysed — a community's
            # 经费 card planned a nested loop over every expenditure (1.5 s at the city, 34 ms after).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(demo.logins_table(demo.create_demo_users()))
