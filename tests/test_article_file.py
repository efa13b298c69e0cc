"""The file format: rendering per the contract, and reading back both new and legacy files."""
import hashlib

import pytest
import yaml

from pipelines.article_file import ArticleFileError, read, render, yaml_value
from pipelines.fingerprint import content_hash
from tests.conftest import FIXTURES

SEED_HASH = "fabe7a68d1e4cdcfe80a19d159772856df9f6b15a96422cd24d084db2da75e7e"


def article(**changes):
    fields = dict(id="001_0000000001", title="제목", category="", publisher="연합뉴스", author="",
                  published_at="2025-01-02 03:04", crawled_at="2025-01-02 05:06:07",
                  url="https://n.news.naver.com/mnews/article/001/0000000001", oid="001", aid="0000000001",
                  content="본문", modified_at="")
    fields.update(changes)
    fields["content_hash"] = content_hash(fields["content"])
    return fields


def front_matter(text):
    return yaml.safe_load(text.split("\n---\n", 1)[0][4:])


def test_legacy_seed_file_is_read_and_its_hash_verifies():
    seed = read((FIXTURES / "648_0000043044.md").read_text(encoding="utf-8"))
    assert seed.fields["author"] == "왕보경 (king@bizwatch.co.kr)"
    assert (seed.fields["oid"], seed.fields["aid"], seed.fields["id"]) == ("648", "0000043044", "648_0000043044")
    assert seed.fields["content_hash"] == SEED_HASH == hashlib.sha256(seed.content.encode()).hexdigest()
    assert seed.hash_ok
    assert seed.content.startswith('과기부, 조사결과 발표…"국가 기간통신망\xa0보안 허점"\n\n정부가')


def test_seed_front_matter_really_is_broken_yaml():
    # Why the reader does not trust YAML for legacy files.
    with pytest.raises(yaml.YAMLError):
        front_matter((FIXTURES / "648_0000043044.md").read_text(encoding="utf-8"))


def test_corrected_seed_is_reproduced_byte_for_byte():
    corrected = (FIXTURES / "648_0000043044.corrected.md").read_text(encoding="utf-8")
    parsed = read(corrected)
    assert render({**parsed.fields, "content": parsed.content}) == corrected


def test_empty_category_keeps_the_header_line_trailing_space():
    text = render(article())
    assert "\ncategory: \n" in text and "\n**연합뉴스** | 2025-01-02 03:04 | \n" in text
    assert front_matter(text)["category"] is None


@pytest.mark.parametrize("value", [
    "a: b", "#태그", "- 목록", "'인용'", '"따옴표"', "C:\\path", "yes", "null", "~", "1.5", "0x1F", "018",
    "2025-01-02", "[괄호]", "{중괄호}", "*별", "&앵커", "!태그", "%", "@", "`", "| 파이프", "> 꺾쇠", "a #b",
    "끝:", "제어\x07문자", "\ufeffBOM",
])
def test_every_value_loads_back_as_itself(value):
    text = render(article(author=value, category=value, publisher=value, title=value))
    loaded = front_matter(text)
    assert loaded["author"] == loaded["category"] == loaded["publisher"] == value
    assert read(text).fields["author"] == value


def test_plain_when_safe_quoted_otherwise():
    assert yaml_value("왕보경 (king@bizwatch.co.kr)") == "왕보경 (king@bizwatch.co.kr)"
    assert yaml_value("IT/과학") == "IT/과학"
    assert yaml_value("a: b") == '"a: b"'
    assert yaml_value('say "hi": \\') == '"say \\"hi\\": \\\\"'


def test_ids_and_timestamps_are_strings_for_yaml_readers():
    loaded = front_matter(render(article(oid="001", aid="0000000018", id="001_0000000018")))
    assert (loaded["oid"], loaded["aid"], loaded["id"]) == ("001", "0000000018", "001_0000000018")
    assert loaded["crawled_at"] == "2025-01-02 05:06:07" and loaded["published_at"] == "2025-01-02 03:04"


def test_content_with_rules_and_markup_round_trips():
    content = "첫 문단 <b>태그</b> & 'x'\n\n---\n\n# 샵\n\n마지막 ---"
    text = render(article(content=content))
    assert "<b>" not in text and "&lt;b&gt;" in text
    parsed = read(text)
    assert parsed.content == content and parsed.hash_ok


def test_extra_key_is_appended_after_content_hash():
    text = render(article(modified_at="2025-01-03 00:00"), extra_keys=("modified_at",))
    assert list(front_matter(text))[-2:] == ["content_hash", "modified_at"]


def test_a_tampered_file_is_detected():
    text = render(article(content="원래 문장"))
    assert not read(text.replace("원래 문장", "바뀐 문장")).hash_ok


@pytest.mark.parametrize("text", ["", "no front matter", "---\nid: x\n", "---\nid: x\n---\n\n# t\n"])
def test_not_an_article_file(text):
    with pytest.raises(ArticleFileError):
        read(text)
