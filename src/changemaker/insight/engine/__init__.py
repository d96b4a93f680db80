"""Pure-Python engine of the insight capability: record linkage on Splink 5 + DuckDB.

No Django here: enforced by tests/test_architecture.py.

The pipeline, module by module:

* :mod:`.schema` -- the person schema (``PERSON_FIELDS``, ``PERIOD_FIELDS``);
* :mod:`.importers` -- a service's CSV/Parquet + a mapping file -> person-schema records;
  bad rows quarantined with line and reason (``import_file``, ``ColumnMapping``,
  ``load_mapping``, ``write_quarantine``);
* :mod:`.standardise` -- names (with nickname forms), UK postcodes, dates, NINO, phone,
  e-mail, addresses and dwelling keys (``standardise_frame`` and one scalar function each);
* :mod:`.addresses` (a package: ``parsing``, ``gazetteer``, ``uprns``, ``dwellings``, ``sql``,
  ``matching``) -- addresses -> dwellings: ``parse_address`` (flat, house number or name,
  street), the council's gazetteer (``check_gazetteer``, ``parse_gazetteer``: all or nothing),
  ``match_addresses`` / ``with_dwellings`` (a UPRN, else a fuzzy dwelling, else none);
* :mod:`.linkage` (a package: ``parameters``, ``comparisons``, ``backends``, ``model_io``,
  ``training``, ``clustering``, ``person_ids``, ``linker``) -- ``PersonLinker`` (``fit``,
  ``check_blocking``, ``predict``, ``cluster``, ``link``, ``save``/``load`` as versioned JSON,
  ``builtin``) and ``assign_person_ids`` for ids that stay stable across runs;
* :mod:`.households` -- ``assign_households``: people at the same dwelling (``address_key``,
  set by :func:`.addresses.with_dwellings`) over overlapping periods;
* :mod:`.metrics` -- ``accuracy``: pairwise and cluster precision, recall and F1;
* :mod:`.synthetic` (a package: ``tables``, ``people``, ``population``, ``records``) --
  ``generate``: labelled UK-like records for measuring all of the above
  (``generate_with_gazetteer``: and the area's gazetteer).
"""
