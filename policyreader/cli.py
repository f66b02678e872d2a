"""The command line: parse arguments, run the pipeline stages, report problems in one line each."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .build.pack import make_pack
from .build.pipeline import Options, build
from .build.progress import Progress
from .build.serve import serve
from .errors import BuildError, Report
from .ingest import run_ingest
from .sources.config import load_config

DESCRIPTION = """\
Build the annotated policy reader.

Pipeline:  seeds/*.txt (+ seeds/*.yaml sidecars)
             │ ingest: recover the article, mark glossary terms
             ▼
           site_src/articles/*.md   (generated, committed, reviewed as a diff)
             │ render: markdown-it-py + Jinja; zh-Hant through OpenCC + site_src/conversion.yaml
             ▼
           _site/                   (static site: works hosted and from file://)
"""
EPILOG = """\
commands:
  build    (default) every stage: ingest, render every script into _site/, check links,
           zip the site into dist/ for offline use
  ingest   seeds/ → site_src/articles/*.md only
  check    build everything in memory, write nothing, and print the editorial review:
           every converted phrase with a character of several Traditional forms
  serve    build, serve _site/ on http://127.0.0.1:8000/, rebuild on every change to
           seeds/, site_src/, templates/ or static/ and reload the open page
  pack     pack ARTICLE… --title "…": a zip in packs/ with just these articles (slugs or seed
           names), their glossary, study pages and handouts, for one training session

Errors name the file and line and exit with status 1, leaving every output as it was;
warnings (broken links or anchors, unused glossary entries, overrides that never matched,
pages without lang) stop the build only with --strict. Rebuilds reuse .cache/ for every
seed whose inputs did not change; --clean ignores it. SOURCE_DATE_EPOCH fixes the zip's date.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="build", choices=["build", "ingest", "check", "serve", "pack"],
                        help="what to run (default: build)")
    parser.add_argument("articles", nargs="*", metavar="ARTICLE", help="pack: the articles (slugs or seed names)")
    parser.add_argument("--title", default="", help="pack: the training session's title")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="project folder holding seeds/ and site_src/ (default: this checkout)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite generated articles even if they were edited by hand")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors (for CI)")
    parser.add_argument("--clean", action="store_true",
                        help="ignore the cache in .cache/ and redo every article (the result is the same)")
    parser.add_argument("--port", type=int, default=8000, help="serve: port on 127.0.0.1 (0 picks a free one)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    return parser


def run(args: argparse.Namespace, report: Report) -> None:
    """Run the stages the command asks for."""
    config = load_config(args.root)
    progress = Progress(quiet=args.quiet)
    options = Options(force=args.force, clean=args.clean)
    started = time.perf_counter()
    if args.command == "serve":
        serve(config, options, args.port, quiet=args.quiet)
        return
    if args.command == "pack":
        make_pack(config, args.articles, args.title, report, progress)
        return
    if args.command == "ingest":
        with progress.stage("ingest") as info:
            _, articles = run_ingest(config, report, force=args.force)
            info["summary"] = f"{len(articles)} articles"
    else:
        build(config, options, report, progress, write=args.command == "build", review=args.command == "check")
    report.note(f"done in {time.perf_counter() - started:.2f} s")


def main(argv: list[str] | None = None) -> int:
    """Entry point for ``python build.py``; returns the process exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command != "pack" and (args.articles or args.title):
        parser.error("ARTICLE and --title go with the pack command only")
    report = Report()
    try:
        run(args, report)
    except BrokenPipeError:   # output piped into head or less that was closed early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except BuildError as error:
        for problem in report.warnings:
            print(problem.format("warning"), file=sys.stderr)
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("build.py: interrupted; no files were left half-written", file=sys.stderr)
        return 130
    for problem in report.warnings:
        print(problem.format("error" if args.strict else "warning"), file=sys.stderr)
    if not args.quiet:
        try:
            for note in report.notes:
                print(note)
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if args.strict and report.warnings:
        print(f"build.py: --strict: {len(report.warnings)} problem(s)", file=sys.stderr)
        return 1
    return 0
