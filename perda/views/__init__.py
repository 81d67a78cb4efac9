"""Views of the perda app: editor (eng-e1), formation, consultation and public pages (eng-e2)."""
