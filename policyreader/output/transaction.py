"""One transaction per build: everything is staged beside its place, then switched in at once.

A build first writes every new file under a temporary name next to where it belongs
(``site_src/articles/.SLUG.md.new-ID``, ``._site.new-ID``, ``.dist.new-ID``). Only then does it
write a journal (``.cache/commit.json``) listing each switch, and perform them: the old file or
folder moves aside to ``….old-ID``, the staged one takes its place. Renames within one folder
are atomic, and the journal lets the next build roll an interrupted commit forward, so after
any failure or kill the articles, ``_site/`` and ``dist/`` are all as they were or all new.
Leftovers of an interrupted build are swept by the next one; a lock keeps two builds of one
project apart.
"""
from __future__ import annotations

import errno
import json
import os
import re
import secrets
import shutil
import signal
import stat
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

from ..errors import BuildError, os_error

JOURNAL = "commit.json"
LOCK = "build.lock"
FAULT_ENV = "POLICYREADER_FAULT"
# Temporary names this program gives (also those of earlier versions: mkstemp/mkdtemp suffixes).
_STAGED_FOLDER = r"\.{name}\.(?:new|old)-[A-Za-z0-9_]+"
_STAGED_ARTICLE = re.compile(r"\..+\.md\.(?:new-|old-)?[A-Za-z0-9_]+")
_CACHE_TEMP = re.compile(r"(?:tmp-|\.tmp-).+")
_STAGED_FILE = re.compile(r"\..+\.(?:new|old)-[A-Za-z0-9_]+")


def checkpoint(step: str) -> None:
    """A named point of the build where the fault-injection tests strike.

    ``POLICYREADER_FAULT=STEP`` kills the build at STEP with SIGKILL, ``STEP:stop`` stops it
    (SIGSTOP, for tests that hold a build mid-way), ``STEP:fail`` raises an I/O error there.
    Unset (always, outside tests) it does nothing.
    """
    wanted = os.environ.get(FAULT_ENV)
    if not wanted:
        return
    name, action = wanted, "kill"
    for how in ("stop", "fail"):
        if wanted.endswith(f":{how}"):
            name, action = wanted[:-len(how) - 1], how
    if name != step:
        return
    if action == "fail":
        raise OSError(errno.EIO, "injected fault", step)
    os.kill(os.getpid(), signal.SIGSTOP if action == "stop" else signal.SIGKILL)


@contextmanager
def build_lock(cache_dir: Path, shown: str) -> Iterator[None]:
    """Hold the project's build lock, or refuse in one line while another build holds it.

    An advisory ``flock``: the system drops it when the holder dies, so a killed build never
    leaves a stale lock behind.
    """
    import fcntl   # POSIX only, like the rest of the transaction (atomic renames, prctl)

    cache_dir.mkdir(exist_ok=True)
    fd = os.open(cache_dir / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
        os.close(fd)
        raise BuildError(shown, None, f"another build is running in this project (process {holder}); "
                         "wait for it to finish and run again") from None
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Switch:
    """One replacement: ``target`` becomes ``staged`` (or disappears when staged is None);
    meanwhile the old one waits at ``backup``. Paths are relative to the project."""

    target: str
    staged: str | None
    backup: str


def _remove(path: Path) -> None:
    """Delete a file, link or folder, also one an editor made read-only."""
    if not os.path.lexists(path):
        return
    if path.is_symlink() or not path.is_dir():
        path.unlink()
        return

    def writable_and_retry(function, name, _exc_info) -> None:
        parent = Path(name).parent
        parent.chmod(parent.stat().st_mode | stat.S_IWUSR | stat.S_IXUSR)
        if Path(name).is_dir() and not Path(name).is_symlink():
            Path(name).chmod(Path(name).stat().st_mode | stat.S_IRWXU)
        function(name)

    path.chmod(path.stat().st_mode | stat.S_IRWXU)
    shutil.rmtree(path, onerror=writable_and_retry)


class Transaction:
    """The switches of one build, staged first and committed together."""

    def __init__(self, root: Path, cache_dir: Path) -> None:
        self.root = root
        self.journal = cache_dir / JOURNAL
        self.id = secrets.token_hex(4)
        self.switches: list[Switch] = []
        self.scratch: Path | None = None   # where files staged by stage_made wait

    def _rel(self, path: Path) -> str:
        # Every path of the transaction lies inside the project, whatever links it passes.
        resolved = path.parent.resolve() / path.name
        if not resolved.is_relative_to(self.root):
            raise BuildError(str(path), None, "lies outside the project; refusing to write there")
        return resolved.relative_to(self.root).as_posix()

    def _names(self, target: Path) -> tuple[Path, Path]:
        return (target.parent / f".{target.name}.new-{self.id}", target.parent / f".{target.name}.old-{self.id}")

    def stage_file(self, target: Path, text: str) -> None:
        """Write a file's new text under a temporary name beside it."""
        staged, backup = self._names(target)
        self.switches.append(Switch(self._rel(target), self._rel(staged), self._rel(backup)))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(staged, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except OSError as exc:
            raise self._cannot_stage(target, exc) from None

    def staged_name(self, target: Path) -> Path:
        """Where a file's new version waits beside it (another process may write it there)."""
        return self._names(target)[0]

    def adopt(self, target: Path) -> None:
        """Take into the transaction a file's new version another process wrote at its
        ``staged_name`` (a worker stages the article it made)."""
        staged, backup = self._names(target)
        self.switches.append(Switch(self._rel(target), self._rel(staged), self._rel(backup)))

    def drop(self, target: Path) -> None:
        """Forget a file's staged new version (a later one replaces it), and remove it."""
        for switch in [s for s in self.switches if s.target == self._rel(target) and s.staged]:
            self.switches.remove(switch)
            _remove(self.root / switch.staged)

    def stage_made(self, target: Path, make) -> None:
        """A file's new version, made by ``make(path)`` in a scratch folder of the cache (not
        beside it: a folder updated file by file shows nothing new until the commit), for a
        site updated file by file. The commit moves it in; the old one waits beside it."""
        if self.scratch is None:
            self.scratch = self.journal.parent / f"tmp-stage-{self.id}"
            self.scratch.mkdir(parents=True, exist_ok=True)
        staged = self.scratch / str(len(self.switches))
        _, backup = self._names(target)
        self.switches.append(Switch(self._rel(target), self._rel(staged), self._rel(backup)))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            make(staged)
        except OSError as exc:
            raise self._cannot_stage(target, exc) from None

    def remove(self, target: Path) -> None:
        """Remove a file when the transaction commits."""
        _, backup = self._names(target)
        self.switches.append(Switch(self._rel(target), None, self._rel(backup)))

    def stage_folder(self, target: Path) -> Path:
        """An empty folder beside ``target`` that replaces it on commit; the caller fills it."""
        staged, backup = self._names(target)
        self.switches.append(Switch(self._rel(target), self._rel(staged), self._rel(backup)))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.mkdir(mode=0o755)
        except OSError as exc:
            raise self._cannot_stage(target, exc) from None
        return staged

    def _cannot_stage(self, target: Path, exc: OSError) -> BuildError:
        """Staging failed where a target's new version goes: name the target, not the temporary."""
        reason = os_error(exc, self.root).problem.message
        return BuildError(self._rel(target), None, f"cannot write its new version: {reason}")

    def commit(self) -> None:
        """Switch everything in. A failure part-way is undone; a kill is finished by the next build."""
        temp = self.journal.with_name(f".tmp-{JOURNAL}-{self.id}")
        try:
            temp.write_text(json.dumps({"version": 1, "id": self.id, "switches": [asdict(s) for s in self.switches]},
                                       ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(temp, self.journal)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        done: list[Switch] = []
        try:
            checkpoint("journal")
            for switch in self.switches:
                done.append(switch)
                _forward(self.root, switch)
        except BaseException as exc:
            if not self._undo(done):
                raise BuildError(done[-1].target if done else JOURNAL, None, "the build stopped part-way through "
                                 f"its commit ({exc}); the next build finishes it") from None
            raise
        checkpoint("switched")
        self.journal.unlink()
        checkpoint("committed")
        for switch in self.switches:
            try:
                _remove(self.root / switch.backup)
            except OSError:
                pass   # committed; the next build's sweep removes what is left of the old
        self._drop_scratch()

    def _drop_scratch(self) -> None:
        if self.scratch is not None:
            try:
                _remove(self.scratch)
            except OSError:
                pass   # in the cache: the next build's sweep takes it

    def _undo(self, done: list[Switch]) -> bool:
        """Put back what a failed commit switched; if even that fails, the journal stays and the
        next build finishes the commit instead. Whether everything is as it was."""
        try:
            for switch in reversed(done):
                _backward(self.root, switch)
        except OSError:
            return False
        self.journal.unlink(missing_ok=True)
        self.abort()
        return True

    def abort(self) -> None:
        """Remove everything staged, unless a journal says the next build must finish the commit."""
        if self.journal.exists():
            return
        for switch in self.switches:
            if switch.staged:
                _remove(self.root / switch.staged)
        self._drop_scratch()


def _forward(root: Path, switch: Switch) -> None:
    """Do one switch, or the rest of it: safe to repeat at any point of an interrupted commit."""
    target, backup = root / switch.target, root / switch.backup
    staged = root / switch.staged if switch.staged else None
    if staged is None:
        if os.path.lexists(target) and not os.path.lexists(backup):
            os.rename(target, backup)
            checkpoint(f"switch:{switch.target}:out")
        return
    if not os.path.lexists(staged):
        if not os.path.lexists(target) and os.path.lexists(backup):
            os.rename(backup, target)   # the new one is lost (removed by hand?): keep the old, never nothing
        return   # already in place
    if os.path.lexists(target):
        if os.path.lexists(backup):
            raise BuildError(switch.target, None, f"cannot finish an interrupted build: both it and "
                             f"{switch.backup} exist; move one of them away")
        os.rename(target, backup)
        checkpoint(f"switch:{switch.target}:out")
    os.rename(staged, target)
    checkpoint(f"switch:{switch.target}:in")


def _backward(root: Path, switch: Switch) -> None:
    """Undo one switch of a failed commit."""
    target, backup = root / switch.target, root / switch.backup
    if switch.staged and os.path.lexists(target) and not os.path.lexists(root / switch.staged):
        os.rename(target, root / switch.staged)   # the new one was moved in: out again
    if os.path.lexists(backup) and not os.path.lexists(target):
        os.rename(backup, target)


def recover(root: Path, cache_dir: Path, folders: list[Path], articles_dir: Path, thorough: bool = True) -> str | None:
    """Finish a commit a killed build left half-done, then sweep every leftover of interrupted
    builds. Call it holding the build lock. Returns a note when a commit was finished.

    ``thorough`` also looks inside the output folders and the cache (a build was killed); a
    build that ended in order left nothing there, and reading those folders costs time."""
    journal = cache_dir / JOURNAL
    note = None
    if journal.exists():
        try:
            data = json.loads(journal.read_text(encoding="utf-8"))
            switches = [Switch(**s) for s in data["switches"]]
        except (ValueError, KeyError, TypeError):
            raise BuildError(f"{cache_dir.name}/{JOURNAL}", None, "unreadable journal of an interrupted build; "
                             "check site_src/articles, _site and dist, then delete it") from None
        for switch in switches:
            _forward(root, switch)
        journal.unlink()
        for switch in switches:
            _remove(root / switch.backup)
        note = f"finished the commit of an interrupted build ({len(switches)} switches)"
    sweep(cache_dir, folders, articles_dir, thorough)
    return note


def sweep(cache_dir: Path, folders: list[Path], articles_dir: Path, thorough: bool = True) -> None:
    """Remove what interrupted builds left: staged and old output folders (and, ``thorough``,
    files staged one by one inside them), temporary article files, scratch folders and
    half-written cache entries."""
    for folder in folders:
        pattern = re.compile(_STAGED_FOLDER.format(name=re.escape(folder.name)))
        for path in folder.parent.iterdir() if folder.parent.is_dir() else []:
            if pattern.fullmatch(path.name):
                _remove(path)
        if thorough and folder.is_dir() and not folder.is_symlink():
            for path in folder.rglob(".*"):
                if _STAGED_FILE.fullmatch(path.name) and not path.is_dir():
                    path.unlink()
    if not thorough:
        for path in cache_dir.iterdir() if cache_dir.is_dir() else []:
            if _CACHE_TEMP.fullmatch(path.name):
                _remove(path)
        return
    if articles_dir.is_dir():
        for path in articles_dir.iterdir():
            if _STAGED_ARTICLE.fullmatch(path.name) and not path.is_dir():
                path.unlink()
    if cache_dir.is_dir():
        for path in [*cache_dir.iterdir(), *cache_dir.glob("*/*/.tmp-*")]:
            if _CACHE_TEMP.fullmatch(path.name):
                _remove(path)
