"""Debian's tesseract (libtesseract5) through its C API, set up for a zone's OCR-B.

The library is loaded once per process and its English model (tesseract-ocr-eng, from Debian: no
weights are fetched at run time) is kept in memory, so a read costs the recognition only (~40-120
ms for a zone) instead of a command's start-up and model load. Only "A-Z0-9<" may come out.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading

from PIL import Image

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
PSM_SINGLE_BLOCK = 6  # the zone is one block of 2 or 3 lines of one size
PSM_SINGLE_LINE = 7
TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata")


class EngineMissing(RuntimeError):
    """libtesseract or its English model is not installed (scripts/setup.sh installs both)."""


_local = threading.local()


def recognise(image: Image.Image, *, psm: int = PSM_SINGLE_BLOCK) -> str:
    """Return the text tesseract reads in a grey (L) image, restricted to the zone's alphabet."""
    api, lib = _api()
    grey = image.convert("L")
    width, height = grey.size
    pixels = grey.tobytes()
    lib.TessBaseAPISetPageSegMode(api, psm)
    lib.TessBaseAPISetImage(api, pixels, width, height, 1, width)
    lib.TessBaseAPISetSourceResolution(api, 300)
    text_ptr = lib.TessBaseAPIGetUTF8Text(api)
    if not text_ptr:
        return ""
    try:
        return ctypes.string_at(text_ptr).decode("utf-8", "replace")
    finally:
        lib.TessDeleteText(text_ptr)
        lib.TessBaseAPIClear(api)


def is_available() -> bool:
    """Tell whether libtesseract and its English model can be loaded here."""
    try:
        _api()
    except EngineMissing:
        return False
    return True


def _api() -> tuple[ctypes.c_void_p, ctypes.CDLL]:
    """Return this thread's initialised API handle (tesseract's API is not thread-safe)."""
    cached = getattr(_local, "api", None)
    if cached is not None:
        return cached
    # One core per read: the pool runs one read per process, and OpenMP's threads would only
    # fight the scan process for the other core.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    name = ctypes.util.find_library("tesseract") or "libtesseract.so.5"
    try:
        lib = ctypes.CDLL(name)
    except OSError as exc:
        raise EngineMissing(f"libtesseract is not installed ({exc})") from None
    _declare(lib)
    datapath = next((d for d in TESSDATA_DIRS if os.path.exists(f"{d}/eng.traineddata")), None)
    if datapath is None:
        raise EngineMissing("tesseract's English model (tesseract-ocr-eng) is not installed")
    # Set at initialisation (the dictionaries are loaded then): the zone holds no words, and
    # English dictionaries only pull "<<" and digits towards English spellings.
    settings = {"load_system_dawg": "0", "load_freq_dawg": "0", "debug_file": "/dev/null"}
    keys = (ctypes.c_char_p * len(settings))(*(k.encode() for k in settings))
    values = (ctypes.c_char_p * len(settings))(*(v.encode() for v in settings.values()))
    api = lib.TessBaseAPICreate()
    if lib.TessBaseAPIInit4(
        api, datapath.encode(), b"eng", 3, None, 0, keys, values, len(settings), 0
    ):
        lib.TessBaseAPIDelete(api)
        raise EngineMissing(f"tesseract could not load its model from {datapath}")
    lib.TessBaseAPISetVariable(api, b"tessedit_char_whitelist", ALPHABET.encode())
    _local.api = (api, lib)
    return _local.api


def _declare(lib: ctypes.CDLL) -> None:
    """Give the C functions their argument and return types (pointers are 64-bit)."""
    vp = ctypes.c_void_p
    lib.TessBaseAPICreate.restype = vp
    strings = ctypes.POINTER(ctypes.c_char_p)
    lib.TessBaseAPIInit4.argtypes = [
        vp,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_int,
        strings,
        ctypes.c_int,
        strings,
        strings,
        ctypes.c_size_t,
        ctypes.c_bool,
    ]
    lib.TessBaseAPIInit4.restype = ctypes.c_int
    lib.TessBaseAPIDelete.argtypes = [vp]
    lib.TessBaseAPISetVariable.argtypes = [vp, ctypes.c_char_p, ctypes.c_char_p]
    lib.TessBaseAPISetVariable.restype = ctypes.c_int
    lib.TessBaseAPISetPageSegMode.argtypes = [vp, ctypes.c_int]
    lib.TessBaseAPISetImage.argtypes = [
        vp,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_int,
    ]
    lib.TessBaseAPISetSourceResolution.argtypes = [vp, ctypes.c_int]
    lib.TessBaseAPIGetUTF8Text.argtypes = [vp]
    lib.TessBaseAPIGetUTF8Text.restype = vp
    lib.TessDeleteText.argtypes = [vp]
    lib.TessBaseAPIClear.argtypes = [vp]
