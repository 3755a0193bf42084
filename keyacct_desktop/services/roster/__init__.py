"""Customer rosters in and out of Excel/CSV, the way utilities really keep them.

Real sheets have a merged title row or two above the header, Chinese headers with several
spellings and the unit in brackets (``年用电量(万千瓦时)``), numbers typed as text with
full-width digits ("２，５００"), short forms (大工业, 一级, AAA级), a 序号 column, 合计 rows and
blank rows at the end. Every field is declared once in :mod:`keyacct_desktop.domain.customer_fields`
(labels, unit, aliases, export column); these modules read and write through that table.

- ``files``: reading .xlsx, .xls and .csv files into rows of cells.
- ``plan``: an import is planned first (:func:`plan.plan_import`, nothing written): which
  column maps to which field and which columns are ignored, the parks/grids/managers that would
  be created, every row checked with the editor's rules and each problem reported with its
  Excel row number, and for a customer already in the store (same 户号) the fields that would
  change.
- ``apply``: :func:`apply.apply_import` then writes the plan in ONE transaction, or nothing.
- ``report``: the plan in words, for the preview dialog and ``keyacct import``.
- ``export``: :func:`export.export_customers` writes every profile field: a workbook with the
  sheets 客户, 联系人 and 电源, which imports back into a fresh store field for field.
"""
