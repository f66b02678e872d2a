"""The command line: one subcommand per task, each with its own flags; problems in one line each."""
from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

from . import __version__
from .errors import BuildError, Report, one_line

# Only what every command needs is imported here; a command imports the rest when it runs (a
# build with nothing to do answers before the rendering libraries would have loaded).

DESCRIPTION = """\
Build the annotated policy reader of the site in the current folder (or --root).

Pipeline:  seeds/*.txt (+ seeds/*.yaml sidecars)
             │ ingest: recover the article, mark glossary terms
             ▼
           site_src/articles/*.md   (generated, committed, reviewed as a diff)
             │ render: markdown-it-py + Jinja; zh-Hant through OpenCC + site_src/conversion.yaml
             ▼
           _site/                   (static site: works hosted and from file://)
"""
EPILOG = """\
Without a command, %(prog)s builds. `%(prog)s COMMAND --help` lists a command's flags.

Errors name the file and line and exit with status 1, leaving every output as it was;
warnings (broken links or anchors, unused glossary entries, overrides that never matched,
pages without lang, articles without a real title, date or source) stop the build only with
--strict. Rebuilds reuse .cache/ for every seed whose inputs did not change; --clean ignores
it. SOURCE_DATE_EPOCH fixes the zip's date.
"""
# Options that come before the command; used to find where the command would stand.
GLOBAL_WITH_VALUE = ("--root",)
GLOBAL_FLAGS = ("-q", "--quiet")


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors (no usage dump), naming the command that refused a flag."""

    def error(self, message: str) -> NoReturn:
        """Print one line and exit 2, as argparse does for usage errors."""
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _common() -> argparse.ArgumentParser:
    """Flags every command takes, before or after its name."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand that does not see the flag must not reset what came before it.
    common.add_argument("--root", type=Path, default=argparse.SUPPRESS,
                        help="site folder holding seeds/ and site_src/ (default: the current folder)")
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="print only warnings and errors")
    return common


def _parser(prog: str, default_root: Path) -> Parser:
    # parents share their actions, and set_defaults below changes an action's default: the
    # subcommands get their own copy, whose default stays SUPPRESS.
    parser = Parser(prog=prog, description=DESCRIPTION, epilog=EPILOG, parents=[_common()],
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(root=default_root, quiet=False)
    parser.add_argument("--version", action="version", version=f"policyreader {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    def command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[_common()], help=summary, description=description)

    strict = {"action": "store_true", "help": "treat warnings as errors (for CI)"}
    force = {"action": "store_true", "help": "overwrite generated articles even if they were edited by hand"}
    clean = {"action": "store_true", "help": "ignore the cache in .cache/ and redo every article (the result is the same)"}

    build_cmd = command("build", "(default) ingest, render both scripts, check links, publish _site/, zip into dist/",
                        "Every stage: ingest seeds/ into site_src/articles/, render every script into _site/, "
                        "check links, zip the site into dist/ for offline use.")
    build_cmd.add_argument("--strict", **strict)
    build_cmd.add_argument("--force", **force)
    build_cmd.add_argument("--clean", **clean)

    ingest_cmd = command("ingest", "only seeds/ → site_src/articles/*.md",
                         "Ingest every seed into site_src/articles/ and nothing else.")
    ingest_cmd.add_argument("--force", **force)

    check_cmd = command("check", "build in memory, write nothing, print the review of the articles named",
                        "Build everything in memory and write nothing; print the warnings and the Traditional "
                        "conversion review (each converted character of several Traditional forms, with the "
                        "phrases it stands in) of the articles named, or of the whole site with --all.")
    check_cmd.add_argument("articles", nargs="*", metavar="ARTICLE",
                           help="a seed (seeds/NAME.txt, NAME.txt, NAME) or an article's slug")
    check_cmd.add_argument("--all", action="store_true", help="review the whole site, glossary included")
    check_cmd.add_argument("--full", action="store_true", help="list every phrase on its own line")
    check_cmd.add_argument("--strict", **strict)

    serve_cmd = command("serve", "serve a live build on http://127.0.0.1:8000/, rebuild and reload on every change",
                        "Build into a temporary folder, serve it on 127.0.0.1, rebuild on every change to seeds/, "
                        "site_src/, templates/, static/ or the theme, and reload the open page. Writes nothing "
                        "into the site folder.")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0 picks a free one)")
    serve_cmd.add_argument("--strict", action="store_true",
                           help="a build with warnings counts as failed: the last good site stays up")
    serve_cmd.add_argument("--clean", **clean)

    terms_cmd = command("terms", "candidate terms the glossary lacks, best first",
                        "List the likely policy terms of the seeds that the glossary lacks, best first, one per "
                        "line: the term, its count and the seed line of its first use.")
    terms_cmd.add_argument("seeds", nargs="*", metavar="SEED", help="the seeds to read (default: all)")

    pack_cmd = command("pack", "a zip of just the named articles for one training session, into packs/",
                       "Build the named articles as a site of their own (their pages, glossary, term pages, "
                       "study pages, Anki decks and handouts, in every script; every link stays inside) and "
                       "zip it into packs/, for trainees to open from file:// with no network.")
    pack_cmd.add_argument("articles", nargs="+", metavar="ARTICLE", help="a slug or a seed's name")
    pack_cmd.add_argument("--title", required=True, help="the training session's title")

    new_cmd = command("new", "make a new site in DIR that builds at once",
                      "Write a new site into DIR (missing or empty): one sample article with its sidecar, "
                      "site_src/site.yaml, a small glossary and conversion.yaml. The theme stays in the package.")
    new_cmd.add_argument("folder", type=Path, metavar="DIR", help="folder for the new site")
    new_cmd.add_argument("--title", default="政策读本", help="the site's title (default: 政策读本)")
    return parser


def _with_default_command(argv: list[str], commands: set[str]) -> list[str]:
    """``build`` inserted where the command would stand when none is given (``--strict`` alone builds)."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in GLOBAL_WITH_VALUE:
            i += 2
        elif arg.startswith(tuple(f"{o}=" for o in GLOBAL_WITH_VALUE)) or arg in GLOBAL_FLAGS:
            i += 1
        elif arg in commands or arg in ("-h", "--help", "--version") or not arg.startswith("-"):
            return argv
        else:
            break
    return argv[:i] + ["build"] + argv[i:]


def parse(argv: list[str], prog: str, default_root: Path) -> argparse.Namespace:
    """Parse the command line; an unknown flag is refused by the command it was given to."""
    parser = _parser(prog, default_root)
    choices = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    args, unknown = parser.parse_known_args(_with_default_command(argv, set(choices)))
    if unknown:
        choices[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command == "check" and bool(args.articles) == args.all:
        choices["check"].error("name the seeds or slugs to review, or give --all for the whole site (not both)")
    return args


def run(args: argparse.Namespace, report: Report) -> None:
    """Run the stages the command asks for."""
    started = time.perf_counter()
    if args.command == "new":
        from .scaffold import scaffold
        written = scaffold(args.folder, title=args.title)
        report.note(f"new site in {args.folder}: {len(written)} files; build it with: "
                    f"cd {args.folder} && policyreader build")
        return
    if args.command == "build" and not args.clean and _nothing_changed(args, report):
        report.note(f"done in {time.perf_counter() - started:.2f} s")
        return
    from .build.pipeline import Options, build, ingest
    from .build.progress import Progress
    from .sources.config import load_config
    config = load_config(args.root)
    progress = Progress(quiet=args.quiet)
    if args.command == "serve":
        from .build.serve import serve
        serve(config.root, args.port, strict=args.strict, clean=args.clean, quiet=args.quiet)
        return
    if args.command == "terms":
        from .checks.terms import candidate_lines
        report.notes.extend(candidate_lines(config, args.seeds, report))
        return
    if args.command == "pack":
        from .build.pack import make_pack
        make_pack(config, args.articles, args.title, report, progress)
        return
    if args.command == "ingest":
        ingest(config, Options(force=args.force), report, progress)
    elif args.command == "check":
        check(config, args, report)
        return
    else:
        build(config, Options(force=args.force, clean=args.clean), report, progress)
    report.note(f"done in {time.perf_counter() - started:.2f} s")


def _nothing_changed(args: argparse.Namespace, report: Report) -> bool:
    """The fast path: if no input or output changed since the last build, say so, repeat its
    warnings and notes, and stop (build/manifest.py tells)."""
    from .build import manifest
    data = manifest.unchanged(Path(args.root).resolve(), ("build",))
    if data is None:
        return False
    from .errors import Problem
    report.warnings.extend(Problem(path, line, message) for path, line, message in data["warnings"])
    if not args.quiet:
        for line in data["lines"]:
            print(line, flush=True)
    report.notes.extend(data["notes"])
    return True


def check(config, args: argparse.Namespace, report: Report) -> None:
    """Build in memory; keep only the named articles' warnings and review (all of them with --all)."""
    from .build.pipeline import Options, build
    from .build.progress import Progress
    from .checks.conversion import Review
    review = Review(() if args.all else tuple(args.articles), full=args.full)
    build(config, Options(), report, Progress(quiet=True), write=False, review=review)
    notes = list(review.lines)
    if not review.whole_site:
        # A warning is about an article when it names one of its files: seed, sidecar, Markdown, page.
        mine = [p for p in report.warnings if Path(p.path).stem in review.names]
        if len(mine) < len(report.warnings):
            notes.append(f"({len(report.warnings) - len(mine)} warnings about other files not shown; --all shows them)")
        report.warnings[:] = mine
    report.notes[:] = notes


def main(argv: list[str] | None = None, prog: str | None = None, default_root: Path | None = None) -> int:
    """The command line of ``policyreader``, ``python -m policyreader`` and ``build.py``; returns
    the exit status (``console`` runs it as a command)."""
    prog = prog or Path(sys.argv[0]).name
    args = parse(sys.argv[1:] if argv is None else argv, prog, default_root or Path.cwd())
    strict = getattr(args, "strict", False)
    report = Report()
    try:
        run(args, report)
    except BrokenPipeError:   # output piped into head or less that was closed early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"{prog}: interrupted; no files were left half-written", file=sys.stderr)
        return 130
    except BaseException as exc:   # every failure is one line, never a traceback
        if isinstance(exc, SystemExit):
            raise
        # The one line that stopped the build; warnings gathered before it are noise next to it.
        print(one_line(exc, args.root, prog), file=sys.stderr)
        return 1
    for problem in report.warnings:
        print(problem.format("error" if strict else "warning"), file=sys.stderr)
    if not args.quiet:
        try:
            for note in report.notes:
                print(note)
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if strict and report.warnings:
        print(f"{prog}: --strict: {len(report.warnings)} problem(s)", file=sys.stderr)
        return 1
    return 0


def console(prog: str | None = None, default_root: Path | None = None) -> NoReturn:
    """Run ``main`` as a command and exit with its status."""
    code = main(prog=prog, default_root=default_root)
    # The interpreter's last garbage collections would walk every object the build made (the
    # glossary, the state, OpenCC's and pypinyin's tables): 0.1 s at 100 articles, for a
    # process about to end. Frozen objects are left out of them; atexit hooks still run.
    gc.freeze()
    sys.exit(code)
