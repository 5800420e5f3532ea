"""Import and export of the knowledge base: Markdown folders and XLSX spreadsheets.

- `markdown.read_folder` / `markdown.write_folder`: the layout of docs/knowledge-files.md;
- `spreadsheet.read_xlsx` / `spreadsheet.write_xlsx`: one workbook, sheets "articles" and
  "translations";
- `dataset.articles_as_data`: the database as ArticleData, for export;
- `importing.knowledge_import`: read, check everything, then save in one transaction.

Readers check everything before returning and raise `KnowledgeImportError` with every
problem found, each naming its file and line (or sheet and row).
"""

from .errors import ImportProblem, KnowledgeExportError, KnowledgeImportError

__all__ = ["ImportProblem", "KnowledgeExportError", "KnowledgeImportError"]
