"""Importing indicator values from CSV: all or nothing, with row errors by line number."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from leeds_communities.models import AuditEvent
from neighbourhoods.indicators import read_indicator_values
from neighbourhoods.models import AreaType, Indicator, IndicatorValue

HEADER = "area_type,area_code,indicator,period,value\n"
GOOD = (
    HEADER
    + "ward,E05011388,Test indicator,2019/20,61.5\n"
    + "city,E08000035,Test indicator,2019/20,70\n"
    + 'lsoa,E01011264,test INDICATOR,2019/20,"1,250.25"\n'
    + "priority,new-wortley,Test indicator,2019/20,55\n"
    + "committee,inner-east,Test indicator,2018/19,58\n"
)


@pytest.fixture
def indicator(leeds):
    return Indicator.objects.create(
        name="Test indicator", slug="test-indicator", unit="%", higher_is_better=True
    )


def test_it_imports_values_for_every_kind_of_area(indicator):
    result = read_indicator_values(GOOD, filename="good.csv")
    assert result.ok, result.errors
    result.apply()
    assert IndicatorValue.objects.count() == 5
    assert IndicatorValue.objects.get(area_type=AreaType.LSOA).value == Decimal("1250.25")
    assert AuditEvent.objects.get(action="import_indicator_values").detail["created"] == 5


def test_importing_again_updates_changed_values_only(indicator):
    read_indicator_values(GOOD, filename="good.csv").apply()
    again = read_indicator_values(GOOD.replace("61.5", "62"), filename="good.csv")
    assert (len(again.to_create), len(again.to_update), again.unchanged) == (0, 1, 4)
    again.apply()
    assert IndicatorValue.objects.get(area_type=AreaType.WARD).value == Decimal("62")


def test_bad_rows_are_reported_by_line_and_nothing_is_written(indicator):
    bad = (
        HEADER
        + "ward,E05011388,Test indicator,2019/20,61.5\n"  # line 2 is fine
        + "ward,E05999999,Test indicator,2019/20,1\n"
        + "street,E05011388,Test indicator,2019/20,1\n"
        + "ward,E05011388,No such indicator,2019/20,1\n"
        + "ward,E05011388,Test indicator,,1\n"
        + "ward,E05011388,Test indicator,2020/21,lots\n"
        + "ward,E05011388,Test indicator,2019/20,3\n"
        + "ward,E05011388,Test indicator,2021/22,1.23456\n"
    )
    result = read_indicator_values(bad, filename="bad.csv")
    assert [str(e) for e in result.errors] == [
        "Line 3: there is no ward with area_code “E05999999”.",
        "Line 4: area_type “street” is not one of lsoa, priority, ward, committee, city.",
        "Line 5: there is no indicator called “No such indicator”; add it in the admin first.",
        "Line 6: period is empty; give the period, such as 2019/20.",
        "Line 7: value “lots” is not a number.",
        "Line 8: this row repeats the area, indicator and period of line 2.",
        "Line 9: value “1.23456” has more than 4 decimal places.",
    ]
    with pytest.raises(Exception, match="Line 3"):
        result.apply()
    assert not IndicatorValue.objects.exists()


def test_a_wrong_header_is_reported(indicator):
    result = read_indicator_values("ward,code,value\nward,E05011388,1\n", filename="x.csv")
    assert len(result.errors) == 1
    assert str(result.errors[0]).startswith("Line 1: the header row is wrong")


def test_the_command_reports_errors_and_writes_nothing(indicator, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(GOOD + "ward,E05999999,Test indicator,2019/20,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem in bad.csv"):
        call_command("import_indicators", str(path))
    assert "Line 7: there is no ward" in capsys.readouterr().err
    assert not IndicatorValue.objects.exists()


def test_the_command_dry_run_writes_nothing(indicator, tmp_path, capsys):
    path = tmp_path / "good.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_indicators", str(path), "--dry-run")
    assert "Dry run, nothing written: 5 indicator values to create" in capsys.readouterr().out
    assert not IndicatorValue.objects.exists()
    call_command("import_indicators", str(path))
    assert IndicatorValue.objects.count() == 5


def test_a_value_entered_by_hand_must_name_a_real_area(indicator):
    value = IndicatorValue(
        indicator=indicator,
        area_type=AreaType.WARD,
        area_code="E05999999",
        period="2019",
        value=1,
    )
    with pytest.raises(ValidationError) as caught:
        value.full_clean()
    assert "area_code" in caught.value.message_dict


def test_the_indicator_pages_show_every_area_by_period(client, indicator):
    read_indicator_values(GOOD, filename="good.csv").apply()
    listing = client.get(reverse("neighbourhoods:indicator_list")).content.decode()
    assert "Test indicator" in listing and "2018/19 to 2019/20" in listing
    response = client.get(reverse("neighbourhoods:indicator_detail", args=[indicator.slug]))
    assert response.context["periods"] == ["2018/19", "2019/20"]
    rows = {r["name"]: r["values"] for r in response.context["rows"]}
    assert rows["Leeds"] == [None, Decimal("70")]
    assert rows["Burmantofts & Richmond Hill"] == [None, Decimal("61.5")]
    assert rows["Inner East Community Committee"] == [Decimal("58"), None]
    assert rows["Leeds 011A (E01011264)"] == [None, Decimal("1250.25")]
    assert [r["type"] for r in response.context["rows"]][0] == "Leeds"


def test_the_indicator_detail_keeps_a_constant_number_of_queries(
    client, indicator, django_assert_num_queries
):
    read_indicator_values(GOOD, filename="good.csv").apply()
    # the indicator, its values, then one query per kind of area named (4: all but the city)
    with django_assert_num_queries(6):
        client.get(reverse("neighbourhoods:indicator_detail", args=[indicator.slug]))
