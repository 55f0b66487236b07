"""Seed the synonym table with the everyday phrases people type (editable in the admin)."""

from django.db import migrations

SYNONYMS = [
    ("zh", "身份证", "居民身份证"),
    ("zh", "营业执照", "个体工商户 设立登记 企业设立登记"),
    ("zh", "开公司", "企业设立登记 营业执照"),
    ("zh", "开店", "个体工商户 设立登记 食品经营许可"),
    ("zh", "结婚", "结婚登记"),
    ("zh", "离婚", "离婚登记"),
    ("zh", "开饭店", "食品经营许可 餐饮"),
    ("zh", "开餐馆", "食品经营许可 餐饮"),
    ("zh", "开餐厅", "食品经营许可 餐饮"),
    ("zh", "饭店", "餐饮 食品经营许可"),
    ("zh", "生孩子", "出生 新生儿 出生医学证明"),
    ("zh", "生小孩", "出生 新生儿 出生医学证明"),
    ("zh", "宝宝", "新生儿 出生"),
    ("zh", "上户口", "入户 户口 登记"),
    ("zh", "丢了", "补领 遗失"),
    ("zh", "丢失", "补领 遗失"),
    ("zh", "掉了", "补领 遗失"),
    ("zh", "过期", "换领 换证"),
    ("zh", "到期", "换领 换证"),
    ("zh", "退休", "退休 养老"),
    ("zh", "养老金", "退休 养老保险"),
    ("zh", "失业", "失业保险金"),
    ("zh", "社保", "社会保险"),
    ("zh", "医保", "医疗保障 医保关系"),
    ("zh", "驾照", "机动车驾驶证"),
    ("zh", "健康证", "健康证明 从业人员"),
    ("zh", "无犯罪", "无犯罪记录证明"),
    ("zh", "搬家", "户口迁移"),
    ("zh", "暂住证", "居住证"),
    ("zh", "盖房", "建筑工程施工许可"),
    ("en", "business license", "individual business registration"),
    ("en", "business licence", "individual business registration"),
    ("en", "id card", "resident identity card"),
    ("en", "identity card", "resident identity card"),
    ("en", "lost", "replacement"),
    ("en", "driving licence", "driving license"),
    ("en", "married", "marriage registration"),
    ("en", "marry", "marriage registration"),
    ("en", "baby", "birth newborn"),
    ("en", "restaurant", "food business licence catering"),
    ("en", "pension", "retirement"),
]


def seed(apps, schema_editor):
    SearchSynonym = apps.get_model("catalog", "SearchSynonym")
    for language, term, expansions in SYNONYMS:
        SearchSynonym.objects.update_or_create(
            language=language, term=term, defaults={"expansions": expansions}
        )


def unseed(apps, schema_editor):
    SearchSynonym = apps.get_model("catalog", "SearchSynonym")
    for language, term, _expansions in SYNONYMS:
        SearchSynonym.objects.filter(language=language, term=term).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_search_index")]

    operations = [migrations.RunPython(seed, unseed)]
