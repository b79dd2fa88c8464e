import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
        ("catalogue", "0002_items"),
    ]

    operations = [
        # Wide text columns last: SQLite reads a row's columns in order, and the
        # hot ones (ids, rank, title) must not sit behind overflow pages.
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "item",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_document",
                        to="catalogue.item",
                    ),
                ),
                (
                    "fts_rowid",
                    models.BigIntegerField(blank=True, null=True, unique=True),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.unit",
                    ),
                ),
                (
                    "column",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalogue.column",
                    ),
                ),
                (
                    "kind",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalogue.kind",
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(db_index=True)),
                (
                    "validity",
                    models.CharField(
                        choices=[
                            ("in_force", "有效"),
                            ("expired", "失效"),
                            ("repealed", "废止"),
                        ],
                        db_index=True,
                        max_length=16,
                    ),
                ),
                ("published_at", models.DateTimeField(db_index=True)),
                ("rank_day", models.IntegerField()),
                ("title", models.CharField(max_length=200)),
                ("title_folded", models.CharField(max_length=200)),
                (
                    "document_number",
                    models.CharField(blank=True, db_index=True, max_length=100),
                ),
                ("index_number", models.CharField(db_index=True, max_length=64)),
                (
                    "external_id",
                    models.CharField(blank=True, db_index=True, max_length=200),
                ),
                ("meta_folded", models.CharField(blank=True, max_length=300)),
                ("indexed_at", models.DateTimeField(auto_now=True)),
                ("text", models.TextField(blank=True)),
                ("folded", models.TextField(blank=True)),
            ],
            options={
                "verbose_name": "检索文档",
                "verbose_name_plural": "检索文档",
                "ordering": ["-published_at", "-id"],
            },
        ),
    ]
