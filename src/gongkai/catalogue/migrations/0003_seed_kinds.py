from django.db import migrations

KINDS = [
    ("news", "政务动态", "news"),
    ("guide", "指南", "guide"),
    ("document", "文件", "document"),
    ("regulation", "规章", "regulation"),
    ("normative-document", "行政规范性文件", "normative_document"),
    ("interpretation", "政策解读", "interpretation"),
    ("public-concern-response", "回应关切", "public_concern_response"),
    ("annual-report", "年度报告", "annual_report"),
    ("other", "其他", ""),
]


def seed(apps, schema_editor):
    Kind = apps.get_model("catalogue", "Kind")
    for order, (slug, name, role) in enumerate(KINDS, start=1):
        Kind.objects.get_or_create(
            slug=slug, defaults={"name": name, "report_role": role, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_items")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
