"""Demo consultation data: FAQs for well-known demo services, a few answered questions the
天河区 market regulator published, one open question from the demo citizen waiting for
clerk.tianhe, and one 12345 ticket recorded by hotline.guangzhou. Idempotent: questions are
keyed by fixed submit tokens, FAQs by department and wording."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import CitizenProfile, User
from yiwang.accounts.services.citizens import phone_index
from yiwang.catalog.models import Implementation, ServiceItem
from yiwang.consult import services
from yiwang.consult.models import EntryKind, KnowledgeEntry, Question
from yiwang.consult.search import entry_index

DEMO_CITIZEN_PHONE = "13800138000"
NAMESPACE = uuid.UUID("6f1d3c52-8a1e-4d0b-9d1f-3c5e0b7a2c11")

# (item code, region of the implementation, question zh, answer zh, question en, answer en)
FAQS: list[tuple[str, str, str, str, str, str]] = [
    (
        "SJ-0003",
        "440106",
        "开饭店需要办理食品经营许可证吗？",
        "从事餐饮服务、食品销售的，应当在开业前取得食品经营许可证。仅销售预包装食品的，办理备案即可。",
        "Do I need a food business licence to open a restaurant?",
        "Yes. Catering and food sales need a food business licence before opening. Selling only "
        "pre-packaged food needs a filing instead.",
    ),
    (
        "SJ-0003",
        "440106",
        "食品经营许可证办理需要哪些材料？",
        "营业执照、经营场所平面布局图、食品安全管理制度和从业人员健康证明。可在网上提交，现场核查后发证。",
        "Which documents does a food business licence need?",
        "Your business licence, a floor plan of the premises, food safety rules and health "
        "certificates of the staff. Apply online; the licence is issued after an on-site check.",
    ),
    (
        "SJ-0001",
        "440106",
        "个体工商户设立登记可以网上办吗？",
        "可以。通过一网通办在线提交申请，材料齐全的当场办结，营业执照可邮寄到家，全程无需跑腿。",
        "Can I register an individual business online?",
        "Yes. Apply online; complete applications are approved the same day and the licence can "
        "be posted to you, with no trip needed.",
    ),
    (
        "SJ-0001",
        "440106",
        "摆摊需要办营业执照吗？",
        "在政府指定的场所和时间内从事便民劳务、销售农副产品的，无需办理营业执照；其他经营活动应办理个体工商户登记。",
        "Do I need a business licence for a street stall?",
        "Not for odd jobs or selling farm produce at the places and times the government sets; "
        "other trading needs individual business registration.",
    ),
    (
        "RS-0001",
        "4401",
        "社会保险参保证明在哪里打印？",
        "登录一网通办，在“社会保险参保证明打印”中选择时间段即可下载带电子印章的证明，也可到政务服务中心自助终端打印。",
        "Where can I print my social insurance record?",
        "Sign in and open the social insurance record printout service to download a certificate "
        "with an electronic seal, or print it at a self-service terminal in any service centre.",
    ),
    (
        "RS-0001",
        "4401",
        "社保参保证明可以用于办理入学吗？",
        "可以。网上打印的参保证明带有电子印章，学校可扫码核验，与窗口打印的具有同等效力。",
        "Can the social insurance record be used for school enrolment?",
        "Yes. The printed record carries an electronic seal that the school can verify by QR "
        "code; it is as valid as one printed at a counter.",
    ),
    (
        "GA-0003",
        "440106",
        "身份证丢了怎么补办？",
        "携带户口簿到户籍所在地或居住地派出所申请补领，可同时申领临时居民身份证应急使用。",
        "My identity card is lost. How do I replace it?",
        "Take your household register to a police station where you are registered or live and "
        "apply for a replacement; you can get a temporary card at the same time.",
    ),
    (
        "GA-0001",
        "440106",
        "第一次办身份证需要带什么？",
        "年满十六周岁首次申领的，携带户口簿，由监护人陪同到派出所现场采集照片和指纹。",
        "What do I bring to get my first identity card?",
        "From 16, bring your household register and a guardian to the police station, where your "
        "photo and fingerprints are taken.",
    ),
]

# (token name, item code, title, body, answer, public title, public answer)
ANSWERED: list[tuple[str, str, str, str, str, str, str]] = [
    (
        "answered-1",
        "SJ-0001",
        "个体户营业执照可以用家里的住址注册吗？",
        "我想在家里做网店，能用住宅地址登记个体工商户吗？",
        "可以。从事网络经营的个体工商户可以将住所登记为经营场所，提交住所使用证明即可。",
        "网店个体户能否用住宅地址登记？",
        "可以。从事网络经营的个体工商户可以将住所登记为经营场所，提交住所使用证明即可。",
    ),
    (
        "answered-2",
        "SJ-0003",
        "小吃店需要办食品经营许可证还是备案？",
        "我准备开一家小吃店，现场制作售卖，需要办许可证吗？",
        "现场制售食品属于餐饮服务，需要办理食品经营许可证，不能只做备案。",
        "现场制售的小吃店要办许可证还是备案？",
        "现场制售食品属于餐饮服务，需要办理食品经营许可证，不能只做备案。",
    ),
]


def _token(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


def _implementation(code: str, region: str) -> Implementation | None:
    return (
        Implementation.objects.filter(item__code=code, region_id=region)
        .select_related("department")
        .first()
    )


def _faqs(editor: User, author: User) -> int:
    created = 0
    for code, region, title_zh, body_zh, title_en, body_en in FAQS:
        impl = _implementation(code, region)
        if (
            impl is None
            or KnowledgeEntry.objects.filter(department=impl.department, title_zh=title_zh).exists()
        ):
            continue
        wording = {"title_zh": title_zh, "body_zh": body_zh, "title_en": title_en,
                   "body_en": body_en}  # fmt: skip
        if getattr(editor.staff, "department_id", None) == impl.department_id:
            services.faq_save(by=editor, implementation=impl, publish=True, title_zh=title_zh,
                              body_zh=body_zh, title_en=title_en, body_en=body_en)  # fmt: skip
        else:
            # Departments without a demo login: loaded as platform content.
            entry = KnowledgeEntry.objects.create(
                kind=EntryKind.FAQ, department=impl.department, implementation=impl,
                item_id=impl.item_id, created_by=author, is_published=True, **wording,
            )  # fmt: skip
            entry.published_at = timezone.now()
            entry.save(update_fields=["published_at"])
            entry_index(entry)
        created += 1
    return created


def _item(code: str) -> ServiceItem | None:
    return ServiceItem.objects.filter(code=code, published_version__isnull=False).first()


@transaction.atomic
def consult_demo_load() -> dict[str, Any]:
    users = {u.username: u for u in User.objects.filter(username__in=[
        "clerk.tianhe", "deptadmin.tianhe", "hotline.guangzhou", "admin"])}  # fmt: skip
    profile = CitizenProfile.objects.filter(phone_index=phone_index(DEMO_CITIZEN_PHONE)).first()
    if profile is None or len(users) < 4:
        return {"skipped": "run demo_people and demo_catalog first"}
    citizen, clerk = profile.user, users["clerk.tianhe"]
    faqs = _faqs(users["deptadmin.tianhe"], users["admin"])
    questions = 0
    for name, code, title, body, answer, public_title, public_body in ANSWERED:
        if Question.objects.filter(submit_token=_token(name)).exists():
            continue
        question = services.question_ask(asker=citizen, item=_item(code), title=title, body=body,
                                         submit_token=_token(name))  # fmt: skip
        services.question_answer(question=question, by=clerk, body=answer)
        services.answer_publish(question=question, by=users["deptadmin.tianhe"],
                                title_zh=public_title, body_zh=public_body)  # fmt: skip
        questions += 1
    if not Question.objects.filter(submit_token=_token("open-1")).exists():
        services.question_ask(
            asker=citizen, item=_item("SJ-0003"), title="开饭店需要先办营业执照吗？",
            body="我想在石牌开一家小饭店，食品经营许可证和营业执照哪个先办？可以一起办吗？",
            submit_token=_token("open-1"),
        )  # fmt: skip
        questions += 1
    if not Question.objects.filter(submit_token=_token("hotline-1")).exists():
        services.hotline_record(
            by=users["hotline.guangzhou"], caller_phone="13900139000", caller_name="王建华",
            region_code=profile.region_id or "440106006002", item=None,
            title="老人办事能否上门服务？",
            body="来电人称家中老人行动不便，询问办理社保、身份证等业务能否预约上门服务。",
            submit_token=_token("hotline-1"),
        )  # fmt: skip
        questions += 1
    return {"faqs": faqs, "questions": questions}
