"""Views of the perda app: editor, formation, consultation and public pages."""
