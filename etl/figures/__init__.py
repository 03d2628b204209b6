"""Stage 3: the charts. One module per chart (its named queries, ChartSpec, a pure plotly
figure, its alt text and `render(con, params) -> Chart`), listed in `registry`; the house
style in `style`, shapes two charts share in `shapes`, print-ready exports in `export`. The
Streamlit pages (views/) and `python -m etl export` both call `render`."""
