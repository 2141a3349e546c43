"""Reading identity documents from tablet photos: share read valid, misreads, time, per engine.

Makes photo-like images of all five zone formats (TD1, TD2, TD3, MRV-A, MRV-B; fields made up,
zones written by domain/codes/documents/mrz_make.py, printed in Debian's OCR-B) under the
distortions of a hand-held tablet photo (tests/support/document_photos.py), and reads each with
`gangway.imaging.documents.read_zone` once per engine (PP-OCRv4 on onnxruntime, Debian's
tesseract 5), bytes in, parsed document out. Per condition and engine it prints:
- exact: every field as printed (format, codes, number, names, dates, sex, optional data);
- valid: every check digit and the composite hold (what the reader is allowed to act on);
- misread: valid, but a field differs from the truth (the goal is 0: names and state codes
  carry no check digit, so this is what the check digits cannot catch);
- no zone: the reader found no zone of the right shape (the watch is told to re-take it);
- name unsure: every check digit held but the name's line read two ways (refused, re-take);
- median and p95 ms from the upload's bytes to the parsed document, one core, one read at a time.
Baseline in the same run: the "clean" condition (a sharp, level, near photo), and the time to
open the upload alone (images.open_upload, the part every photo read pays).
Also reads any document images in ../shared/testdata/documents (NAME.jpg with NAME.txt, the zone's
lines), if that folder exists.
With --first-read it times instead the first read after a start, in the document worker process
as served: cold (the worker spawned and the model loaded by the read) and warmed (`gangway serve`
warms the worker when it starts), then a read in a worker already busy before.
Usage: .venv/bin/python bench/document_bench.py [--per 4] [--engines ppocr,tesseract] [--first-read]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gangway.domain.codes.documents.document import NAME_UNSURE, name_unsure  # noqa: E402
from gangway.domain.codes.documents.mrz import parse_mrz  # noqa: E402
from gangway.imaging.documents import ENGINES, NoZoneFound, read_zone  # noqa: E402
from gangway.imaging.images import open_upload  # noqa: E402
from tests.support.document_photos import (  # noqa: E402
    SIZES,
    Shot,
    draw_document,
    make_specimen,
    photograph,
)

TODAY = date(2026, 12, 7)
LIMITS = {"max_bytes": 20 * 2**20, "max_pixels": 50_000_000}
SHARED = Path(__file__).resolve().parents[2] / "shared/testdata/documents"
FIELDS = ("format", "document_type", "issuing_state", "document_number", "family_name",
          "given_names", "nationality", "birth_date", "sex", "expiry_date",
          "optional_data")  # fmt: skip


def conditions(rng: random.Random) -> dict[str, Shot]:
    """Return one tablet shot per condition, its amounts drawn at random within the range."""

    def turn() -> float:
        return rng.choice((-1, 1)) * rng.uniform(5, 20)

    return {
        "clean (baseline)": Shot(),
        "perspective": Shot(tilt=rng.uniform(0.05, 0.09)),
        "rotation 5-20 deg": Shot(rotation=turn()),
        "rotation 90/180": Shot(rotation=rng.choice((90, 180, 270)) + rng.uniform(-3, 3)),
        "blur": Shot(blur=rng.uniform(2.0, 3.0)),
        "glare": Shot(glare=rng.uniform(0.6, 0.8)),
        "noise": Shot(noise=14),
        "jpeg q30": Shot(quality=30),
        "small zone": Shot(fill=rng.uniform(0.33, 0.4)),
        "hand-held (all)": Shot(
            fill=0.6,
            rotation=rng.uniform(-8, 8),
            tilt=0.04,
            blur=1.5,
            glare=0.4,
            noise=6,
            quality=75,
        ),
    }


def values(document) -> tuple:
    """Return the fields compared with the truth."""
    return tuple(getattr(document, name) for name in FIELDS)


def read(data: bytes, engine: str) -> tuple[object | None, float, float]:
    """Return (the parsed document or None when no zone was found, seconds, CPU seconds)."""
    started, cpu = time.perf_counter(), time.process_time()

    def valid(lines: list[str]) -> bool:
        return parse_mrz(lines, TODAY).valid

    try:
        reading = read_zone(data, engine=engine, accept=valid, **LIMITS)
    except NoZoneFound:
        document = None
    else:
        document = parse_mrz(reading.lines, TODAY)
        document = name_unsure(document) if reading.name_unsure else document
    return document, time.perf_counter() - started, time.process_time() - cpu


def timing(times: list[float], cpus: list[float]) -> str:
    """Return the wall-clock and CPU median and p95 cells, in ms."""
    return (f"{statistics.median(times) * 1000:.0f} | {percentile(times, 0.95):.0f} | "
            f"{statistics.median(cpus) * 1000:.0f} | {percentile(cpus, 0.95):.0f}")  # fmt: skip


def percentile(times: list[float], share: float) -> float:
    """Return the nearest-rank percentile of `times` in ms."""
    ordered = sorted(times)
    return 1000 * ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per", type=int, default=4, help="photos per format and condition")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--only", default="", help="conditions whose name contains this")
    parser.add_argument("--first-read", action="store_true", help="time the first read only")
    args = parser.parse_args()
    if args.first_read:
        first_read(random.Random(args.seed))
        return
    engines = args.engines.split(",")
    rng = random.Random(args.seed)
    cases: dict[str, list[tuple[bytes, tuple]]] = {}
    for _ in range(args.per):
        for fmt in SIZES:
            spec = make_specimen(fmt, rng)
            page = draw_document(spec, rng)
            truth = values(parse_mrz(spec.lines, TODAY))
            for name, shot in conditions(rng).items():
                if args.only in name:
                    cases.setdefault(name, []).append((photograph(page, shot, rng), truth))
    cases.update(shared_cases())
    for engine in engines:  # load each engine's model once before timing
        ENGINES[engine]([])
    load = os.getloadavg()[0]
    print(f"load average {load:.1f}, 2 cores; {args.per} photos per format and condition")
    print("| condition | photos | engine | exact | valid | misread | no zone | name unsure "
          "| median ms | p95 ms | CPU median ms | CPU p95 ms |")  # fmt: skip
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    totals = {engine: [0, 0, 0, 0, 0, 0, [], []] for engine in engines}
    opens = []
    for name, items in cases.items():
        for data, _ in items:
            started = time.perf_counter()
            open_upload(data, 2400, LIMITS["max_pixels"], "L")
            opens.append(time.perf_counter() - started)
        for engine in engines:
            exact = valid = misread = missing = unsure = 0
            times, cpus = [], []
            for data, truth in items:
                document, seconds, cpu = read(data, engine)
                times.append(seconds)
                cpus.append(cpu)
                if document is None:
                    missing += 1
                    continue
                good = values(document) == truth
                unsure += bool(document.problem and document.problem.code == NAME_UNSURE)
                exact += good
                valid += document.valid
                misread += document.valid and not good
            row = totals[engine]
            for i, n in enumerate((len(items), exact, valid, misread, missing, unsure)):
                row[i] += n
            row[6] += times
            row[7] += cpus
            print(f"| {name} | {len(items)} | {engine} | {exact / len(items):.0%} | "
                  f"{valid / len(items):.0%} | {misread} | {missing} | {unsure} | "
                  f"{timing(times, cpus)} |")  # fmt: skip
    for engine, (n, exact, valid, misread, missing, unsure, times, cpus) in totals.items():
        print(f"| **all** | {n} | {engine} | {exact / n:.0%} | {valid / n:.0%} | {misread} | "
              f"{missing} | {unsure} | {timing(times, cpus)} |")  # fmt: skip
    print(f"baseline: open_upload alone, median {statistics.median(opens) * 1000:.0f} ms, "
          f"p95 {percentile(opens, 0.95):.0f} ms")  # fmt: skip


def first_read(rng: random.Random, rounds: int = 3) -> None:
    """Print the wall time of the first read after the worker starts, cold and warmed."""
    from gangway.imaging import document_pool, ppocr

    spec = make_specimen("TD3", rng)
    data = photograph(draw_document(spec, rng), Shot(), rng)

    def timed() -> float:
        started = time.perf_counter()
        document_pool.read_in_pool(data, timeout=120, today=TODAY, **LIMITS)
        return time.perf_counter() - started

    cold, warm, steady = [], [], []
    for _ in range(rounds):
        document_pool.shutdown()
        cold.append(timed())
        steady.append(timed())
        document_pool.shutdown()
        document_pool.warm()  # as the server's start does, a while before the first Check ID
        document_pool.POOL.run(ppocr.is_loaded, timeout=120)
        warm.append(timed())
    document_pool.shutdown()
    print(f"load average {os.getloadavg()[0]:.1f}; first read after a start, wall ms "
          f"(median of {rounds}): cold {statistics.median(cold) * 1000:.0f}, warmed "
          f"{statistics.median(warm) * 1000:.0f}; later reads "
          f"{statistics.median(steady) * 1000:.0f}")  # fmt: skip


def shared_cases() -> dict[str, list[tuple[bytes, tuple]]]:
    """Return the public specimen photos in ../shared/testdata/documents, if there are any."""
    items = []
    for image in sorted(SHARED.glob("*.*")) if SHARED.is_dir() else []:
        lines = image.with_suffix(".txt")
        if image.suffix.lower() in (".jpg", ".jpeg", ".png") and lines.exists():
            truth = values(parse_mrz(lines.read_text().split(), TODAY))
            items.append((image.read_bytes(), truth))
    return {"shared specimens": items} if items else {}


if __name__ == "__main__":
    main()
