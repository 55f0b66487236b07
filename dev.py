#!/usr/bin/env python3
"""The two commands a newcomer runs, needing nothing but Python 3.11+ and network access:

    python3 dev.py demo    # set up, load the demo, serve on http://127.0.0.1:8000
    python3 dev.py test    # set up, run the whole suite (+ browser tests if Chromium is here)

Standard library only, on purpose: it runs before any dependency is installed. When ``uv``
is not on PATH it is installed into ``.tools/`` (a private virtualenv), never system-wide.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TOOLS = ROOT / ".tools"
CHROMIUM = Path("/usr/bin/chromium")
NO_TESTS_COLLECTED = 5  # pytest's exit code when nothing ran: a broken suite, not a pass


def say(message: str) -> None:
    print(f"[dev.py] {message}", flush=True)


def _tools_bin() -> Path:
    return TOOLS / ("Scripts" if os.name == "nt" else "bin")


def ensure_uv() -> str:
    """Path to a ``uv`` executable, installing one into ``.tools/`` if none is available."""
    found = shutil.which("uv")
    if found:
        return found
    uv = _tools_bin() / ("uv.exe" if os.name == "nt" else "uv")
    if uv.exists():
        return str(uv)
    say("uv not found: installing it into .tools/ (python -m venv .tools && pip install uv)")
    subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
    pip = _tools_bin() / ("pip.exe" if os.name == "nt" else "pip")
    quiet = ["--quiet", "--disable-pip-version-check"]
    subprocess.run([str(pip), "install", *quiet, "uv"], check=True)
    return str(uv)


def run(command: list[str], env: dict[str, str] | None = None) -> int:
    say("$ " + " ".join(command))
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    while True:
        try:
            return process.wait()
        except KeyboardInterrupt:
            # Ctrl-C reached the child too (same process group): let it stop cleanly.
            continue


def setup(uv: str) -> None:
    code = run([uv, "sync", "--frozen"])
    if code:
        sys.exit(code)


def cmd_demo(uv: str, args: argparse.Namespace) -> int:
    command = [uv, "run", "--frozen", "yiwang", "demo"]
    if args.port:
        command += ["--port", str(args.port)]
    if args.no_serve:
        command.append("--no-serve")
    return run(command)


def _pytest(uv: str, extra: list[str], label: str) -> int:
    code = run([uv, "run", "--frozen", "pytest", *extra])
    if code == NO_TESTS_COLLECTED:
        say(f"{label}: pytest collected no tests — treated as a failure.")
    elif code:
        say(f"{label}: FAILED (pytest exit code {code}).")
    else:
        say(f"{label}: passed.")
    return code


def cmd_test(uv: str, args: argparse.Namespace) -> int:
    results = {"suite": _pytest(uv, list(args.pytest_args), "test suite")}
    browser = args.browser if args.browser is not None else CHROMIUM.exists()
    if browser:
        results["browser"] = _pytest(uv, ["-m", "browser", "tests/browser"], "browser tests")
    elif args.browser is False:
        say("browser tests skipped (--no-browser).")
    else:
        say(f"browser tests skipped ({CHROMIUM} not found; apt-get install chromium).")
    failed = [name for name, code in results.items() if code]
    say("all passed." if not failed else "failed: " + ", ".join(failed))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dev.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="set up, load demo data, serve on http://127.0.0.1:8000")
    demo.add_argument("--port", type=int, default=None, help="port (default: $PORT or 8000)")
    demo.add_argument("--no-serve", action="store_true", help="only set up and load the data")
    test = sub.add_parser("test", help="set up and run the whole test suite")
    group = test.add_mutually_exclusive_group()
    group.add_argument("--browser", dest="browser", action="store_true", default=None)
    group.add_argument("--no-browser", dest="browser", action="store_false")
    test.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be started by any python3
        sys.exit("Python 3.11 or newer is required (this is {}.{}).".format(*sys.version_info))

    os.chdir(ROOT)
    uv = ensure_uv()
    setup(uv)
    if args.command == "demo":
        return cmd_demo(uv, args)
    return cmd_test(uv, args)


if __name__ == "__main__":
    sys.exit(main())
