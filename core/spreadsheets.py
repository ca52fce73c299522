"""Reading and writing the spreadsheets cadres actually keep (DESIGN §4).

Reading: xlsx/xls through python-calamine (fast), CSV in UTF-8, UTF-8 with BOM or GBK.
Files are checked before they are parsed — size, type, zip bombs, declared sheet size — and
every problem is a `FileRejected` with a message in Chinese. Rows keep the row number Excel
shows, headers are found below any title rows and matched by their common variants, and
cells are normalised (full-width to half-width, stray spaces, numbers stored as floats).

Writing: xlsx with rustpy-xlsxwriter (rust_xlsxwriter's bindings; XlsxWriter as the fallback),
row by row in constant memory (XlsxWriter past IN_MEMORY_ROWS; measured in bench/export.py);
every string is written as a string, never as a formula or a link, and text that a spreadsheet would run as a formula
(= + - @ …) is also neutralised with a leading apostrophe, which reading strips again so that
export → edit → re-import round-trips.
"""

import csv
import datetime
import decimal
import io
import itertools
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from operator import itemgetter

from django.conf import settings
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TOTAL_ROW_MARKERS = ("合计", "总计", "小计", "共计")
# A cell that starts with a total marker, spaces allowed between its characters ("合 计", "总计："),
# in any column of the row, the unrecognised ones (序号) included: one search per joined row.
TOTAL_ROW = re.compile("(?:^|\x1f)\\s*(?:" + "|".join("\\s*".join(marker) for marker in TOTAL_ROW_MARKERS) + ")")
TOTAL_ROW_HINT = "计"  # in every marker: a row without it is no total row, and is not searched
assert all(TOTAL_ROW_HINT in marker for marker in TOTAL_ROW_MARKERS)
HEADER_SEARCH_ROWS = 20
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# The head of a file with more than one NUL byte in this many is UTF-16 or binary, not a CSV.
BINARY_NUL_SHARE = 8
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)


class FileRejected(Exception):
    """The whole file is refused; the message says why, in Chinese."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple = ()
    required: bool = True

    def matches(self, text):
        return text in {normalise_header(h) for h in (self.header, *self.aliases)}


@dataclass
class Row:
    number: int  # the row number Excel shows
    values: dict  # column key → normalised text ("" when empty)
    total: bool = False  # a 合计/总计/小计/共计 row, whichever column holds the word (序号 too)

    def __getitem__(self, key):
        return self.values.get(key, "")


@dataclass
class Table:
    header_row: int
    rows: list = field(default_factory=list)
    columns: list = field(default_factory=list)  # the Column objects found in the header


def normalise_header(text):
    text = clean_text(text)
    return re.sub(r"[\s*＊:：()（）\[\]【】]", "", text)


def clean_text(value):
    """A cell as trimmed, half-width text; integers stored as floats lose their '.0'."""
    if value.__class__ is str:  # most cells: straight to the text path (an empty one as it is)
        return _clean_str(value) if value else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _clean_str(str(value))


def _clean_str(text):
    if not text.isascii():  # NFKC leaves ASCII as it is, and no zero-width character is ASCII
        if not unicodedata.is_normalized("NFKC", text):  # the quick check: most text already is
            text = unicodedata.normalize("NFKC", text)
        text = text.translate(ZERO_WIDTH)
    text = " ".join(text.split())  # the same as re.sub(r"\s+", " ", text).strip(), faster
    if text[:1] == "'" and text[1:2] in FORMULA_PREFIXES[:4]:
        text = text[1:]  # our own neutralisation, undone on the way back in
    return text


# --- reading ------------------------------------------------------------------------------------


def read_table(data, columns, *, max_rows=None, max_bytes=None):
    """Parse `data` (bytes of an xlsx/xls/CSV file) into a Table of the given columns."""
    max_rows = max_rows or settings.IMPORT_MAX_ROWS
    max_bytes = max_bytes or settings.IMPORT_MAX_BYTES
    if not data:
        raise FileRejected(_("文件是空的。"))
    if len(data) > max_bytes:
        raise FileRejected(
            _("文件大小 {size:.1f} MB 超过上限 {limit:.0f} MB，请拆分后分批导入。").format(
                size=len(data) / 1048576, limit=max_bytes / 1048576
            )
        )
    if data[:4] == b"PK\x03\x04":
        cells = _read_xlsx(data, max_rows)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        cells = _read_calamine(data, max_rows)
    else:
        cells = _read_csv(data, max_rows)
    return _to_table(cells, columns, max_rows)


def _read_xlsx(data, max_rows):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise FileRejected(_("文件已损坏，无法作为 Excel 文件打开。")) from None
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise FileRejected(_("这不是 Excel 表格文件（.xlsx）。"))
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise FileRejected(_("文件解压后异常庞大（疑似压缩炸弹），已拒绝。"))
    for info in infos:
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            try:
                with archive.open(info) as sheet:
                    head = sheet.read(4096).decode("utf-8", "replace")
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
                # a lying size (CRC mismatch), a broken stream, an unknown method, encryption
                raise FileRejected(_("文件已损坏，无法作为 Excel 文件打开。")) from None
            match = re.search(r'<(?:\w+:)?dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head)
            if match and int(match.group(1)) > max_rows + HEADER_SEARCH_ROWS:
                raise FileRejected(
                    _("表格声明了 {n} 行，超过单次导入上限 {limit} 行，请拆分后分批导入。").format(
                        n=int(match.group(1)), limit=max_rows
                    )
                )
    return _read_calamine(data, max_rows)


def _read_calamine(data, max_rows):
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = [m.name for m in workbook.sheets_metadata if str(m.visible).endswith("Visible")]
        sheet = workbook.get_sheet_by_name(visible[0] if visible else workbook.sheet_names[0])
        if sheet.total_height > max_rows + HEADER_SEARCH_ROWS:
            raise FileRejected(
                _("表格有 {n} 行，超过单次导入上限 {limit} 行，请拆分后分批导入。").format(
                    n=sheet.total_height, limit=max_rows
                )
            )
        rows = sheet.iter_rows()  # from the sheet's first row, so index + 1 is Excel's row number
        yield from enumerate(rows, 1)
    except FileRejected:
        raise
    except Exception:  # calamine raises its own error types for every kind of broken file
        raise FileRejected(_("无法读取该 Excel 文件，文件可能已损坏或加密。")) from None


def _decode(data):
    """The text of a CSV file. A stray NUL in the text is left for `_to_table`, which names its
    row and column; a file full of NULs (UTF-16, an image) is not a CSV we can read."""
    head = data[:4096]
    nuls = head.count(b"\x00")
    if nuls * BINARY_NUL_SHARE > len(head):
        raise FileRejected(_("无法识别的文件格式：请上传 Excel（.xlsx）或 CSV 文件。"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if nuls:  # NULs and no text encoding: a binary file
        raise FileRejected(_("无法识别的文件格式：请上传 Excel（.xlsx）或 CSV 文件。"))
    raise FileRejected(_("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码。"))


def _read_csv(data, max_rows):
    text = _decode(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    number = 0
    try:
        for cells in reader:
            number += 1
            if number > max_rows + HEADER_SEARCH_ROWS:
                raise FileRejected(_("文件超过单次导入上限 {limit} 行，请拆分后分批导入。").format(limit=max_rows))
            yield number, cells
    except csv.Error:
        raise FileRejected(_("CSV 文件格式有误（第 {n} 行附近）。").format(n=number + 1)) from None


def _cleaner(limit=100_000):
    """clean_text with a memo of the text cells (a sheet repeats its posts, genders, buildings and
    names endlessly), emptied past `limit` entries; an empty cell is returned as it is."""
    memo = {}

    def clean(value):
        if value.__class__ is str:
            if not value:
                return value
            text = memo.get(value)
            if text is None:
                if len(memo) >= limit:
                    memo.clear()
                text = memo[value] = _clean_str(value)
            return text
        return clean_text(value)

    return clean


def _to_table(cells, columns, max_rows):
    table = None
    headers = {}  # cell index → header of a recognised column
    data_rows = 0
    clean = _cleaner()
    for number, raw in cells:
        texts = [clean(v) for v in raw]
        joined = "\x1f".join(texts)
        # PostgreSQL text cannot hold NUL: refuse the file now, not at the confirmed write. One
        # test per row on the joined text (CSV text as it is, xlsx cells calamine unescaped from
        # _x0000_); the cell is only looked for when there is one.
        if "\x00" in joined:
            raise FileRejected(_nul_message(number, texts, headers))
        if table is None:
            if number > HEADER_SEARCH_ROWS:
                break
            positions = _match_header(texts, columns)
            if positions is not None:
                table = Table(header_row=number, columns=[c for c in columns if c.key in positions])
                headers = {positions[c.key]: c.header for c in table.columns}
                keys, indices = list(positions), list(positions.values())
                width = max(indices) + 1
                pick = itemgetter(*indices) if len(indices) > 1 else (lambda texts, i=indices[0]: (texts[i],))
            continue
        if len(texts) < width:
            texts += [""] * (width - len(texts))
        values = dict(zip(keys, pick(texts), strict=True))
        total = TOTAL_ROW_HINT in joined and TOTAL_ROW.search(joined) is not None
        table.rows.append(Row(number=number, values=values, total=total))
        data_rows += 1
        if data_rows > max_rows:
            raise FileRejected(_("文件超过单次导入上限 {limit} 行，请拆分后分批导入。").format(limit=max_rows))
    if table is None:
        raise FileRejected(_missing_columns_message(columns, found=set()))
    if not any(any(row.values.values()) for row in table.rows):
        raise FileRejected(_("表格中没有数据行。"))
    return table


def _nul_message(number, texts, headers):
    from openpyxl.utils import get_column_letter

    index = next(i for i, text in enumerate(texts) if "\x00" in text)
    letter = get_column_letter(index + 1)
    if index in headers:
        return _("第 {row} 行第 {column} 列（{header}）含有非法的空字符（NUL），请删除后重新上传。").format(
            row=number, column=letter, header=headers[index]
        )
    return _("第 {row} 行第 {column} 列含有非法的空字符（NUL），请删除后重新上传。").format(row=number, column=letter)


def _match_header(texts, columns):
    """Positions of the columns if `texts` is the header row, else None."""
    normalised = [normalise_header(t) for t in texts]
    positions = {}
    for column in columns:
        for i, text in enumerate(normalised):
            if text and column.matches(text) and i not in positions.values():
                positions[column.key] = i
                break
    required = [c for c in columns if c.required]
    found_required = [c for c in required if c.key in positions]
    if len(found_required) == len(required):
        return positions
    if len(found_required) >= max(2, len(required) // 2):
        raise FileRejected(_missing_columns_message(columns, found=set(positions)))
    return None


def _missing_columns_message(columns, found):
    missing = "、".join(c.header for c in columns if c.required and c.key not in found)
    return _("缺少必需的列：{missing}。请使用导入模板的表头。").format(missing=missing)


def is_blank(row):
    return not any(row.values.values())


def is_total_row(row):
    return row.total


def fill_down(rows, keys):
    """Cells merged down many rows hold their value in the first one only: copy it down."""
    last = dict.fromkeys(keys, "")
    for row in rows:
        if is_blank(row) or is_total_row(row):
            continue
        for key in keys:
            if row.values.get(key):
                last[key] = row.values[key]
            else:
                row.values[key] = last[key]


# --- writing ------------------------------------------------------------------------------------


def neutralise(value):
    """Text a spreadsheet would evaluate as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


CELL_TYPES = (str, bool, int, float, decimal.Decimal, datetime.date, datetime.time)


def _cell(value):
    """What a cell holds: text neutralised, a moment in the portal's time zone (Excel has none),
    anything else (a lazy translation, a UUID) as its text."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    if not isinstance(value, CELL_TYPES):
        value = str(value)
    return neutralise(value)


FORMULA_STARTS = frozenset(FORMULA_PREFIXES)  # each prefix is one character
TEMPORAL = (datetime.date, datetime.time)


def _text_or_cell(value):
    """`_cell` with a fast path for plain text, most cells of every export."""
    if value.__class__ is str:
        return "'" + value if value[:1] in FORMULA_STARTS else value
    return _cell(value)


# XlsxWriter writes up to this many rows with a table of shared strings, held in memory (25 %
# faster for a district's 25,000-row roster); beyond it row by row with inline strings, in constant
# memory (a city's 165,000 rows in a few MiB). The Rust writer is always row by row, inline.
IN_MEMORY_ROWS = 50_000
# The Rust writer formats dates and times by column: the kind of each column is that of its first
# date or time among the first KIND_ROWS rows (all the rows of an export made in the request).
KIND_ROWS = 10_000
DATE_FORMAT, MOMENT_FORMAT, CLOCK_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "hh:mm"

# The writers, measured side by side in bench/export.py: "rust" is rustpy-xlsxwriter (Python
# bindings of rust_xlsxwriter, the Rust port of XlsxWriter by XlsxWriter's author): the cells cross
# into Rust one row at a time and the XML and the zip are made there, 6-10× faster than XlsxWriter's
# per-cell Python (a district's 21,766-row roster: 3.1 → 0.5 s on a busy box). Its Python binding
# is young (0.x, one maintainer), so "xlsxwriter", the pure-Python writer it replaced, stays as the
# fallback: for sheets the dict-per-row interface cannot carry (no rows, a header repeated), when
# settings.XLSX_WRITER says so, or when the binding is missing.
WRITERS = ("rust", "xlsxwriter")


def write_xlsx(headers, rows, *, sheet_title="Sheet1", writer=None):
    """An xlsx file (bytes) with a bold header row; every cell value is neutralised. Both writers
    give the same cells (tests/core/test_xlsx_writers.py)."""
    rows = iter(rows)
    first = list(itertools.islice(rows, KIND_ROWS))
    title = SHEET_TITLE_FORBIDDEN.sub("_", sheet_title)[:31] or "Sheet1"
    headers = ["" if h is None else str(_cell(h)) for h in headers]
    writer = writer or getattr(settings, "XLSX_WRITER", "rust")
    if writer not in WRITERS:
        raise ValueError(f"unknown xlsx writer {writer!r}: one of {', '.join(WRITERS)}")
    if writer == "rust" and first and len(set(headers)) == len(headers):
        try:
            import rustpy_xlsxwriter
        except ImportError:  # pragma: no cover - the binding is in requirements.txt
            rustpy_xlsxwriter = None
        if rustpy_xlsxwriter is not None:
            return _write_rust(rustpy_xlsxwriter, headers, first, rows, title)
    first += itertools.islice(rows, max(0, IN_MEMORY_ROWS + 1 - len(first)))
    return _write_xlsxwriter(headers, first, rows, title)


def _write_xlsxwriter(headers, first, rows, title):
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": len(first) > IN_MEMORY_ROWS,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": DATE_FORMAT,
        },
    )
    sheet = workbook.add_worksheet(title)
    sheet.write_row(0, 0, headers, workbook.add_format({"bold": True}))
    moment = workbook.add_format({"num_format": MOMENT_FORMAT})
    clock = workbook.add_format({"num_format": CLOCK_FORMAT})
    write, write_string = sheet.write, sheet.write_string  # text, most cells, skips write's dispatch
    for number, row in enumerate(itertools.chain(first, rows), start=1):
        for column, value in enumerate(row):
            value = _text_or_cell(value)
            if isinstance(value, str):
                if value:
                    write_string(number, column, value)
            elif isinstance(value, datetime.datetime):
                sheet.write_datetime(number, column, value, moment)
            elif isinstance(value, datetime.time):
                sheet.write_datetime(number, column, value, clock)
            else:
                write(number, column, value)
    workbook.close()
    return buffer.getvalue()


def _column_kinds(first, width):
    """{column: date | datetime | time} from the first temporal value of each column in the rows
    held in memory: the number format of the column (the Rust writer formats by column; a date or a
    moment first met past them is written as a moment, a time of day as its text)."""
    kinds = {}
    columns = itertools.zip_longest(*first)  # one tuple a column, at C speed
    for column, values in enumerate(itertools.islice(columns, width)):
        if any(isinstance(kind, type) and issubclass(kind, TEMPORAL) for kind in set(map(type, values))):
            value = next(value for value in values if isinstance(value, TEMPORAL))
            kinds[column] = type(value) if type(value) in (datetime.datetime, datetime.time) else datetime.date
    return kinds


def _write_rust(binding, headers, first, rows, title):
    width = len(headers)
    kinds = _column_kinds(first, width)
    formats = {datetime.date: DATE_FORMAT, datetime.datetime: MOMENT_FORMAT, datetime.time: CLOCK_FORMAT}
    column_formats = [
        binding.Format().set_num_format(formats[kinds[column]]) if column in kinds else None for column in range(width)
    ]
    clocks = [column for column, kind in kinds.items() if kind is datetime.time]

    def records():
        for row in itertools.chain(first, rows):
            values = [  # _text_or_cell, inlined: a call a cell costs more than the test
                ("'" + value if value[:1] in FORMULA_STARTS else value) if value.__class__ is str else _cell(value)
                for value in row[:width]
            ]
            if len(values) < width:  # a short row: its last cells empty, the header whole
                values += [None] * (width - len(values))
            for column in clocks:  # a time of day is a fraction of a day, shown by its column's format
                value = values[column]
                if isinstance(value, datetime.time):
                    values[column] = (value.hour * 3600 + value.minute * 60 + value.second) / 86400
            yield dict(zip(headers, values, strict=False))

    buffer = io.BytesIO()
    binding.write_worksheet(
        records(),
        buffer,
        sheet_name=title,
        header_format=binding.Format().set_bold(),
        column_formats=column_formats,
        datetime_format=MOMENT_FORMAT,
        # Inline strings, row by row in constant memory, at any size: a table of shared strings would
        # make the file ~5 % smaller and the writing ~70 % slower (bench/export.py's district).
        dedupe_strings=False,
    )
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename, headers, rows, *, sheet_title="Sheet1"):
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(write_xlsx(headers, rows, sheet_title=sheet_title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


DAY_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?\s*月?$")


def parse_day(text):
    """A date as offices write it: 2020-01-05, 2020/1/5, 2020.1.5, 2020年1月5日, or a month alone
    (2020-01, 2020年1月: its first day). Returns None for an empty cell; raises ValueError in Chinese."""
    text = text.strip()
    if not text:
        return None
    match = DAY_RE.match(text.split(" ")[0])
    if match:
        year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
        try:
            return datetime.date(year, month, day)
        except ValueError:
            pass
    raise ValueError(f"日期“{text}”无法识别，请写成 2020-01-05 的格式。")


# A moment as hotline platforms and offices write it: 2026-11-03 14:05:00, 2026/11/3 14:05,
# 2026.11.3 14:05, 2026年11月3日 14:05, 2026年11月3日14时05分, an ISO "T", seconds and their
# fractions optional (calamine's own dates come back as "2026-11-03 14:05:00.000001").
MOMENT_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*[T\s]?\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})\s*分?(?:\s*[:：]?\s*(\d{1,2}(?:\.\d+)?)\s*秒?)?)?$"
)
# Excel's serial day numbers (days since 1899-12-30, the day's time as the fraction): accepted from
# 1950 to 2100, so that a bare year or a count is never read as a day.
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
SERIAL_RANGE = (18264, 73051)
SERIAL_RE = re.compile(r"^\d{5}(?:\.\d+)?$")


def parse_moment(text):
    """A naive datetime from a cell's text: the forms of MOMENT_RE (a date alone is its midnight)
    or an Excel serial number (a date cell saved without its format, or a CSV written from one),
    rounded to the second. Returns None for an empty cell; raises ValueError in Chinese."""
    text = text.strip()
    if not text:
        return None
    if SERIAL_RE.match(text) and SERIAL_RANGE[0] <= float(text) <= SERIAL_RANGE[1]:
        moment = EXCEL_EPOCH + datetime.timedelta(days=float(text))
        return (moment + datetime.timedelta(microseconds=500_000)).replace(microsecond=0)
    match = MOMENT_RE.match(text)
    if match:
        year, month, day, hour, minute, second = match.groups()
        try:
            moment = datetime.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
        except ValueError:
            pass
        else:
            if second:
                seconds = round(float(second))
                if seconds < 61:
                    return moment + datetime.timedelta(seconds=seconds)
            else:
                return moment
    raise ValueError(f"时间“{text}”无法识别，请写成 2026-11-03 14:05 的格式。")


NUMBER_RE = re.compile(r"^\d+(?:\.0+)?$|^\d(?:\.\d+)?[eE]\+?\d+$")


def number_text(text):
    """Digits a spreadsheet stored as a number, back as text: a phone or a case number that Excel
    kept as 13800001111.0 or 1.3800001111E+10 is "13800001111". Other text is returned as it is."""
    if NUMBER_RE.match(text):
        value = decimal.Decimal(text)
        if value == value.to_integral_value():
            return str(int(value))
    return text
