"""Find the machine-readable zone in a photo: the 2 or 3 long lines of OCR-B at a page's foot.

ICAO 9303 part 3 prints the zone as the longest lines on the page (30, 36 or 44 characters at 10
per inch across nearly the whole width), evenly spaced. A hand-held photo turns and tilts it, so
the search works on "ink" (dark strokes narrower than a character, which ignores shadows and a
dark table around the page), turns the page level by the angle whose row profile is sharpest, and
then looks for neighbouring rows of ink that run across most of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

WORK_SIDES = (1000, 2000)  # px, longest side the search runs at (lines are cut from the original)
ANGLES = [*np.arange(-24.0, 24.1, 2.0), *np.arange(66.0, 114.1, 2.0)]


@dataclass(frozen=True)
class Zone:
    """Candidate zone: its lines cut out level and upright-or-upside-down, largest first."""

    lines: list[Image.Image]
    angle: float


def find_zones(image: Image.Image, limit: int = 3) -> list[Zone]:
    """Return up to `limit` candidate zones of a grey photo, the likeliest first.

    The search runs at 1000 px first; a zone found nowhere there may be a small one (a card far
    from the camera, whose lines then blur into one), so it runs again at 2000 px.
    """
    for side in WORK_SIDES:
        scale = min(1.0, side / max(image.size))
        small = image.resize(_scaled(image.size, scale), Image.BILINEAR)
        ink = _ink(np.asarray(small))
        angle = _level_angle(ink)
        # Level the larger image; the fill is the page's grey so that corners add no ink.
        fill = int(np.median(np.asarray(small)))
        level = image.rotate(angle, Image.BILINEAR, expand=True, fillcolor=fill)
        level_ink = _ink(np.asarray(level.resize(_scaled(level.size, scale), Image.BILINEAR)))
        groups = _line_groups(level_ink)[:limit]
        if groups or scale == 1.0:
            return [Zone([_cut(level, b, 1 / scale) for b in bands], angle) for bands in groups]
    return []


def _scaled(size: tuple[int, int], scale: float) -> tuple[int, int]:
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _ink(grey: np.ndarray) -> np.ndarray:
    """Return a boolean map of thin dark strokes (a black-hat: closing minus the image)."""
    closed = _min_filter(_max_filter(grey, 15, 7), 15, 7)
    hat = closed.astype(np.int16) - grey
    peak = float(np.percentile(hat, 99.5))
    return hat > max(18.0, 0.35 * peak)


def _max_filter(a: np.ndarray, width: int, height: int) -> np.ndarray:
    return _rank(a, width, height, np.maximum)


def _min_filter(a: np.ndarray, width: int, height: int) -> np.ndarray:
    return _rank(a, width, height, np.minimum)


def _rank(a: np.ndarray, width: int, height: int, op) -> np.ndarray:
    """Apply a separable max or min over a width x height window (edge pixels repeated)."""
    out = a
    for axis, size in ((1, width), (0, height)):
        half = size // 2
        pad = [(0, 0), (0, 0)]
        pad[axis] = (half, half)
        padded = np.pad(out, pad, mode="edge")
        length = out.shape[axis]
        result = padded.take(range(0, length), axis=axis)
        for shift in range(1, size):
            result = op(result, padded.take(range(shift, shift + length), axis=axis))
        out = result
    return out


def _level_angle(ink: np.ndarray) -> float:
    """Return the rotation (degrees) that makes the text rows sharpest in the row profile."""
    half = Image.fromarray((ink * 255).astype(np.uint8)).reduce(2)

    def sharpness(angle: float) -> float:
        rows = np.asarray(half.rotate(angle, Image.NEAREST, expand=True), dtype=np.float32)
        profile = rows.sum(axis=1)
        return float(np.square(np.diff(profile)).sum())

    best = max(ANGLES, key=sharpness)
    fine = [best + step for step in (-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5)]
    return float(max(fine, key=sharpness))


def _line_groups(ink: np.ndarray) -> list[list[tuple[int, int, int, int]]]:
    """Return groups of 2-3 long, evenly spaced lines (x0, y0, x1, y1), the longest first."""
    # Bridge the gaps between characters (a chevron's open side is half a character wide).
    smeared = _max_filter(ink.astype(np.uint8), 25, 5).astype(bool)
    starts, ends = _longest_runs(smeared)
    length = ends - starts
    longest = int(length.max()) if length.size else 0
    if longest < ink.shape[1] * 0.2:
        return []
    bands = _bands(length >= 0.5 * longest, smeared)
    groups = []
    for first in range(len(bands)):
        for count in (3, 2):
            group = bands[first : first + count]
            if len(group) == count and _evenly_spaced(group):
                groups.append(group)
    # Longest lines first; among equals, the lower group (the zone is at the foot of the page).
    groups.sort(key=lambda g: (-min(b[2] - b[0] for b in g) // 20, -len(g), -g[-1][3]))
    return groups


def _longest_runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return, for every row, the start and end column of its longest run of True."""
    padded = np.pad(mask.astype(np.int8), ((0, 0), (1, 1)))
    edges = np.diff(padded, axis=1)
    rows_s, cols_s = np.nonzero(edges == 1)
    _, cols_e = np.nonzero(edges == -1)
    starts = np.zeros(mask.shape[0], dtype=np.int64)
    ends = np.zeros(mask.shape[0], dtype=np.int64)
    if rows_s.size:
        order = np.lexsort((cols_e - cols_s, rows_s))  # per row, the longest run last
        last = np.r_[rows_s[order][1:] != rows_s[order][:-1], True]
        chosen = order[last]
        starts[rows_s[chosen]] = cols_s[chosen]
        ends[rows_s[chosen]] = cols_e[chosen]
    return starts, ends


def _bands(rows: np.ndarray, smeared: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Group neighbouring long rows into text lines (x0, y0, x1, y1), thin rules left out.

    A line's extent is the longest run of its rows' columns put together: a row through the
    thin middle of the chevrons alone breaks where the letters' strokes do not reach.
    """
    bands = []
    index = np.flatnonzero(rows)
    if not index.size:
        return bands
    splits = np.flatnonzero(np.diff(index) > 2) + 1
    for block in np.split(index, splits):
        y0, y1 = int(block[0]), int(block[-1]) + 1
        if y1 - y0 < 4:
            continue
        starts, ends = _longest_runs(smeared[y0:y1].any(axis=0)[None, :])
        bands.append((int(starts[0]), y0, int(ends[0]), y1))
    return bands


def _evenly_spaced(group: list[tuple[int, int, int, int]]) -> bool:
    """Tell whether the lines have one height, one length and one pitch, as a zone's do."""
    heights = [b[3] - b[1] for b in group]
    widths = [b[2] - b[0] for b in group]
    pitches = [b[1] - a[1] for a, b in zip(group, group[1:], strict=False)]
    tall = max(heights)
    return (
        min(heights) >= 0.5 * tall
        and min(widths) >= 0.8 * max(widths)
        and all(0.9 * tall <= p <= 2.6 * tall for p in pitches)
        and max(pitches) - min(pitches) <= 0.35 * tall
    )


def _cut(image: Image.Image, band: tuple[int, int, int, int], factor: float) -> Image.Image:
    """Cut one line out of the levelled image, a third of a line above and below it.

    The band is first taken back in by the 2 rows the search smeared it by on each side; more
    margin would take in the next line's tops, which the recogniser then reads as characters.
    """
    x0, y0, x1, y1 = (
        band[0] * factor,
        (band[1] + 2) * factor,
        band[2] * factor,
        (band[3] - 2) * factor,
    )
    margin = (y1 - y0) * 0.35
    box = (
        max(0, round(x0 - 3 * margin)),
        max(0, round(y0 - margin)),
        min(image.width, round(x1 + 3 * margin)),
        min(image.height, round(y1 + margin)),
    )
    return image.crop(box)
