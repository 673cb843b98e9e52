#!/usr/bin/python3
"""Read a workbook back for test_xlsx_report: print what is in it as JSON.

    xlsx_check.py FILE.xlsx

Prints {"sheets": [names], "rows": {sheet: [[cell, ...], ...]},
"fonts": [font names of the non-empty cells], "entries": [zip entries]}.
Dates become ISO strings.  The C test makes the assertions; this only
proves that another reader (openpyxl) opens the file and sees the cells.
Exits 3 when openpyxl is missing, so that the test can skip.
"""
import datetime
import json
import sys
import zipfile

try:
    import openpyxl
except ImportError:
    sys.exit(3)


def cell(v):
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
        return v.isoformat()
    return v


def main(path):
    wb = openpyxl.load_workbook(path)
    out = {"sheets": wb.sheetnames, "rows": {}, "fonts": [], "entries": []}
    fonts = set()
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows():
            rows.append([cell(c.value) for c in row])
            for c in row:
                if c.value is not None:
                    fonts.add(c.font.name)
        out["rows"][ws.title] = rows
    out["fonts"] = sorted(f for f in fonts if f)
    with zipfile.ZipFile(path) as z:
        out["entries"] = z.namelist()
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write("usage: xlsx_check.py FILE.xlsx\n")
        sys.exit(2)
    main(sys.argv[1])
