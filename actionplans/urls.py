from django.urls import path

from actionplans.views import carry_forward, evidence, imports, outputs, plans, quarters, returns

app_name = "actionplans"

urlpatterns = [
    path("", plans.plan_list, name="index"),
    path("plans/<slug:slug>/", plans.plan_detail, name="plan_detail"),
    path("summary/", plans.summary, name="summary"),
    path("narrative/<int:pk>/", plans.narrative_report, name="narrative_report"),
    path("my-outputs/", outputs.my_outputs, name="my_outputs"),
    path("my-outputs/no-change/", carry_forward.carry_forward_returns, name="carry_forward"),
    path("outputs/<int:pk>/", outputs.output_detail, name="output_detail"),
    path("outputs/<int:pk>/update/", outputs.output_update, name="output_update"),
    path("returns/", returns.returns, name="returns"),
    path("returns/remind/", returns.returns_remind, name="returns_remind"),
    path("returns/<int:pk>/evidence/", evidence.return_evidence, name="return_evidence"),
    path("evidence/<int:pk>/", evidence.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/public/", evidence.evidence_public, name="evidence_public"),
    path("quarters/", quarters.quarter_list, name="quarters"),
    path("quarters/<int:year>/<int:number>/", quarters.quarter_detail, name="quarter_detail"),
    path("imports/outputs/", imports.import_outputs, name="import_outputs"),
    path("imports/status-updates/", imports.import_status_updates, name="import_status_updates"),
]
