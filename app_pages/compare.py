"""Compare page: two plans of this session (of one scenario or two), side by side."""

import streamlit as st

from app_pages import state
from planner.i18n import t
from planner.report.charts import gantt_compare
from planner.report.compare import compare

lang = state.lang()
st.title(t("page.compare", lang))
upload = st.file_uploader(t("compare.upload", lang), type=["json", "yaml", "yml"], key="compare_upload")
if upload is not None and st.session_state.get("compare_uploaded") != upload.file_id:
    st.session_state["compare_uploaded"] = upload.file_id
    st.session_state["compare_upload_messages"] = state.add_plan_file(upload.name, upload.getvalue())
if upload is not None and st.session_state.get("compare_upload_messages"):
    first, *problems = st.session_state["compare_upload_messages"]
    st.warning(first)
    if problems:
        st.code("\n".join(problems), language=None, wrap_lines=True)
results = state.results()
if len(results) < 2:
    st.info(t("compare.need_two", lang, n=len(results)))
    st.stop()

labels = [state.label(r) for r in results]  # with each plan's status against the scenario open now
c = st.columns(2)
a_label = c[0].selectbox(t("compare.a", lang), labels, index=len(labels) - 2, key="compare_a")
b_label = c[1].selectbox(t("compare.b", lang), labels, index=len(labels) - 1, key="compare_b")
a = results[labels.index(a_label)]
b = results[labels.index(b_label)]
if a is b:
    st.warning(t("compare.same", lang))
    st.stop()

verdicts = (state.verdict(a), state.verdict(b))
for name, verdict in zip("AB", verdicts, strict=True):
    if verdict.violations:
        with st.expander(t("compare.breaks", lang, plan=name, status=verdict.status(lang)), icon=":material/error:"):
            st.markdown("\n".join(f"- {line}" for line in verdict.lines(lang)))

comparison = compare(a.scenario, a.plan, b.scenario, b.plan)
st.subheader(t("compare.kpis", lang))
cols = st.columns(min(6, max(1, len(comparison.kpis))))
for k, kpi in enumerate(comparison.kpis):
    if kpi.key == "status":  # the checked status, never the plan's own word (planner.ui.verdict)
        cols[k % len(cols)].metric(
            kpi.label(lang),
            verdicts[1].status(lang),
            t("compare.was", lang, status=verdicts[0].status(lang)),
            delta_color="off",
            delta_arrow="off",
        )
        continue
    cols[k % len(cols)].metric(
        kpi.label(lang),
        kpi.show(kpi.b, lang),
        kpi.show_delta(lang),
        delta_color="off",
        delta_arrow="off" if not kpi.delta else "auto",
    )

st.subheader(t("compare.changes", lang))
changes = comparison.moves_table(lang)
if changes.empty:
    st.success(t("compare.no_changes", lang))
else:
    st.dataframe(changes, hide_index=True, width="stretch")
    with st.expander(t("compare.sentences", lang)):
        for line in comparison.sentences(lang):
            st.markdown(f"- {line}")
st.plotly_chart(
    gantt_compare(
        a.scenario,
        a.plan,
        b.scenario,
        b.plan,
        labels=("A", "B"),
        lang=lang,
        flagged=(verdicts[0].flagged(), verdicts[1].flagged()),
    ),
    key="compare_gantt",
)
