"""Reading a 5,000-row FAL Form 6 workbook: openpyxl (read-only, values) against python-calamine.

Builds a passenger list workbook of `--rows` rows (the list's limit, domain/crew_lists MAX_ROWS)
with the 15 FAL 6 columns, date cells for the dates and numbers for a third of the document
numbers, as an agency's template holds them. Then times, best of `--repeat`:
  - openpyxl: load_workbook(read_only=True) and every row's values (what services.lists.workbooks
    reads);
  - python-calamine: CalamineWorkbook.from_filelike and the sheet's rows (if installed;
    `pip install --target DIR python-calamine` and PYTHONPATH=DIR keeps it out of the venv);
  - the whole check with openpyxl: services.lists.workbooks.parse_workbook (reading plus the cell
    rules the CSV path has), and the same list as CSV through parse_list, for scale.
Usage: .venv/bin/python bench/list_workbook_bench.py [--rows 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import time
from datetime import date

from openpyxl import Workbook, load_workbook

from gangway.domain.lists.crew_lists import PASSENGERS, export_csv, parse_list, spec_for
from gangway.services.lists.workbooks import parse_workbook


def build(rows: int) -> bytes:
    """Return an .xlsx passenger list of `rows` rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Passengers")
    sheet.append(spec_for(PASSENGERS).header)
    for n in range(rows):
        number = 40_000_000 + n if n % 3 == 0 else f"P{n:08d}"  # typed as a number, or text
        sheet.append(
            [f"Family{n}", f"Given {n}", "DEU", date(1950 + n % 50, 1 + n % 12, 1 + n % 28)]
            + ["Köln", "F" if n % 2 else "M", "Passport", number, "DEU", date(2031, 2, 1)]
            + ["NLRTM", "NOOSL", f"B{n:06d}", "", str(7000 + n % 900)]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def best(repeat: int, work) -> float:
    """Return the fastest of `repeat` runs of `work`, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def read_openpyxl(data: bytes) -> int:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return count


def read_calamine(data: bytes) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return len(book.get_sheet_by_index(0).to_python())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = build(args.rows)
    print(f"workbook: {args.rows:,} rows of FAL Form 6, {len(data) / 1024:.0f} KiB")
    assert read_openpyxl(data) == args.rows + 1
    print(f"openpyxl read-only, values:  {best(args.repeat, lambda: read_openpyxl(data)):.3f} s")
    try:
        assert read_calamine(data) == args.rows + 1
        took = best(args.repeat, lambda: read_calamine(data))
        print(f"python-calamine, values:     {took:.3f} s")
    except ImportError:
        print("python-calamine:             not installed")
    parsed = parse_workbook(PASSENGERS, data)
    assert not parsed.problems, parsed.problems[:3]
    took = best(args.repeat, lambda: parse_workbook(PASSENGERS, data))
    print(f"whole check (openpyxl):      {took:.3f} s  (parse_workbook: reading + cell rules)")
    text = export_csv(PASSENGERS, parsed.rows)
    took = best(args.repeat, lambda: parse_list(PASSENGERS, text))
    print(f"the same list as CSV:        {took:.3f} s  (parse_list)")


if __name__ == "__main__":
    main()
