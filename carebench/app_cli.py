"""``carebench app``: start the Streamlit workbench, bound to this machine unless told otherwise, with the
folders it may read and write fixed before it starts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from carebench_shared.safe_text import printable

from .errors import UsageError

__all__ = ["add_app_parser", "app_command"]


def app_command(host: str, port: int, settings: str | None = None, roots: list[Path] | None = None) -> list[str]:
    """The ``streamlit run`` command line of the workbench: bound to ``host``, upload cap from the settings."""
    from carebench_app.settings import SettingsError, load_settings

    script = Path(__file__).resolve().parents[1] / "app.py"
    if not script.exists():
        raise UsageError(f"{script}: the workbench entry point is missing (run from a source checkout)")
    try:
        cfg = load_settings(Path(settings) if settings else None, roots)
    except SettingsError as exc:
        raise UsageError(str(exc)) from None
    return [sys.executable, "-m", "streamlit", "run", str(script),
            "--server.address", host, "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.maxUploadSize", str(cfg.max_upload_mb),
            "--server.fileWatcherType", "none", "--client.toolbarMode", "minimal",
            "--runner.magicEnabled", "false"]  # every element is an st.* call: no bare-expression rewriting


def _check_host(host: str, port: int) -> None:
    """An address and port this machine can serve on, tried before the server starts: Streamlit's own failure
    comes after the banner, as a traceback (a name that does not resolve, another machine's address) or as
    several lines and exit code 1 (a port in use)."""
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
            probe.bind(address)
    except (OSError, UnicodeError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or exc
        raise UsageError(f"--host {printable(host)} --port {port}: cannot serve there ({why})") from None


def cmd_app(args: argparse.Namespace) -> int:
    import os
    import subprocess

    if not 0 < args.port < 65536:
        raise UsageError(f"--port: {args.port} is not a port number (1-65535)")
    from carebench_app.settings import ENV_VAR, settings_path
    from carebench_app.uploads import ROOTS_VAR
    from carebench_shared.atomic import real_path

    env = dict(os.environ)  # the server's environment; this process's own is left as it was
    if args.settings:
        env[ENV_VAR] = str(real_path(args.settings))
    for d in args.allow_dir:
        if not Path(d).is_dir():
            raise UsageError(f"--allow-dir {printable(d)}: not a folder")
    settings_file = Path(env[ENV_VAR]) if env.get(ENV_VAR) else settings_path()
    roots = [Path.cwd(), real_path(settings_file).parent, *(Path(d) for d in args.allow_dir)]
    # the folders the server may read and write in, fixed now: the Settings page cannot point it elsewhere
    env[ROOTS_VAR] = os.pathsep.join(dict.fromkeys(str(real_path(d)) for d in roots))
    cmd = app_command(args.host, args.port, args.settings, roots)
    _check_host(args.host, args.port)  # last: a bad settings file is named even while the port is busy
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"carebench: warning: serving on {printable(args.host)}, reachable beyond this machine",
              file=sys.stderr)
    print(f"carebench workbench on http://{args.host}:{args.port} (Ctrl+C to stop)", file=sys.stderr)
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 0


def add_app_parser(sub) -> None:
    """Add ``app`` to the top-level parser's subparsers."""
    p = sub.add_parser("app", help="start the Streamlit workbench (QA audit and planner what-ifs)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    p.add_argument("--settings", help="settings file (default $CAREBENCH_APP_SETTINGS or .carebench/app.yaml)")
    p.add_argument("--allow-dir", action="append", default=[], metavar="FOLDER",
                   help="a folder the app may read data from and keep its review database in, besides the "
                        "working folder and the settings file's folder (repeatable)")
    p.set_defaults(func=cmd_app)
