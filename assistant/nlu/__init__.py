"""Understanding text: templates, rule matching, fuzzy matching, numbers."""
