"""One lead post however a plan writes it: "AD QA and Improvement", "Assistant Director
(Quality Assurance and Improvement)" and "AD Quality Assurance and Improvement" are one post,
not three near-duplicates (issue 16)."""

import pytest

from g2g.importers.posts import post_key
from g2g.importers.services import PostCache
from g2g.plans.models import Post
from tests.factories import AuthorityFactory, UserFactory

pytestmark = pytest.mark.django_db

SAME_POST = [
    "AD QA and Improvement",
    "AD Quality Assurance and Improvement",
    "Assistant Director (Quality Assurance and Improvement)",
    "Assistant Director, Quality Assurance and Improvement",
    "assistant director of quality assurance & improvement",
]


def test_ways_of_writing_one_post_share_a_key():
    assert len({post_key(title) for title in SAME_POST}) == 1
    assert post_key("DCS") == post_key("Director of Children's Services")
    assert post_key("AD People & Workforce Development") == post_key(
        "Assistant Director of People and Workforce Development"
    )


def test_different_posts_keep_different_keys():
    titles = [
        "AD Education",
        "AD Adults",
        "Head of Audit",
        "Head of Safeguarding and Quality Assurance",
        "Assistant Director (Social Care)",
        "Director of Children's Social Care",
    ]
    assert len({post_key(title) for title in titles}) == len(titles)


def test_the_importer_makes_one_post_and_keeps_the_first_title():
    authority, user = AuthorityFactory(), UserFactory()
    existing = Post.objects.create(authority=authority, title="AD QA and Improvement")
    posts = PostCache(authority, user)
    assert {posts.get(title).pk for title in SAME_POST} == {existing.pk}
    education = posts.get("Assistant Director (Education)")
    assert posts.get("AD Education") == education
    assert sorted(Post.objects.filter(authority=authority).values_list("title", flat=True)) == [
        "AD QA and Improvement",
        "Assistant Director (Education)",
    ]


def test_posts_are_matched_within_the_authority_only():
    mine, theirs, user = AuthorityFactory(), AuthorityFactory(), UserFactory()
    Post.objects.create(authority=theirs, title="AD QA and Improvement")
    post = PostCache(mine, user).get("AD Quality Assurance and Improvement")
    assert post.authority == mine
    assert Post.objects.filter(authority=mine).count() == 1
