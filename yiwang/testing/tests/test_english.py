"""The English detector the URL walk applies to every page rendered in Chinese."""

from yiwang.testing.english import english_words


def test_it_finds_english_text_and_the_attributes_a_reader_meets():
    html = """<html><body><h1>案件</h1><p>Select an option</p>
      <input placeholder="Type here"><img src="x.png" alt="Photo"><button title="Send now">发送</button>
      <input type="submit" value="Save"></body></html>"""
    assert english_words(html) == {"Select", "an", "option", "Type", "here", "Photo", "Send", "now", "Save"}


def test_codes_addresses_scripts_and_allowed_names_are_not_english():
    html = """<p>案号 PT05-2026-000056，账号 putuo_leader，权限 case.view，http://127.0.0.1:8000/online/x/，
      MMSI 412345678，导出 Excel 与 PDF，a@b.cn，/api/v1/cases/</p>
      <script>var message = "not shown";</script><style>.note { color: red }</style><code>raw code</code>
      <img src="/static/admin/img/icon-yes.svg" alt="True">"""
    assert english_words(html) == set()


def test_an_english_word_beside_chinese_is_found():
    assert english_words("<td>预警 Warning leader</td>") == {"Warning", "leader"}
