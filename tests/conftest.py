"""Test settings: Hypothesis runs derandomized so CI cannot flake on a new random example; the language model's
cache (qa.language_model) goes to a temporary folder, not the user's ~/.cache."""

import atexit
import os
import shutil
import tempfile

from hypothesis import settings

if "CAREBENCH_CACHE" not in os.environ:  # xdist workers inherit the controller's folder
    os.environ["CAREBENCH_CACHE"] = tempfile.mkdtemp(prefix="carebench-test-cache-")
    atexit.register(shutil.rmtree, os.environ["CAREBENCH_CACHE"], ignore_errors=True)

settings.register_profile("carebench", derandomize=True, print_blob=True)
settings.load_profile("carebench")
