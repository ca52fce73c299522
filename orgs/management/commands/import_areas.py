from core.importing import ImportCommand


class Command(ImportCommand):
    kind = "areas"
    allow_skip_invalid = False
    help = "导入区划表（列：区划代码, 名称, 层级, 上级代码）。任何一行未通过校验则不写入，退出码为 1。"
