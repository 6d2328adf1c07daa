"""carebench workbench: ``streamlit run app.py`` (or ``carebench app`` / ``make app``, bound to 127.0.0.1).

A thin entry point: the pages live in ``carebench_app`` and call the same functions as the CLI.
"""

from carebench_app.main import main

main()
