import sys

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while the CLI module itself loads: stop as quietly as later
    print("carebench: interrupted; no partial output was left (earlier results are kept as they were)",
          file=sys.stderr)
    raise SystemExit(130) from None

raise SystemExit(main())
