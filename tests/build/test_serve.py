"""``python build.py serve``: serves on loopback, rebuilds after a seed edit, reloads the page."""
from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request

from helpers import REPO


def test_serve_rebuilds_after_a_seed_edit(project) -> None:
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(project), "serve", "--port", "0", "-q"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        for line in process.stdout:
            if line.startswith("serving "):
                url = line.split()[1]
                break
        assert url and url.startswith("http://127.0.0.1:")
        page = urllib.request.urlopen(url + "articles/gongye-da-tupo.html", timeout=10).read().decode()
        assert "最大的希望在工业" in page and "/__status" in page
        version = json.load(urllib.request.urlopen(url + "__status", timeout=10))["version"]
        seed = project / "seeds" / "003_c2d4cca183c9bd68.txt"
        seed.write_text(seed.read_text(encoding="utf-8").replace("最大的希望在工业。", "最大的希望正在工业。"), encoding="utf-8")
        deadline = time.time() + 60
        while time.time() < deadline:
            status = json.load(urllib.request.urlopen(url + "__status", timeout=10))
            if status["version"] > version:
                break
            time.sleep(0.2)
        assert status["version"] > version and status["error"] == ""
        page = urllib.request.urlopen(url + "articles/gongye-da-tupo.html", timeout=10).read().decode()
        assert "最大的希望正在工业" in page
        assert "<script>" not in (project / "_site" / "articles" / "gongye-da-tupo.html").read_text(encoding="utf-8")
        # A broken edit keeps the old site up and reports the error to the page.
        (project / "seeds" / "003_c2d4cca183c9bd68.yaml").write_text("slug: ../x\n", encoding="utf-8")
        deadline = time.time() + 60
        while time.time() < deadline:
            status = json.load(urllib.request.urlopen(url + "__status", timeout=10))
            if status["error"]:
                break
            time.sleep(0.2)
        assert "slug '../x' is not a safe ASCII name" in status["error"]
        assert urllib.request.urlopen(url + "index.html", timeout=10).status == 200
    finally:
        process.terminate()
        process.wait(timeout=20)
