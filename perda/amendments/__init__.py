"""Amending regulations ("Perubahan atas …", Lampiran II UU 12/2011 Bab IV "Ketentuan Perubahan").

- ``parse``: recognise Pasal I's numbered instructions in an imported amending regulation.
- ``tree``: the import-JSON body (numbers as printed) ⇄ the snapshot body (uids, numbers computed); locate a
  provision by its citation ("Pasal 7 ayat (3) huruf a").
- ``consolidate``: apply amendments to a base and give the text in force on a date, with each provision's
  history.
- ``draft``: write Pasal I of an amendment draft from the base and the edited text, in Lampiran II's wording.
"""
