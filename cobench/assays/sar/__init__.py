"""SAR, plots and series: what the assays' results say about the project's compounds.

`sar.py` builds the SAR table (columns from the sharing rules, cells from the stored
summaries); `plots.py` the plots' data from it; `series.py` defines chemical series and
who is in them; `views.py`, `urls.py`, `api.py` and `forms.py` are this part's pages and
endpoints; `demo.py` its demo step. The models stay in `cobench.assays.models`.
"""
