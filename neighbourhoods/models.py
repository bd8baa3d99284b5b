"""Areas of Leeds and their deprivation: wards, community committees, LSOAs, IMD by edition."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse


class CommunityCommittee(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    source_url = models.URLField(max_length=500, blank=True)
    source_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} Community Committee"

    def get_absolute_url(self):
        return reverse("neighbourhoods:committee_detail", kwargs={"slug": self.slug})


class Ward(models.Model):
    code = models.CharField(max_length=9, unique=True, help_text="ONS WD19 code.")
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    committee = models.ForeignKey(
        CommunityCommittee, null=True, blank=True, on_delete=models.SET_NULL, related_name="wards"
    )
    boundary = models.JSONField(null=True, blank=True, help_text="GeoJSON geometry (EPSG:4326).")
    outline = models.TextField(
        blank=True, editable=False, help_text="SVG path in the map's frame, made at import."
    )
    targeted_outputs = models.ManyToManyField(
        "actionplans.Output", blank=True, related_name="target_wards"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("neighbourhoods:ward_detail", kwargs={"slug": self.slug})


class Lsoa(models.Model):
    """A Lower Layer Super Output Area (2011 definitions)."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="lsoas")
    population = models.PositiveIntegerField(
        null=True, blank=True, help_text="Mid-2015, excluding prisoners (IoD2019 denominators)."
    )
    children = models.PositiveIntegerField(null=True, blank=True)
    aged_16_59 = models.PositiveIntegerField(null=True, blank=True)
    aged_60_plus = models.PositiveIntegerField(null=True, blank=True)
    working_age = models.PositiveIntegerField(null=True, blank=True)
    boundary = models.JSONField(null=True, blank=True, help_text="GeoJSON geometry (EPSG:4326).")
    outline = models.TextField(
        blank=True, editable=False, help_text="SVG path in the map's frame, made at import."
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "LSOA"

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("neighbourhoods:lsoa_detail", kwargs={"code": self.code})


class Domain(models.TextChoices):
    IMD = "imd", "Index of Multiple Deprivation"
    INCOME = "income", "Income"
    EMPLOYMENT = "employment", "Employment"
    EDUCATION = "education", "Education, skills and training"
    HEALTH = "health", "Health deprivation and disability"
    CRIME = "crime", "Crime"
    BARRIERS = "barriers", "Barriers to housing and services"
    LIVING_ENVIRONMENT = "living_environment", "Living environment"


class ImdEdition(models.Model):
    """One release of the English Indices of Deprivation, on the LSOA vintage it uses."""

    year = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200)
    lsoa_vintage = models.PositiveIntegerField(default=2011)
    national_lsoa_count = models.PositiveIntegerField(help_text="LSOAs ranked in England.")
    source = models.TextField(blank=True)
    licence = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return self.name

    @property
    def one_percent_rank(self) -> int:
        """The worst rank still inside the most deprived 1% nationally."""
        return self.national_lsoa_count // 100


class Deprivation(models.Model):
    """An LSOA's rank, decile and (where published) score in one domain of one edition."""

    edition = models.ForeignKey(ImdEdition, on_delete=models.CASCADE, related_name="values")
    lsoa = models.ForeignKey(Lsoa, on_delete=models.CASCADE, related_name="deprivation")
    domain = models.CharField(max_length=30, choices=Domain.choices)
    rank = models.PositiveIntegerField(help_text="1 is the most deprived in England.")
    decile = models.PositiveSmallIntegerField(help_text="1 is the most deprived 10%.")
    score = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering = ["edition", "lsoa", "domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "lsoa", "domain"], name="deprivation_unique_value"
            ),
            models.CheckConstraint(
                condition=models.Q(decile__gte=1, decile__lte=10),
                name="deprivation_decile_1_to_10",
                violation_error_code="bad_decile",
            ),
        ]
        indexes = [models.Index(fields=["edition", "domain", "decile"])]

    def __str__(self):
        return f"{self.lsoa.code} {self.edition.year} {self.domain}: rank {self.rank}"


class PriorityNeighbourhood(models.Model):
    class Tier(models.TextChoices):
        NATIONAL_1PCT = "national_1pct", "Most deprived 1% nationally"
        INITIAL_PRIORITY = "initial_priority", "Initial priority neighbourhood"
        PRIORITY = "priority", "Priority neighbourhood"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    tier = models.CharField(max_length=30, choices=Tier.choices)
    edition = models.ForeignKey(
        ImdEdition, null=True, blank=True, on_delete=models.PROTECT, related_name="priorities"
    )
    lsoas = models.ManyToManyField(Lsoa, blank=True, related_name="priority_neighbourhoods")
    wards = models.ManyToManyField(Ward, blank=True, related_name="priority_neighbourhoods")
    core_team = models.TextField(blank=True)
    programme_manager = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    targeted_outputs = models.ManyToManyField(
        "actionplans.Output", blank=True, related_name="target_neighbourhoods"
    )

    class Meta:
        ordering = ["tier", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("neighbourhoods:priority_detail", kwargs={"slug": self.slug})

    @property
    def is_computed(self) -> bool:
        """Its LSOAs come from the data (the national 1% sets), so nobody chooses them."""
        return self.tier == self.Tier.NATIONAL_1PCT


class AreaType(models.TextChoices):
    """The kinds of area an indicator value can describe; `area_code` names one of them."""

    LSOA = "lsoa", "LSOA"
    PRIORITY = "priority", "Priority neighbourhood"
    WARD = "ward", "Ward"
    COMMITTEE = "committee", "Community committee area"
    CITY = "city", "Leeds"


LEEDS_CODE = "E08000035"


class Indicator(models.Model):
    """A Thriving Neighbourhoods indicator, measured for areas over time."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    unit = models.CharField(max_length=50, help_text="For example %, people, per 1,000.")
    higher_is_better = models.BooleanField()
    description = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    illustrative = models.BooleanField(
        default=False, help_text="Its values are made up for demonstration, not measured."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class IndicatorValue(models.Model):
    """One value of an indicator for one area and period. Areas are named by type and code:
    an LSOA or ward by its ONS code, a priority neighbourhood or committee by its slug, the city
    by the Leeds district code."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    area_type = models.CharField(max_length=20, choices=AreaType.choices)
    area_code = models.CharField(max_length=200)
    period = models.CharField(max_length=20, help_text="For example 2019 or 2019/20.")
    value = models.DecimalField(max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["indicator", "area_type", "area_code", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area_type", "area_code", "period"],
                name="indicator_value_unique",
                violation_error_code="duplicate_value",
            )
        ]
        indexes = [models.Index(fields=["area_type", "area_code"])]

    def __str__(self):
        return f"{self.indicator} {self.area_type}:{self.area_code} {self.period}"

    def clean(self):
        from neighbourhoods.areas import area_exists

        if self.area_type and self.area_code and not area_exists(self.area_type, self.area_code):
            raise ValidationError(
                {"area_code": f"There is no {self.get_area_type_display()} “{self.area_code}”."},
                code="unknown_area",
            )
