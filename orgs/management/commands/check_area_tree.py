from django.core.management.base import BaseCommand
from django.db import transaction

from orgs import tree


class Command(BaseCommand):
    help = "检查区划树的 MPTT 不变量；--repair 按区划代码一次性重新编号（不使用 rebuild）。"

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="重新计算 lft/rght/层深")

    def handle(self, *args, **options):
        report = tree.check()
        if report.problems and options["repair"]:
            with transaction.atomic():
                tree_ids = tree.all_tree_ids()
                tree.lock_trees(*tree_ids)
                changed = tree.renumber(tree_ids)
            self.stdout.write(f"已重新编号 {changed} 个区划。")
            report = tree.check()
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"区划树完好：共 {report.areas} 个区划。"))
            return
        for problem, count in report.problems.items():
            self.stderr.write(f"{problem}：{count}")
        raise SystemExit(1)
