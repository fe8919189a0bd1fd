"""How replies name things in a language: a device ("the floor lamp"), a room, a list ("a, b and c"), many
devices ("5 lights"), what a device can or can't do. The words are data (intents/<lang>/words/phrases.yaml
and abilities.yaml); lists are written by Babel's CLDR list patterns for the language's locale.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from babel import Locale
from babel.lists import format_list

from assistant.language.words import load_words
from assistant.reply.fields import fill

if TYPE_CHECKING:
    from assistant.home.model import Device

def unit_word(unit: str | None, language: str = "en") -> str:
    """How a unit is said after a number ("degrees" for celsius): intents/<lang>/words/units.yaml."""
    return str(load_words(language, "units").mapping("units").get(unit or "", unit or ""))


LIST_STYLES = {"and": "standard", "or": "or"}
PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})  # CLDR's


def _counted(value: object) -> bool:
    """Forms of a phrase by CLDR plural category: {one: "{count} device", other: "{count} devices"}."""
    return isinstance(value, dict) and "other" in value and set(map(str, value)) <= PLURAL_CATEGORIES


def spoken_name(name: str) -> str:
    """A name as said in a sentence: lower-cased, unless a word looks like an acronym ("TV")."""
    return " ".join(w if w.isupper() and len(w) <= 3 else w.lower() for w in name.split())


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class Phrases:
    def __init__(self, language: str):
        self.language = language
        words = load_words(language, "phrases")
        self.locale = str(words.get("locale") or language)
        self.templates = {k: str(v) for k, v in words.data.items() if isinstance(v, str)}
        # "5 lights", "3 devices": by the count's CLDR plural category ("one", "few", "other"...)
        self.counted = {k: {str(c): str(t) for c, t in v.items()} for k, v in words.data.items() if _counted(v)}
        self.room_alone_marks = tuple(words.words("room_alone_marks"))
        self.room_alone_leads = tuple(f"{w} " for w in words.words("room_alone_leads"))
        self.plural_endings = tuple(words.words("plural_endings"))
        self.plural_words = {k: list(v) for k, v in words.mapping("plural_words").items()}
        self.kinds = words.mapping("kinds")
        # Korean particles written "을(를)": which one is said depends on the word before (see `finish`)
        self.particles = {str(k): list(v) for k, v in (words.get("particles") or {}).items()}
        self.consonant_ascii = set(words.words("ends_in_consonant"))  # "38", "ppm" as read: with a final consonant
        abilities = load_words(language, "abilities")
        self.abilities = abilities.mapping("abilities")
        self.actions = {**self.abilities, **abilities.mapping("actions")}
        self.ability_texts = {k: str(v) for k, v in abilities.data.items() if isinstance(v, str)}

    def finish(self, text: str) -> str:
        """A filled template with its particles chosen for the words before them ("보일러을(를)" -> "보일러를")."""
        for written, (after_consonant, after_vowel) in self.particles.items():
            parts = text.split(written)
            for i in range(1, len(parts)):
                before = parts[i - 1].rstrip()[-1:] if parts[i - 1].strip() else ""
                ends = _final_consonant(before) if before else None
                if ends is None and before.isascii() and before.isalnum():
                    ends = before.lower() in self.consonant_ascii  # "TV를", "38이에요": as they are read
                chosen = written if ends is None else (after_consonant if ends else after_vowel)
                parts[i] = chosen + parts[i]
            text = parts[0] + "".join(parts[1:])
        return text

    def the(self, device: Device) -> str:
        """'the floor lamp' (names are lower-cased unless they look like acronyms)."""
        return fill(self.templates["device"], {"name": spoken_name(device.name)})

    def the_name(self, device: Device, capital_first: bool = False) -> str:
        phrase = self.the(device)
        return capital(phrase) if capital_first else phrase

    def the_room(self, name: str) -> str:
        """'the garage', 'the living room'; a possessive name stands alone: "Anna's room"."""
        spoken = spoken_name(name)
        if any(m in spoken for m in self.room_alone_marks) or spoken.startswith(self.room_alone_leads):
            return spoken
        return fill(self.templates["room"], {"name": spoken})

    def join(self, items: list[str], conjunction: str = "and") -> str:
        """ "a, b and c", "a or b": the language's own list pattern (CLDR, through Babel). CONJUNCTION is "and",
        "or" or the name of another CLDR list style ("unit": English "1 hour, 20 minutes", Korean "1시간 20분")."""
        if not items:
            return ""
        return format_list(list(items), LIST_STYLES.get(conjunction, conjunction), locale=self.locale)

    def kind(self, type_name: str) -> str:
        return str(self.kinds.get(type_name, type_name.replace("_", " ")))

    def kind_name(self, type_name: str) -> str:
        """A kind of device as said: 'air conditioner' for a climate device (the first of its words)."""
        if type_name in self.kinds:
            return str(self.kinds[type_name])
        from assistant.home.types import device_types

        spec = device_types().get(type_name)
        return spec.words[0] if spec and spec.words else type_name.replace("_", " ")

    def targets(self, devices: list[Device]) -> str:
        """ "the floor lamp", "the TV and the curtains", "5 lights and the TV" (kinds counted when many)."""
        if len(devices) <= 4:
            return self.join([self.the(d) for d in devices])
        by_kind: dict[str, list[Device]] = {}
        for device in devices:
            by_kind.setdefault(device.type, []).append(device)
        parts = []
        for kind, group in by_kind.items():
            if len(group) >= 3:
                parts.append(self.count("many_of_kind", len(group), kind=self.kind(kind)))
            else:
                parts.extend(self.the(d) for d in group)
        if len(parts) > 4:
            return self.count("many_devices", len(devices))
        return self.join(parts)

    def count(self, key: str, count: int, **fields: str) -> str:
        """A counted phrase of phrases.yaml in the form the language uses for that number."""
        return self.counted_form(self.counted[key], count, **fields)

    def counted_form(self, forms: Mapping[str, str], count: int, **fields: str) -> str:
        """FORMS ({one: ..., other: ...}) filled in the one the language uses for COUNT (Babel's CLDR plural rules)."""
        category = Locale.parse(self.locale).plural_form(count)
        return fill(str(forms.get(category) or forms["other"]), {"count": count, **fields})

    def many(self, devices: list[Device]) -> bool:
        """Whether the devices are said as many ("the curtains are")."""
        return len(devices) > 1 or (len(devices) == 1 and bool(self.plural_endings)
                                    and devices[0].name.lower().endswith(self.plural_endings))

    def agreement(self, devices: list[Device]) -> dict[str, str]:
        """The words that agree with the devices: {is} -> "is"/"are" (none in a language without them)."""
        index = 1 if self.many(devices) else 0
        return {key: str(forms[index]) for key, forms in self.plural_words.items() if len(forms) > index}

    def ability(self, intent: str) -> str:
        return str(self.abilities.get(intent, intent.replace("_", " ")))

    def ability_or_unknown(self, intent: str) -> str:
        return str(self.abilities.get(intent, self.ability_texts["ability_unknown"]))

    def cannot(self, device: Device, intent: str) -> str:
        """ "The floor lamp can't change colour" """
        name = self.the(device)
        return fill(self.ability_texts["cannot"], {"device": name, "Device": capital(name), "ability": self.ability(intent)})

    def action(self, intent: str, devices: list[Device]) -> str:
        """ "unlock the front door", "move the garage door" """
        ability = self.actions.get(intent, self.ability_texts["action_unknown"])
        return fill(self.ability_texts["action"], {"ability": ability, "targets": self.targets(devices)})


@lru_cache(maxsize=None)
def phrases(language: str = "en") -> Phrases:
    return Phrases(language)


def _final_consonant(char: str) -> bool | None:
    """Whether a Hangul syllable ends in a consonant (받침); None for anything else."""
    code = ord(char) - 0xAC00
    if 0 <= code < 11172:
        return code % 28 != 0
    return None
