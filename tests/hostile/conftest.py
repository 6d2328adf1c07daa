"""The hostile suite imports its case list (cases.py) and runner helpers from this folder."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
