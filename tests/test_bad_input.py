"""Bad input: exit 2, one line naming the value, no traceback, nothing fetched or written."""
import pytest

from tests.conftest import FAST, naver_news


def assert_refused(result, *named):
    assert result.returncode == 2, result
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("naver-news: error: "), result.stderr
    for value in named:
        assert value in lines[0]


@pytest.mark.parametrize("value", ["648/abc", "99999/1", "https://example.com/mnews/article/648/0000043044", ""])
def test_bad_id_is_refused(value, tmp_path):
    assert_refused(naver_news("crawl", "--id", value, "--out", str(tmp_path / "out")), repr(value))
    assert not (tmp_path / "out").exists()


def test_a_mix_of_good_and_bad_ids_refuses_before_crawling(mirror, site, tmp_path):
    result = naver_news("crawl", "--id", "648/0000043044", "--id", "648/abc", "--mirror", mirror,
                        "--out", str(tmp_path / "out"), *FAST)
    assert_refused(result, "'648/abc'")
    assert not site.hits and not (tmp_path / "out").exists()


def test_bad_line_in_ids_file_names_file_and_line(tmp_path):
    ids = tmp_path / "ids.txt"
    ids.write_text("648/0000043044\nnot-an-id\n")
    assert_refused(naver_news("crawl", "--ids-file", str(ids)), "'not-an-id'", "line 2")


@pytest.mark.parametrize("args, named", [
    (["--ids-file", "/nonexistent/ids.txt"], "/nonexistent/ids.txt"),
    (["--id", "648/1", "--mirror", "ftp://mirror"], "'ftp://mirror'"),
    (["--id", "648/1", "--path-template", "{title}.md"], "{title}"),
    (["--id", "648/1", "--path-template", "../{id}.md"], "'../{id}.md'"),
    (["--id", "648/1", "--path-template", "{year}.md"], "'{year}.md'"),
    (["--id", "648/1", "-s", "NOEQUALS"], "'NOEQUALS'"),
    (["--id", "648/1", "--bogus"], "--bogus"),
    ([], "nothing to crawl"),
])
def test_other_bad_input(args, named):
    assert_refused(naver_news("crawl", *args), named)
