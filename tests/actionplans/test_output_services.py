"""The output services: only governance support writes, every write is audited, a reference is
unique within its plan (with the next free one proposed), and withdrawing keeps date and reason."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionplans.imports import read_outputs
from actionplans.models import ActionPlan, Output, Priority
from actionplans.services import (
    RefCheck,
    check_output_ref,
    create_output,
    create_outputs,
    create_plan_records,
    update_output,
    withdraw_output,
)
from boards.models import Organisation, Sector
from leeds_communities.models import AuditEvent
from tests.actionplans.test_import_commands import GOOD, GOOD2, OUTPUTS_HEADER, build_register
from tests.factories import ActionPlanFactory, OutputFactory

pytestmark = pytest.mark.django_db
START = datetime.date(2006, 4, 1)


@pytest.fixture
def plan():
    return ActionPlanFactory(name="North East")


def _new(plan, agency, ref, **extra):
    return Output(
        plan=plan, ref=ref, title=f"Output {ref}", lead_agency=agency, commencement=START, **extra
    )


def test_governance_support_adds_an_output_with_an_audit_row(plan, agency, governance_support):
    output = create_output(
        plan=plan,
        ref=" NE001 ",
        title="Open a youth centre",
        lead_agency=agency,
        commencement=START,
        acting_user=governance_support,
    )
    assert Output.objects.get(pk=output.pk).ref == "NE001"
    audit = AuditEvent.objects.get(action="output_created")
    assert (audit.actor, audit.detail["output"]) == (governance_support, output.pk)
    assert "NE001" in audit.summary


@pytest.mark.parametrize("persona", ["officer", "chair", "scrutiny_member", "anonymous"])
def test_nobody_else_may_add_change_or_withdraw_an_output(request, persona, plan, agency):
    user = request.getfixturevalue(persona)
    existing = OutputFactory(plan=plan, ref="NE001", lead_agency=agency)
    user = user or AnonymousUser()
    with pytest.raises(PermissionDenied):
        create_output(
            plan=plan,
            ref="NE002",
            title="x",
            lead_agency=agency,
            commencement=START,
            acting_user=user,
        )
    with pytest.raises(PermissionDenied):
        create_outputs(outputs=[_new(plan, agency, "NE003")], acting_user=user)
    with pytest.raises(PermissionDenied):
        update_output(output=existing, title="Changed", acting_user=user)
    with pytest.raises(PermissionDenied):
        withdraw_output(output=existing, withdrawn=START, reason="No funding", acting_user=user)
    assert list(Output.objects.values_list("ref", "title", "withdrawn")) == [
        ("NE001", existing.title, None)
    ]
    assert not AuditEvent.objects.exists()


def test_a_taken_reference_is_refused_and_the_next_free_one_proposed(
    plan, agency, governance_support
):
    OutputFactory(plan=plan, ref="NE009", lead_agency=agency)
    OutputFactory(plan=plan, ref="NE010", lead_agency=agency)
    with pytest.raises(ValidationError) as refused:
        create_output(
            plan=plan,
            ref="NE009",
            title="Again",
            lead_agency=agency,
            commencement=START,
            acting_user=governance_support,
        )
    assert refused.value.error_dict["ref"][0].code == "duplicate_ref"
    assert "North East already has an output NE009; NE011 is free." in refused.value.messages
    assert Output.objects.count() == 2
    # Another plan may use the same reference.
    other = create_output(
        plan=ActionPlanFactory(),
        ref="NE009",
        title="Elsewhere",
        lead_agency=agency,
        commencement=START,
        acting_user=governance_support,
    )
    assert other.pk


def test_the_reference_rule_says_whether_a_ref_is_taken_and_what_is_free(plan, agency):
    OutputFactory(plan=plan, ref="Jobs", lead_agency=agency)
    assert check_output_ref(plan=plan, ref="Jobs") == RefCheck("Jobs", True, "Jobs-2")
    assert check_output_ref(plan=plan, ref="Homes").taken is False
    assert check_output_ref(plan=plan, ref="A9", taken={"A9", "A10"}).next_free == "A11"
    assert check_output_ref(plan=plan, ref="x" * 40, taken={"x" * 40}).next_free == "x" * 38 + "-2"


def test_a_batch_refuses_a_reference_repeated_or_taken_and_writes_nothing(
    plan, agency, governance_support
):
    OutputFactory(plan=plan, ref="NE001", lead_agency=agency)
    batch = [_new(plan, agency, "NE002"), _new(plan, agency, "NE002"), _new(plan, agency, "NE001")]
    with pytest.raises(ValidationError) as refused:
        create_outputs(outputs=batch, acting_user=governance_support)
    assert refused.value.messages == [
        "NE002: North East already has an output NE002; NE003 is free.",
        # NE002 is not free: the batch has it.
        "NE001: North East already has an output NE001; NE003 is free.",
    ]
    assert Output.objects.count() == 1
    assert not AuditEvent.objects.exists()


def test_a_batch_takes_the_same_queries_for_ten_outputs_as_for_three_hundred(
    plan, agency, governance_support
):
    def queries(n, prefix):
        with CaptureQueriesContext(connection) as captured:
            create_outputs(
                outputs=[_new(plan, agency, f"{prefix}{i}") for i in range(n)],
                acting_user=governance_support,
            )
        return len(captured)

    # SQLite splits a bulk insert into chunks of its variable limit; allow for those only.
    few, many = queries(10, "A"), queries(300, "B")
    assert many <= few + 4
    assert Output.objects.count() == 310
    audits = AuditEvent.objects.filter(action="outputs_created")
    assert [len(a.detail["outputs"]) for a in audits.order_by("pk")] == [10, 300]


def test_changing_an_output_audits_what_changed_from_and_to(plan, agency, governance_support):
    output = OutputFactory(
        plan=plan, ref="NE001", title="Old", lead_agency=agency, commencement=START, due=None
    )
    due = datetime.date(2008, 3, 31)
    update_output(output=output, title="New", due=due, acting_user=governance_support)
    output.refresh_from_db()
    assert (output.title, output.due) == ("New", due)
    audit = AuditEvent.objects.get(action="output_updated")
    assert audit.detail["changes"] == {"title": ["Old", "New"], "due": [None, "2008-03-31"]}


def test_a_due_date_before_commencement_is_refused(plan, agency, governance_support):
    output = OutputFactory(plan=plan, lead_agency=agency, commencement=START)
    with pytest.raises(ValidationError) as refused:
        update_output(output=output, due=datetime.date(2006, 1, 1), acting_user=governance_support)
    assert refused.value.error_dict["due"][0].code == "due_before_commencement"
    output.refresh_from_db()
    assert output.due != datetime.date(2006, 1, 1)


def test_withdrawing_records_the_date_and_the_reason(plan, agency, governance_support):
    output = OutputFactory(plan=plan, ref="NE001", lead_agency=agency)
    when = datetime.date(2007, 1, 15)
    withdraw_output(
        output=output, withdrawn=when, reason="  Funding ended ", acting_user=governance_support
    )
    assert Output.objects.get(pk=output.pk).withdrawn == when
    audit = AuditEvent.objects.get(action="output_withdrawn")
    assert audit.detail == {
        "output": output.pk,
        "withdrawn": "2007-01-15",
        "previous": None,
        "reason": "Funding ended",
    }
    assert "withdrawn 15 January 2007" in audit.summary


def test_withdrawing_needs_a_reason(plan, agency, governance_support):
    output = OutputFactory(plan=plan, lead_agency=agency)
    with pytest.raises(ValidationError) as refused:
        withdraw_output(output=output, withdrawn=START, reason=" ", acting_user=governance_support)
    assert "reason" in refused.value.error_dict
    assert Output.objects.get(pk=output.pk).withdrawn is None
    assert not AuditEvent.objects.exists()


def test_new_plan_records_are_saved_dependencies_first(plan, governance_support):
    new_plan = ActionPlan(
        programme=plan.programme,
        name="Outer East",
        slug="outer-east",
        owner=plan.owner,
        scope=ActionPlan.Scope.CITY_WIDE,
    )
    create_plan_records(
        acting_user=governance_support,
        organisations=[Organisation(name="Groundwork", slug="groundwork", sector=Sector.PUBLIC)],
        plans=[new_plan],
        priorities=[Priority(plan=new_plan, title="Jobs", order=1)],
    )
    assert Priority.objects.get(title="Jobs").plan.name == "Outer East"
    assert Organisation.objects.filter(name="Groundwork").exists()
    audit = AuditEvent.objects.get(action="plan_records_created")
    assert audit.detail["organisations"] == ["Groundwork"]


def test_the_outputs_import_writes_through_the_services(governance_support, tmp_path):

    build_register()
    content = "\n".join([OUTPUTS_HEADER, GOOD, GOOD2.replace("Leeds City Council", "New agency")])
    read_outputs(content, filename="p.csv", actor=governance_support, create_missing=True).apply()
    created = AuditEvent.objects.get(action="outputs_created")
    assert len(created.detail["outputs"]) == 2 and "p.csv" in created.summary
    assert AuditEvent.objects.get(action="plan_records_created").detail["organisations"] == [
        "New agency"
    ]
    changed = GOOD.replace("Open a youth centre", "Open two")
    read_outputs(f"{OUTPUTS_HEADER}\n{changed}", filename="q.csv", actor=governance_support).apply()
    assert AuditEvent.objects.get(action="outputs_updated").detail["fields"] == [
        "commencement",
        "due",
        "lead_agency",
        "priority",
        "title",
    ]
    assert Output.objects.get(ref="NE001").title == "Open two"
