"""Peak memory of four PDF exports at once with a 6000×6000 PNG, before and after the picture
is prepared at upload.

Each case runs in a fresh Python process (so one case's peak does not hide the other's): it
builds the service with the fake embedding in a temporary data dir, starts a session with a
beeld, gives it a 6000×6000 PNG and then writes four PDFs in four threads, as four users
pressing "PDF" at once. `raw` keeps the upload as it came (what goedwerk did before: every
export decoded the whole picture); `prepared` attaches it with `service.attach_image`, which
keeps it downscaled to at most 2400 pixels, once. Printed per case: the process's peak RSS
(ru_maxrss) before the exports and after them, and the time the four exports took.

Run from the project root:

    .venv/bin/python bench/bench_export_memory.py
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_case(mode: str) -> dict[str, float | str]:
    """One case in this process: four concurrent PDF exports of a session with a big PNG."""
    from PIL import Image

    from assistant.app import build_service
    from assistant.service import Edit, SetImage
    from assistant.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp) / "data", embedding={"mode": "fake"})
        service = build_service(settings)
        session_id, _ = service.start()
        service.act(session_id, Edit(part="titel", value="Samen de klus klaren"))
        service.act(session_id, Edit(part="beeld", value="We pakten het samen op. " * 40))
        upload = Path(tmp) / "groot.png"
        # A smooth gradient: a PNG under 5 MB that still decodes to 6000×6000 pixels.
        gradient = Image.linear_gradient("L").resize((6000, 6000))
        Image.merge("RGB", (gradient, gradient.rotate(90), gradient)).save(upload)
        if mode == "raw":
            folder = service.files.uploads(session_id)
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(upload, folder / "afbeelding.png")
            service.act(session_id, SetImage(filename="afbeelding.png"))
        else:
            service.attach_image(session_id, "", upload)
        size_mb = upload.stat().st_size / 1e6
        upload.unlink()
        before = _peak_mb()
        began = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda _: service.export(session_id, "", "pdf"), range(4)))
        took = time.perf_counter() - began
        assert all(r.path.stat().st_size > 0 for r in results)
        return {
            "mode": mode,
            "upload_mb": round(size_mb, 2),
            "peak_rss_before_mb": round(before),
            "peak_rss_after_mb": round(_peak_mb()),
            "four_exports_s": round(took, 2),
        }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2])))
        return
    for mode in ("raw", "prepared"):
        out = subprocess.run(
            [sys.executable, __file__, "--case", mode],
            capture_output=True,
            text=True,
            check=True,
            cwd=PROJECT,
            env={**os.environ, "PYTHONPATH": str(PROJECT)},
        ).stdout
        figures = json.loads(out.strip().splitlines()[-1])
        print(
            f"{mode:9} PNG of {figures['upload_mb']} MB: "
            f"peak RSS {figures['peak_rss_before_mb']} MB before the exports, "
            f"{figures['peak_rss_after_mb']} MB after four at once "
            f"({figures['four_exports_s']} s)"
        )


if __name__ == "__main__":
    main()
