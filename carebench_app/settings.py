"""The workbench's settings: where reply files and the review database live, and the upload cap.

Kept in a small YAML file (``.carebench/app.yaml`` in the working folder, or the file named by
``CAREBENCH_APP_SETTINGS``) so that the CLI that starts the server and every page read the same values, and so
that tests point the app at a temporary folder without touching the user's. Validated like scenario files:
unknown keys refused, errors as one line.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from carebench_shared.safe_text import printable

__all__ = ["AppSettings", "settings_path", "load_settings", "save_settings", "SettingsError"]

ENV_VAR = "CAREBENCH_APP_SETTINGS"
DEFAULT_PATH = Path(".carebench/app.yaml")


class SettingsError(Exception):
    """A bad settings file; ``str()`` is the one-line message."""


class AppSettings(BaseModel):
    """What a QA lead or planner may set for their workbench."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def is_lead(self, name: str) -> bool:
        """Whether ``name`` (as typed in the sidebar) is one of the leads, ignoring case and spacing."""
        norm = " ".join(name.split()).casefold()
        return bool(norm) and any(" ".join(lead.split()).casefold() == norm for lead in self.leads)

    data_dir: str = Field(default="data", description="Folder of reply files offered on the Open page.")
    review_db: str = Field(default=".carebench/reviews.sqlite", description="SQLite file of human reviews.")
    max_upload_mb: int = Field(default=200, ge=1, le=4096, description="Largest file an upload may be, in MB.")
    scenarios_dir: str = Field(default="scenarios", description="Folder of scenario YAML files for the planner.")
    page_size: int = Field(default=50, ge=5, le=500, description="Rows per page of the review queue.")
    leads: list[str] = Field(default_factory=list, description="Reviewer names that may accept or reject "
                             "disputes and close calibration sessions.")
    min_calibration_reviews: int = Field(default=20, ge=1, le=10_000, description="Reviews of a check before "
                                         "the Calibration page shows its precision, recall and kappa.")


def settings_path() -> Path:
    """The settings file in force: ``$CAREBENCH_APP_SETTINGS`` or ``.carebench/app.yaml``."""
    return Path(os.environ.get(ENV_VAR) or DEFAULT_PATH)


def load_settings(path: Path | None = None, roots: list[Path] | None = None) -> AppSettings:
    """The settings from ``path`` (defaults when the file does not exist); its folders must lie inside ``roots``
    (by default the folders the server was started with)."""
    path = path or settings_path()
    if not path.exists():
        if path.is_symlink():  # the defaults could never be saved through it: say so at start, not on saving
            raise SettingsError(f"{printable(path)}: is a link that leads nowhere (a loop or a missing target); "
                                "remove it or point it at a settings file")
        return AppSettings()
    from sim.loader import ConfigError, load_yaml

    from .uploads import outside_roots

    try:  # the hardened loader: UTF-16, binary, duplicate keys, deep nesting... as one line
        data = load_yaml(path)[0] or {}
    except ConfigError as exc:
        raise SettingsError(f"unreadable settings: {exc}") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{printable(path)}: expected a mapping of keys")
    try:
        settings = AppSettings.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        field = printable(".".join(str(p) for p in err["loc"]) or "(top level)", 80)
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        raise SettingsError(f"{printable(path)}: {field}: {msg}") from None
    outside = outside_roots(settings, path, roots)
    if outside:
        raise SettingsError(f"{printable(path)}: {outside}")
    db = Path(settings.review_db).expanduser()
    if db.exists() and not db.is_file():  # SQLite would fail on the first review, long after the start
        raise SettingsError(f"{printable(path)}: review_db: {printable(settings.review_db, 120)} is a folder or a "
                            "device, not a database file")
    for field in ("data_dir", "scenarios_dir"):
        value = getattr(settings, field, None)
        if value is not None and Path(value).expanduser().exists() and not Path(value).expanduser().is_dir():
            raise SettingsError(f"{printable(path)}: {field}: {printable(value, 120)} is not a folder")
    return settings


def save_settings(settings: AppSettings, path: Path | None = None) -> Path:
    """Write ``settings`` to ``path`` (creating its folder) and return the path."""
    from carebench_shared.atomic import atomic_file

    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path, "w", encoding="utf-8") as f:  # never a half-written settings file
        f.write(yaml.safe_dump(settings.model_dump(), sort_keys=False))
    return path
