from core.importing import ImportCommand


class Command(ImportCommand):
    kind = "hotline_requests"
    help = (
        "导入12345热线工单为诉求（列：工单编号, 受理时间, 诉求类型, 诉求内容, 事发地址, 所属区县, 所属街道, "
        "所属社区, 联系人, 联系电话, 承办单位, 办理状态, 办结时间, 回访满意度）。按工单编号更新，不重复建立。"
        "有未通过校验的行时不写入并以 1 退出，除非指定 --skip-invalid。"
    )
