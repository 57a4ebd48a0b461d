"""A family of layouts per document type (issue 14): the same four results
and fields, worded, arranged and typeset as different official form
versions and offices print them, so field extraction can be measured on
layouts it was not tuned on.

A layout is a combination of
  wording      label texts of successive form versions ("Họ, chữ đệm, tên"
               / "Họ và tên" / "Họ, chữ đệm và tên"; "Nơi đăng ký" /
               "Nơi đăng ký khai sinh"; "Ngày sinh" / "Sinh ngày" ...)
  arrangement  label and value on one line, on the next line, after dotted
               leaders, in table cells; `pairs` puts two short fields on one row
  names        in capitals or in title case
  dates        in figures, "ngày D tháng M năm YYYY", or wholly in words
  number       "Số: 15, Quyển số: ..." or with its symbol "Số: 15/KS; ..."
  family       serif, sans or typewriter face
  stamp        a second seal stamped over the body text

LAYOUTS are split into a TUNING set (extraction rules may be written
looking at these) and a HELD-BACK set (nobody writes a rule against them;
they only measure). Each held-back layout combines the options differently
from every tuning layout, and the held-back set uses event words ("Nơi đăng
ký kết hôn") and date wordings on types the tuning set does not.

transform() rewrites a content.Document's body lines into line specs for
render.layout_pages(); the document's fields (the truth) do not change.
"""

import re

from . import content

EVENT = {"khai_sinh": "khai sinh", "ket_hon": "kết hôn", "khai_tu": "khai tử"}

# Label as content.py prints it -> label of another form version. "{event}"
# is the document type's event word.
WORDINGS = {
    "A": {},
    "B": {
        "Họ, chữ đệm, tên": "Họ và tên",
        "Họ, chữ đệm, tên người mẹ": "Họ và tên mẹ",
        "Họ, chữ đệm, tên người cha": "Họ và tên cha",
        "Họ, chữ đệm, tên chồng": "Họ và tên chồng",
        "Họ, chữ đệm, tên vợ": "Họ và tên vợ",
        "Ngày, tháng, năm sinh": "Sinh ngày",
        "Nơi đăng ký": "Nơi đăng ký {event}",
        "Ngày đăng ký": "Ngày, tháng, năm đăng ký",
        "Giấy này có giá trị sử dụng đến ngày": "Giấy này có giá trị đến ngày",
    },
    "C": {
        "Họ, chữ đệm, tên": "Họ, chữ đệm và tên",
        "Họ, chữ đệm, tên người mẹ": "Họ, chữ đệm và tên người mẹ",
        "Họ, chữ đệm, tên người cha": "Họ, chữ đệm và tên người cha",
        "Ngày, tháng, năm sinh": "Ngày sinh",
        "Số định danh cá nhân": "Số định danh",
        "Ngày đăng ký": "Ngày đăng ký {event}",
        "Đã chết vào lúc": "Chết vào lúc",
        "Giấy này được cấp để": "Mục đích sử dụng",
    },
}

NAME_LABELS = {"Họ, chữ đệm, tên", "Họ, chữ đệm, tên người mẹ", "Họ, chữ đệm, tên người cha",
               "Họ, chữ đệm, tên chồng", "Họ, chữ đệm, tên vợ"}
DATE_LABELS = {"Ngày, tháng, năm sinh", "Ngày đăng ký", "Đã chết vào lúc",
               "Giấy này có giá trị sử dụng đến ngày"}
# Short fields that `pairs` sets two to a row.
SHORT_LABELS = {"Giới tính", "Dân tộc", "Quốc tịch", "Số", "Quyển số"}


def layout(wording, arrangement, names, dates, number, family, stamp, pairs=False):
    return {"wording": wording, "arrangement": arrangement, "names": names, "dates": dates,
            "number": number, "family": family, "stamp": stamp, "pairs": pairs}


LAYOUTS = {
    "tuning": {
        "t1-A-inline-serif": layout("A", "inline", "upper", "figures", "symbol", "serif", False),
        "t2-B-nextline-sans": layout("B", "next_line", "title", "ngay", "plain", "sans", False),
        "t3-A-table-mono": layout("A", "table", "upper", "figures", "symbol", "mono", True),
        "t4-C-dotted-serif": layout("C", "dotted", "title", "words", "plain", "serif", False,
                                    pairs=True),
    },
    "heldback": {
        "h1-B-table-serif": layout("B", "table", "upper", "words", "plain", "serif", True),
        "h2-C-nextline-mono": layout("C", "next_line", "title", "figures", "symbol", "mono",
                                     False, pairs=True),
        "h3-B-dotted-sans": layout("B", "dotted", "upper", "ngay", "symbol", "sans", False,
                                   pairs=True),
        "h4-C-inline-sans": layout("C", "inline", "title", "words", "symbol", "sans", True),
    },
}


def title_case(name):
    return " ".join(w[:1] + w[1:].lower() for w in content.nfc(name).split(" "))


def date_in_words(day, month, year):
    return "ngày %s tháng %s năm %s" % (content.words_below_100(day), content.MONTHS[month],
                                        content.year_words(year))


_DMY = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def restyle_date(value, style):
    def one(m):
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if style == "ngay":
            return "ngày %d tháng %d năm %d" % (d, mo, y)
        return date_in_words(d, mo, y)
    return value if style == "figures" else _DMY.sub(one, value)


def _pairs_of(line):
    """'Label: value' items of a body line ('; ' or ', ' separated), or None
    for a line that is not label: value."""
    items = []
    for part in re.split(r"; |, (?=Quyển số)", line):
        if ": " not in part:
            return None
        label, value = part.split(": ", 1)
        items.append([label, value])
    return items


def transform(doc, spec):
    """Returns the body as render line specs: ("text", str) for plain lines,
    ("field", label, value) for one labelled value, ("row", [(label,
    value)...]) for several fields on one row; and the arrangement."""
    wording = WORDINGS[spec["wording"]]
    event = EVENT.get(doc.doc_type, "")
    out = []
    for line in doc.body:
        items = _pairs_of(line)
        if items is None:
            out.append(("text", line))
            continue
        for item in items:
            label, value = item
            if label in NAME_LABELS and spec["names"] == "title" and not value.startswith("("):
                value = title_case(value)
            if label in DATE_LABELS:
                value = restyle_date(value, spec["dates"])
            if label == "Số" and spec["number"] == "symbol":
                value = "%s/%s" % (value, content.SYMBOLS[doc.doc_type])
            new = wording.get(label, label).replace("{event}", event)
            item[0], item[1] = content.nfc(new), content.nfc(value)
        if len(items) > 1 or (spec["pairs"] and items[0][0] in SHORT_LABELS):
            out.append(("row", [tuple(i) for i in items]))
        else:
            out.append(("field", items[0][0], items[0][1]))
    if spec["pairs"]:  # merge neighbouring single short fields into rows of two
        merged = []
        for entry in out:
            prev = merged[-1] if merged else None
            if (entry[0] == "row" and len(entry[1]) == 1 and prev is not None
                    and prev[0] == "row" and len(prev[1]) == 1):
                merged[-1] = ("row", prev[1] + entry[1])
            else:
                merged.append(entry)
        out = [("field",) + e[1][0] if e[0] == "row" and len(e[1]) == 1 else e for e in merged]
    return out


def find(name):
    for group, layouts in LAYOUTS.items():
        if name in layouts:
            return group, layouts[name]
    raise KeyError(name)
