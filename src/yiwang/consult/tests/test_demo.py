from io import StringIO

import pytest
from django.core.management import call_command

from yiwang.accounts.demo import REQUIRED_REGIONS, demo_people_load
from yiwang.accounts.tests.factories import chain_for
from yiwang.catalog.demo.load import catalog_demo_load
from yiwang.consult.models import KnowledgeEntry, Question, QuestionStatus
from yiwang.consult.search import knowledge_search

pytestmark = pytest.mark.django_db


def test_demo_consult_is_idempotent_and_gives_clerk_tianhe_an_open_question():
    for code in REQUIRED_REGIONS:
        chain_for(code)
    demo_people_load()
    catalog_demo_load()
    out = StringIO()
    call_command("demo_consult", stdout=out)
    assert "'questions': 4" in out.getvalue()
    counts = (Question.objects.count(), KnowledgeEntry.objects.count())
    call_command("demo_consult", stdout=StringIO())
    assert (Question.objects.count(), KnowledgeEntry.objects.count()) == counts
    open_question = Question.objects.get(status=QuestionStatus.OPEN, channel="online")
    assert open_question.department.staff.filter(user__username="clerk.tianhe").exists()
    hotline = Question.objects.get(channel="hotline")
    assert hotline.recorded_by.username == "hotline.guangzhou"
    assert knowledge_search(query="开饭店").hits
