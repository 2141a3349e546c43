"""Benchmark imaging.decode against the real-world barcode photos in ../shared/testdata/barcodes.

Each set folder holds NAME.png beside NAME.txt (UTF-8) or NAME.bin (ISO-8859-1) with the expected
text. For every set it prints how many images `decode_image` reads correctly, with median and p95
milliseconds per image (bytes in, texts out), and, measured in the same run as baselines: zxing-cpp
called raw (Pillow opens the same bytes, read_barcodes with its defaults, all formats) and pyzbar
alone on an in-memory greyscale image. Run: .venv/bin/python bench/decode_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
import warnings
from io import BytesIO
from pathlib import Path

import zxingcpp
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gangway.imaging.decode import decode_image, decoder_versions  # noqa: E402

try:
    from pyzbar.pyzbar import ZBarSymbol
    from pyzbar.pyzbar import decode as zbar_decode
except (ImportError, OSError):
    zbar_decode = None

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared/testdata/barcodes"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"}
TABLE_HEADER = (
    "| set | images | decode_image read | median ms | p95 ms "
    "| raw zxing-cpp read | median ms | p95 ms | pyzbar read | pyzbar median ms |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def expected_text(image: Path) -> str | None:
    """Return the expected text stored beside an image, or None when there is none."""
    if (txt := image.with_suffix(".txt")).exists():
        return txt.read_text("utf-8")
    if (binary := image.with_suffix(".bin")).exists():
        return binary.read_bytes().decode("latin-1")
    return None


def normalise(text: str) -> str:
    """Fold CRLF to LF: the corpus's .txt files were stored with LF line ends."""
    return text.replace("\r\n", "\n")


def timed(function, *args, repeat: int, **kwargs):
    """Return (result, fastest milliseconds) of calling function `repeat` times."""
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        best = min(best, (time.perf_counter() - start) * 1000)
    return result, best


def percentile(values: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def raw_zxing(data: bytes) -> list[str]:
    """zxing-cpp with its defaults on the image as Pillow opens it; each text as given and as
    the raw bytes read in ISO-8859-1 and UTF-8 (so binary payloads compare fairly)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = zxingcpp.read_barcodes(Image.open(BytesIO(data)))
    return [
        text
        for b in found
        for text in (b.text, b.bytes.decode("latin-1"), b.bytes.decode("utf-8", "replace"))
    ]


def zbar_read(image: Image.Image) -> list[str]:
    """Decode QR codes with pyzbar alone."""
    found = zbar_decode(image, symbols=[ZBarSymbol.QRCODE])
    return [symbol.data.decode("utf-8", errors="replace") for symbol in found]


def bench_set(folder: Path, repeat: int) -> dict[str, object]:
    """Measure one set folder."""
    ours_ok = zbar_ok = raw_ok = 0
    ours_ms: list[float] = []
    raw_ms: list[float] = []
    zbar_ms: list[float] = []
    misses: list[str] = []
    images = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    images = [p for p in images if expected_text(p) is not None]
    for path in images:
        want = normalise(expected_text(path))
        data = path.read_bytes()
        texts, ms = timed(decode_image, data, repeat=repeat)
        ours_ms.append(ms)
        if want in map(normalise, texts):
            ours_ok += 1
        else:
            misses.append(path.name)
        texts, ms = timed(raw_zxing, data, repeat=repeat)
        raw_ms.append(ms)
        raw_ok += want in map(normalise, texts)
        if zbar_decode is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # palette-with-transparency notice
                grey = Image.open(path).convert("L")
            texts, ms = timed(zbar_read, grey, repeat=repeat)
            zbar_ms.append(ms)
            zbar_ok += want in map(normalise, texts)
    return {
        "set": folder.name,
        "n": len(images),
        "ours_ok": ours_ok,
        "ours_median": statistics.median(ours_ms) if ours_ms else math.nan,
        "ours_p95": percentile(ours_ms, 0.95) if ours_ms else math.nan,
        "raw_ok": raw_ok,
        "raw_median": statistics.median(raw_ms) if raw_ms else math.nan,
        "raw_p95": percentile(raw_ms, 0.95) if raw_ms else math.nan,
        "zbar_ok": zbar_ok if zbar_decode else None,
        "zbar_median": statistics.median(zbar_ms) if zbar_ms else math.nan,
        "misses": misses,
    }


def main() -> int:
    """Run the benchmark and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per image (fastest kept)")
    args = parser.parse_args()
    root = Path(os.environ.get("GANGWAY_BARCODE_TESTDATA", DEFAULT_DIR))
    if not root.is_dir():
        print(f"No barcode test data at {root}; set GANGWAY_BARCODE_TESTDATA. Nothing to do.")
        return 0
    versions = ", ".join(f"{name} {version}" for name, version in decoder_versions().items())
    print(f"Python {platform.python_version()}, {versions}, {os.cpu_count()} CPUs, data: {root}\n")
    rows = [bench_set(folder, args.repeat) for folder in sorted(root.iterdir()) if folder.is_dir()]
    print(TABLE_HEADER)
    for r in rows:
        zbar = "n/a" if r["zbar_ok"] is None else f"{r['zbar_ok']}/{r['n']}"
        print(
            f"| {r['set']} | {r['n']} | {r['ours_ok']}/{r['n']} | {r['ours_median']:.1f} "
            f"| {r['ours_p95']:.1f} | {r['raw_ok']}/{r['n']} | {r['raw_median']:.1f} "
            f"| {r['raw_p95']:.1f} | {zbar} | {r['zbar_median']:.1f} |"
        )
    total, read = sum(r["n"] for r in rows), sum(r["ours_ok"] for r in rows)
    raw = sum(r["raw_ok"] for r in rows)
    print(
        f"\ndecode_image read {read}/{total}, raw zxing-cpp {raw}/{total}. Both are timed from"
        " file bytes to texts (image decoding included); pyzbar's times are the decode call alone"
        " on an in-memory grey image. CRLF and LF line ends compare equal."
    )
    for r in rows:
        if r["misses"]:
            print(f"missed in {r['set']}: {', '.join(r['misses'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
