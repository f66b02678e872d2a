"""The editor's loop: serve ``_site/`` on 127.0.0.1, rebuild when an input changes, reload the page.

Only the served copy gets the small reload script; the files in ``_site/`` stay as built.
A failed rebuild keeps the previous site up and shows its one-line error on the open page.
"""
from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path

import watchfiles

from ..errors import BuildError, Report
from ..sources.config import Config
from ..theme import Theme
from .pipeline import Options, build
from .progress import Progress

RELOAD = b"""<script>
(function () {
  var seen = null;
  function poll() {
    fetch("/__status", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.version !== seen) { location.reload(); return; }
      seen = s.version;
      var bar = document.getElementById("__build_error");
      if (s.error && !bar) {
        bar = document.createElement("pre"); bar.id = "__build_error";
        bar.style.cssText = "position:fixed;left:0;right:0;bottom:0;margin:0;padding:.5rem;background:#9b1c1c;color:#fff;white-space:pre-wrap;z-index:99";
        document.body.appendChild(bar);
      }
      if (bar) { bar.textContent = s.error || ""; bar.hidden = !s.error; }
    }).catch(function () {}).then(function () { setTimeout(poll, 700); });
  }
  poll();
})();
</script>
"""


class State:
    """The build version the open pages compare against, and the last error."""

    def __init__(self) -> None:
        self.version = 0
        self.error = ""
        self.lock = threading.Lock()


def _handler(site_dir: Path, state: State):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's API
            if self.path.startswith("/__status"):
                with state.lock:
                    body = json.dumps({"version": state.version, "error": state.error}).encode()
                self._send(200, "application/json", body)
                return
            path = Path(self.translate_path(self.path))
            if path.is_file() and path.suffix == ".html":
                data = path.read_bytes().replace(b"</body>", RELOAD + b"</body>", 1)
                self._send(200, "text/html; charset=utf-8", data)
                return
            super().do_GET()

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    # Resolve the folder on every request: a rebuild swaps it for a new one.
    return functools.partial(Handler, directory=str(site_dir))


def rebuild(config: Config, options: Options, state: State, quiet: bool) -> None:
    """One build; its result or its error becomes the state the pages see."""
    report = Report()
    try:
        build(config, options, report, Progress(quiet=quiet))
        error = ""
    except BuildError as exc:
        error = str(exc)
    for problem in report.warnings:
        print(problem.format("warning"), flush=True)
    if error:
        print(error, flush=True)
    with state.lock:
        state.error = error
        state.version += 1


def serve(config: Config, options: Options, port: int, quiet: bool = False, stop: threading.Event | None = None) -> None:
    """Build, serve on 127.0.0.1:port, and rebuild on every change until interrupted."""
    state = State()
    rebuild(config, options, state, quiet)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(config.site_dir, state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving http://127.0.0.1:{server.server_address[1]}/  (watching seeds, site_src, templates, static; "
          "Ctrl+C stops)", flush=True)
    watched = [p for p in (config.seeds_dir, config.src_dir) if p.is_dir()]
    watched += Theme(config.templates_dir, config.static_dir).folders()
    articles = config.articles_dir.resolve()
    try:
        for changes in watchfiles.watch(*watched, stop_event=stop, debounce=200, raise_interrupt=False):
            # Ingest writes site_src/articles itself: those changes are not new input.
            if all(Path(path).resolve().parent == articles for _, path in changes):
                continue
            names = sorted({Path(path).name for _, path in changes})
            print(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}", flush=True)
            rebuild(config, options, state, quiet)
    finally:
        server.shutdown()
