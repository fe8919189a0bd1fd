"""Understanding: text -> commands (normalise, templates, rule match, fuzzy match); no I/O, no devices."""
