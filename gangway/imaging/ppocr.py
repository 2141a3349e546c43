"""PP-OCRv4's text-line recogniser on onnxruntime, with the model its pip wheel ships.

The model file and its character list come inside the rapidocr-onnxruntime wheel (nothing is
downloaded at run time); only its recogniser runs here, on lines that zone.py has already cut
out, so neither OpenCV nor the wheel's own detector is loaded. One thread: the reading runs in a
worker process beside the scans, and must leave them the other core.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import numpy as np
from PIL import Image

HEIGHT = 48  # px, the recogniser's input height
# A zone's line is ~40 characters in one row, longer and denser than the model's training
# lines: at its natural width the model merges neighbours (3 steps of 8 px per character) and
# drops one of "CC" or "<<". Stretched, each character gets ~4-5 steps (measured: 1.0 drops
# 2-10 characters a line, 2.5 splits chevrons; on 150 bench photos 1.5 read every line right,
# 1.8 lost fillers in sensor noise (5 photos) and read small cards' "<" as "K").
STRETCH = 1.5
# The name carries no check digit, so its line is read a second time, at another stretch and
# through a 3x3 median (another view of the same pixels), and must read the same. 1.4: of 150
# bench names read right at 1.5, all read the same again (1.8 is too near the "K" misreads).
SECOND_STRETCH = 1.4
CHEVRON_SECOND = 0.2  # p("<") at which a letter read is taken as a chevron (see _decode)
MODEL = "models/ch_PP-OCRv4_rec_infer.onnx"


class EngineMissing(RuntimeError):
    """onnxruntime or the rapidocr-onnxruntime wheel (which holds the model) is not installed."""


_lock = threading.Lock()
_model: tuple[object, list[str]] | None = None


def recognise_lines(lines: list[Image.Image], stretch: float = STRETCH) -> list[tuple[str, float]]:
    """Return each line's text and mean confidence (0-1), read in one batch."""
    if not lines:
        return []
    session, characters = _load()
    greys = [line.convert("L") for line in lines]
    widths = [max(HEIGHT, round(g.width * stretch * HEIGHT / max(1, g.height))) for g in greys]
    batch = np.zeros((len(greys), 3, HEIGHT, max(widths)), dtype=np.float32)
    for i, (grey, width) in enumerate(zip(greys, widths, strict=True)):
        pixels = np.asarray(grey.resize((width, HEIGHT), Image.BILINEAR), dtype=np.float32)
        batch[i, :, :, :width] = pixels / 127.5 - 1.0  # the model's (x/255 - 0.5) / 0.5
    (scores,) = session.run(None, {session.get_inputs()[0].name: batch})
    return [_decode(row, characters) for row in scores]


def warm_up() -> bool:
    """Load the model and run it once (its first run sets up its buffers); tell if it loaded."""
    try:
        recognise_lines([Image.new("L", (HEIGHT * 8, HEIGHT), 255)])
    except EngineMissing:
        return False
    return True


def is_loaded() -> bool:
    """Tell whether this process holds the model already."""
    return _model is not None


def is_available() -> bool:
    """Tell whether onnxruntime and the model can be loaded here."""
    try:
        _load()
    except EngineMissing:
        return False
    return True


def _decode(scores: np.ndarray, characters: list[str]) -> tuple[str, float]:
    """Greedy CTC: the best class per step, repeats merged, blanks (class 0) dropped.

    The model was not trained on OCR-B's chevron: on a blurred or washed-out one it may answer
    "K" (p ~0.5) with "<" a close second (p ~0.35), where a printed K scores ~0.95 with "<" at
    ~0. A letter with "<" that close is read as "<". The zone is monospaced, so a run of
    fillers that the model ran together (no blank between two "<") is read as two.
    """
    best = scores.argmax(axis=1)
    keep = (best != 0) & np.r_[True, best[1:] != best[:-1]]
    filler = characters.index("<") + 1 if "<" in characters else None
    if filler is not None:
        close = keep & (scores[:, filler] >= CHEVRON_SECOND)
        best = np.where(close, filler, best)
    chosen = best[keep]
    text = [characters[i - 1] if i - 1 < len(characters) else " " for i in chosen]
    confidence = float(scores.max(axis=1)[keep].mean()) if chosen.size else 0.0
    return "".join(_unmerge(text, np.flatnonzero(keep), best)), confidence


def _unmerge(text: list[str], starts: np.ndarray, best: np.ndarray) -> list[str]:
    """Return the text with each filler that fills two characters' room doubled.

    A merged "<<" sits half a pitch off the grid on both sides (1.5 pitches to each neighbour);
    a character dropped beside it would leave one gap of 1 and one of 2, which is not doubled.
    """
    if len(text) < 8:
        return text
    ends = np.array([_run_end(best, s) for s in starts])
    centres = (starts + ends) / 2
    pitch = float(np.median(np.diff(centres)))
    out = []
    for i, char in enumerate(text):
        out.append(char)
        if char == "<" and 0 < i < len(text) - 1:
            before, after = centres[i] - centres[i - 1], centres[i + 1] - centres[i]
            if min(before, after) >= 1.3 * pitch and max(before, after) <= 1.8 * pitch:
                out.append("<")
    return out


def _run_end(best: np.ndarray, start: int) -> int:
    end = start
    while end + 1 < len(best) and best[end + 1] == best[start]:
        end += 1
    return end


def _load() -> tuple[object, list[str]]:
    global _model
    with _lock:
        if _model is None:
            try:
                import onnxruntime
            except ImportError:
                raise EngineMissing("onnxruntime is not installed") from None
            spec = importlib.util.find_spec("rapidocr_onnxruntime")
            if spec is None or spec.origin is None:
                raise EngineMissing("rapidocr-onnxruntime (the model's wheel) is not installed")
            path = Path(spec.origin).parent / MODEL
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            session = onnxruntime.InferenceSession(
                str(path), options, providers=["CPUExecutionProvider"]
            )
            characters = session.get_modelmeta().custom_metadata_map["character"].splitlines()
            _model = (session, characters)
        return _model
