"""Pronunciations, in the acoustic model's phonemes, for words its dictionary lacks: a name in a home
file ("roomba"), a drink ("cortados"). espeak-ng, which speaks our replies, already knows how English
words sound; its IPA is mapped onto the model's phonemes by a table (sphinx_<language>.yaml, `ipa`).
Without espeak-ng such words stay unheard, as before."""

from __future__ import annotations

import shutil
import subprocess

STRESS = "ˈˌ"


def espeak_pronunciations(words: list[str], voice: str, table: dict[str, str]) -> dict[str, str]:
    """{word: "P H O N E S"} for each word espeak-ng can say in `voice` and the table can map."""
    espeak = shutil.which("espeak-ng")
    if not words or not espeak or not table:
        return {}
    try:
        done = subprocess.run([espeak, "-q", "--ipa", "--sep= ", "-v", voice], input="\n".join(words) + "\n",
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return {}
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or len(lines) != len(words):
        return {}  # espeak-ng joined or split the words: no way to tell whose sounds are whose
    found = {}
    for word, line in zip(words, lines):
        phones = phones_of(line, table)
        if phones:
            found[word] = phones
    return found


def phones_of(ipa: str, table: dict[str, str]) -> str | None:
    """espeak-ng's phonemes (separated by spaces) in the table's symbols; None when one is not in it."""
    out: list[str] = []
    longest = max(map(len, table))
    for token in ipa.translate({ord(c): None for c in STRESS}).split():
        i = 0
        while i < len(token):
            for size in range(min(longest, len(token) - i), 0, -1):
                if token[i : i + size] in table:
                    out.extend(table[token[i : i + size]].split())
                    i += size
                    break
            else:
                return None
    return " ".join(out) or None
