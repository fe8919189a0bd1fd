"""Problems in words: a device error or an unresolved target is a code and its data (the device, the
values), said from intents/<lang>/words/problems.yaml in the user's language."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from assistant import errors
from assistant.errors import DeviceError
from assistant.home.model import Device
from assistant.home.types import BadValue, Property
from assistant.language.words import load_words
from assistant.reply.fields import fill
from assistant.reply.phrases import capital, phrases, spoken_name, unit_word

if TYPE_CHECKING:
    from assistant.act.resolve import Resolution


class ProblemWords:
    def __init__(self, language: str):
        self.language = language
        self.words = phrases(language)
        data = load_words(language, "problems")
        self.device = {k: str(v) for k, v in data.mapping("device").items()}
        self.targets = {k: str(v) for k, v in data.mapping("targets").items()}
        self.parts = {k: str(v) for k, v in data.data.items() if isinstance(v, str)}
        self.values = {k: str(v) for k, v in data.mapping("value").items()}
        self.properties = data.mapping("properties")

    def fields(self, data: dict[str, Any]) -> dict[str, Any]:
        """The template's fields: a device as "the floor lamp" ({device}, {Device}, {device_name},
        {device_lower}), an intent as what it does ({ability}, {doing}), a nested problem in words."""
        fields: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, Device):
                name = self.words.the(value)
                fields.update({key: name, capital(key): capital(name), f"{key}_name": value.name,
                               f"{key}_lower": value.name.lower()})
            elif isinstance(value, DeviceError):
                fields[key] = self.say(value)
            elif isinstance(value, BadValue):
                fields[key] = self.value(value)
            elif key == "types":  # "air conditioner or fan", "garage door cover"
                kind = self.parts["alternatives"].join(self.words.kind_name(t) for t in value) or self.parts["any_device"]
                if data.get("class"):
                    kind = fill(self.parts["classed_kind"], {"class": self.class_name(data["class"]), "kind": kind})
                fields["kind"] = kind
            elif key == "rooms":
                fields[key] = self.parts["alternatives"].join(self.words.the_room(r.name) for r in value)
            elif key == "intent":
                fields["ability"] = self.words.ability(str(value))
                fields["doing"] = self.words.ability_or_unknown(str(value))
            else:
                fields[key] = value
        return fields

    def class_name(self, classes: Any) -> str:
        """How a class of sensor is said ("smoke", "air quality"; words/sensors.yaml `names`); of several, the first."""
        first = str(classes[0] if isinstance(classes, (list, tuple)) and classes else classes)
        names = load_words(self.language, "sensors").mapping("names")
        return str(names.get(first, first.replace("_", " ")))

    def say(self, error: BaseException) -> str:
        """A device's or adapter's problem, as one clause (no full stop)."""
        if not isinstance(error, DeviceError):
            return str(error)
        template = self.device.get(error.code)
        if template is None:  # an adapter of another package that wrote its own sentence
            return error.code
        return self.words.finish(fill(template, self.fields(error.data)))

    def target(self, code: str, data: dict[str, Any]) -> str:
        """Why a command's targets were not found: "There's no fan in the kitchen." """
        return self.words.finish(fill(self.targets[code], self.fields(data)))

    def value(self, bad: BadValue) -> str:
        """Why a value does not fit a property, completing "The <device> ...": "can only be set between 16
        and 30 degrees", "has no mode called turbo; it has cool, heat or auto"."""
        prop = bad.prop
        fields = {"property": self._property(prop), "value": bad.value, "range": self._range(prop),
                  "choices": self.words.join(list(prop.values), "or"),
                  "presets": self.words.join(list(prop.presets), "or")}
        problem = fill(self.values[bad.code], fields)
        if bad.others:
            others = "; ".join(self._fits(p) for p in bad.others)
            problem = fill(self.values["others"], {"problem": problem, "others": others})
        return self.words.finish(problem)

    def _property(self, prop: Property) -> str:
        return str(self.properties.get(prop.name, prop.words))

    def _range(self, prop: Property) -> str:
        unit = unit_word(prop.unit, self.language)
        values = {"min": _number(prop.min), "max": _number(prop.max), "unit": unit}
        return fill(self.values["range_unit" if unit else "range"], values)

    def _fits(self, prop: Property) -> str:
        """What would fit a property: "mode: cool, heat or auto", "speed between 1 and 3"."""
        if prop.type == "enum":
            return fill(self.values["fits_choice"], {"property": self._property(prop),
                                                     "choices": self.words.join(list(prop.values), "or")})
        if prop.min is not None and prop.max is not None:
            return fill(self.values["fits_range"], {"property": self._property(prop), "range": self._range(prop)})
        return self._property(prop)

    def resolution(self, resolution: Resolution) -> str:
        """Why a resolution found nothing to act on."""
        return self.target(str(resolution.problem), resolution.data)

    def choice(self, resolution: Resolution) -> str:
        """ "Which lamp: the floor lamp or the desk lamp?" """
        options = self.words.join([self.words.the(d) for d in resolution.choices], "or")
        noun = spoken_name(resolution.noun)
        return self.target("which" if noun else "which_one", {"noun": noun, "options": options})

    def part(self, key: str) -> str:
        return self.parts[key]


def _number(number: float | None) -> str:
    if number is None:
        return "?"
    return str(int(number)) if float(number).is_integer() else str(number)


@lru_cache(maxsize=None)
def problem_words(language: str = "en") -> ProblemWords:
    return ProblemWords(language)


def _english(problem: Exception) -> str:
    """str() of a DeviceError or a BadValue: its English sentence."""
    words = problem_words("en")
    return words.value(problem) if isinstance(problem, BadValue) else words.say(problem)


errors.english = _english
