"""The directory in Open Referral HSDS 3.0: export and import (docs/directory-files.md).

fields.py       the HSDS tables, their fields and which of them we keep
mapping.py      our fields that HSDS lacks, as attributes of our taxonomies
exporting.py    the directory as HSDS tables (the selector both formats are made from)
document.py     tables <-> the JSON document (HSDS objects in the API's list shape)
tabular.py      tables <-> the CSV datapackage (folder or zip)
reading.py      sizes, encodings and JSON of uploaded files
records.py      what is read before checking, and notes on what is not kept
validation.py   checks of each object or row on its own
references.py   checks across objects: duplicates and ids that point at nothing
plan.py         checked objects -> the rows to write
writing.py      writing the rows (created or updated by id, parts replaced)
importing.py    directory_import: read, check everything, then write at once
errors.py       problems that name the object, or the file, row and column
"""
