"""Inflected words read as the forms the templates are written in (a language's forms/endings.yaml, loaded by
assistant.language.forms).

In a language that ends its verbs in many ways (Korean: 꺼, 꺼라, 끄세요, 꺼 주세요, 끄지 마, 켤 필요 없어)
a template per ending would be a template per sentence, and a fuzzy reading of an ending it does not
know may land on the opposite verb. So before templates are matched, a verb and the words after it are
read as its plain form when the ending only asks politely, and as a negation mark and its plain form
when the ending negates; particles come off the words they end (a particle that joins two words, "A and B",
stays as a word of its own). All comparisons are in jamo (Unicode NFD), so an ending that starts with a lone
consonant ("ㄹ 필요 없어") joins a stem's last syllable.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

LONGEST_ENDING = 5  # words an ending may take after its verb ("지 말아 주세요" is 3)


def _jamo(text: str) -> str:
    """NFD without spaces; a leading lone consonant ("ㄹ") becomes the final consonant it stands for."""
    text = unicodedata.normalize("NFD", "".join(text.split()))
    if text and unicodedata.name(text[0], "").startswith("HANGUL LETTER "):
        try:
            text = unicodedata.lookup(unicodedata.name(text[0]).replace("LETTER", "JONGSEONG")) + text[1:]
        except KeyError:
            pass
    return text


@dataclass
class Forms:
    """One language's verb endings and particles (all text in jamo)."""

    verbs: list[tuple[str, str]] = field(default_factory=list)  # (base: form or stem, form as written)
    requests: set[str] = field(default_factory=set)
    negations: set[str] = field(default_factory=set)
    negation: str = ""
    particles: list[str] = field(default_factory=list)
    joins: frozenset[str] = frozenset()  # particles that join two words ("A and B"): read as a word of their own
    links: set[str] = field(default_factory=set)  # endings that join two commands ("끄고": 꺼, and then)
    link: str = ""  # the word a link is read as (one the understanding splits commands at)

    @classmethod
    def written(cls, verbs: list[tuple[str, str]], requests: list[str], negations: list[str], negation: str,
                particles: list[str], joins: list[str] = ()) -> Forms:
        """Forms from their text as a language pack writes it: (form, stem) of each verb, the endings that only
        ask politely, those that negate, the word a negation is read as, the particles, and the particles
        that join two words (kept after the word as a word of their own, for the templates to say "A and B")."""
        pairs: list[tuple[str, str]] = []
        for form, stem in verbs:
            pairs += [(_jamo(form), form), (_jamo(stem), form)]
        return cls(pairs, {_jamo(t) for t in requests}, {_jamo(t) for t in negations}, negation,
                   sorted({*particles, *joins}, key=len, reverse=True), frozenset(joins))

    def linked(self, links: list[str], link: str) -> Forms:
        """These forms, with the endings that join a verb to the next command ("거실 불 끄고 티비 켜 줘")."""
        self.links, self.link = {_jamo(t) for t in links}, link
        return self

    def read(self, tokens: list[str], known: frozenset[str]) -> list[str]:
        """The tokens with verb endings and particles read away (see the module docstring)."""
        out: list[str] = []
        i = 0
        while i < len(tokens):
            verb = self._verb_at(tokens, i, known)
            if verb is not None:
                end, form, said = verb
                out.extend([self.negation, form] if said == "negated" else [form, self.link] if said == "linked" else [form])
                i = end
                continue
            out.extend(self._without_particle(tokens[i], known))
            i += 1
        return out

    def _verb_at(self, tokens: list[str], i: int, known: frozenset[str] = frozenset()) -> tuple[int, str, str] | None:
        """(end, plain form, how: "plain", "negated" or "linked") of the longest verb and ending starting at
        tokens[i], if there is one. A join said as a word ("티비 하고 에어컨") or a word the templates say ("빼고":
        except) links no verb."""
        heard = unicodedata.normalize("NFD", tokens[i])
        best = None
        for base, form in self.verbs:
            if not heard.startswith(base):
                continue
            rest = heard[len(base):]
            for end in range(i + 1, min(len(tokens), i + LONGEST_ENDING) + 1):
                if end > i + 1:
                    rest += unicodedata.normalize("NFD", tokens[end - 1])
                linked = rest in self.links and tokens[end - 1] not in self.joins and tokens[end - 1] not in known
                said = "negated" if rest in self.negations else "linked" if linked else \
                    "plain" if rest == "" or rest in self.requests else None
                if said and (best is None or end > best[0]):
                    best = (end, form, said)
        return best

    def _without_particle(self, token: str, known: frozenset[str]) -> list[str]:
        if token in known:
            return [token]
        for particle in self.particles:
            if token.endswith(particle) and token[: -len(particle)] in known:
                return [token[: -len(particle)], particle] if particle in self.joins else [token[: -len(particle)]]
        return [token]
