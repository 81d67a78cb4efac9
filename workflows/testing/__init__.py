"""Test support that has to live inside an installed app (viewflow stores flows as ``app_label/path``).

Nothing here is registered in ``PAMONG_FLOWS`` by default; tests add it through a settings override.
"""
