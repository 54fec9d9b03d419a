"""Lead posts as plans write them: one post however it is written."""

import re

# Plans write one post several ways ("AD QA and Improvement", "Assistant Director (Quality
# Assurance and Improvement)"): the words these short forms stand for, as whole words.
POST_ABBREVIATIONS = {
    "ad": "assistant director",
    "qa": "quality assurance",
    "dcs": "director of childrens services",
    "hos": "head of service",
    "mgr": "manager",
    "dir": "director",
    "asst": "assistant",
}
_POST_FILLER = {"of", "the", "for"}


def post_key(title: str) -> str:
    """What makes two ways of writing a post the same post: case, punctuation, "&" for "and",
    the short forms in POST_ABBREVIATIONS and the little words "of", "the" and "for" aside."""
    text = title.casefold().replace("&", " and ").replace("’", "").replace("'", "")
    words = re.sub(r"[^\w\s]", " ", text).split()
    expanded = " ".join(POST_ABBREVIATIONS.get(word, word) for word in words).split()
    return " ".join(word for word in expanded if word not in _POST_FILLER)


def find_post(posts, title: str):
    """The post in `posts` (a queryset, in the order they were made) that `title` is a way of
    writing, or None."""
    key = post_key(title)
    return next((post for post in posts.order_by("pk") if post_key(post.title) == key), None)
