import signal
import sys

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while the CLI module itself loads: stop as quietly as later
    print("carebench: interrupted; no partial output was left (earlier results are kept as they were)",
          file=sys.stderr)
    raise SystemExit(130) from None

status = main()
# The work is done and its output complete: a Ctrl-C while the interpreter shuts down (joining threads, closing
# files) would otherwise end the process by the signal with no word, as if the run had failed.
signal.signal(signal.SIGINT, signal.SIG_IGN)
raise SystemExit(status)
