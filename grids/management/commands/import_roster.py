from core.importing import ImportCommand


class Command(ImportCommand):
    kind = "roster"
    help = (
        "导入人员名册（列：区, 街道, 社区, 网格编码, 网格名称, 楼栋, 单元, 职务, 姓名, 性别, 联系电话, "
        "身份证号, 政治面貌, 备注）。有未通过校验的行时不写入并以 1 退出，除非指定 --skip-invalid。"
    )
