"""A national-size dataset written with PostgreSQL's COPY: :mod:`.copying` writes model instances
table by table, :mod:`.plan` decides how many of each there are, :mod:`.people` and
:mod:`.learning` build them, and :mod:`.checks` says whether what was written holds together."""
